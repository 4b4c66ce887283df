"""Storage of a partnership's assurance work. Every row belongs to one partnership (directly,
or through its review, audit or recommendation); ``from_file`` marks rows a ``masa load`` wrote,
so loading again adds what is new and never overwrites work done in the web."""

from __future__ import annotations

from django.conf import settings
from django.db import models

STATUS_CHOICES = [("open", "Open"), ("in-progress", "In progress"), ("done", "Done"), ("dropped", "Dropped")]
KIND_CHOICES = [("rapid-review", "Rapid review"), ("local-cspr", "Local child safeguarding practice review"),
                ("national-panel", "National panel review (adopted)")]
GRADE_CHOICES = [("outstanding", "Outstanding"), ("good", "Good"), ("requires-improvement", "Requires improvement"),
                 ("inadequate", "Inadequate")]


class LearningReview(models.Model):
    partnership = models.CharField(max_length=64, db_index=True)
    code = models.CharField(max_length=40)
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    title = models.CharField(max_length=300)
    started = models.DateField()
    published = models.DateField(null=True, blank=True)

    class Meta:
        unique_together = [("partnership", "code")]
        ordering = ["started", "code"]


class Recommendation(models.Model):
    review = models.ForeignKey(LearningReview, on_delete=models.CASCADE, related_name="recommendations")
    ident = models.CharField(max_length=40)
    text = models.TextField()

    class Meta:
        unique_together = [("review", "ident")]
        ordering = ["id"]


class CaseAudit(models.Model):
    partnership = models.CharField(max_length=64, db_index=True)
    code = models.CharField(max_length=40)
    theme = models.CharField(max_length=300)
    held = models.DateField()
    themes = models.JSONField(default=list, blank=True)

    class Meta:
        unique_together = [("partnership", "code")]
        ordering = ["-held", "code"]


class AssuranceAction(models.Model):
    """An action on a review's recommendation or arising from a case audit (exactly one)."""

    recommendation = models.ForeignKey(Recommendation, null=True, blank=True, on_delete=models.CASCADE,
                                       related_name="actions")
    audit = models.ForeignKey(CaseAudit, null=True, blank=True, on_delete=models.CASCADE, related_name="actions")
    ident = models.CharField(max_length=40)
    text = models.TextField()
    owner = models.CharField(max_length=200)
    partner = models.ForeignKey("core.Partner", null=True, blank=True, on_delete=models.PROTECT)
    due = models.DateField()
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default="open")
    completed = models.DateField(null=True, blank=True)
    evidence = models.TextField(blank=True)
    impact = models.TextField(blank=True)

    class Meta:
        ordering = ["due", "id"]


class AuditCase(models.Model):
    audit = models.ForeignKey(CaseAudit, on_delete=models.CASCADE, related_name="cases")
    ref = models.CharField(max_length=20)

    class Meta:
        unique_together = [("audit", "ref")]
        ordering = ["ref"]


class AuditForm(models.Model):
    case = models.ForeignKey(AuditCase, on_delete=models.CASCADE, related_name="forms")
    partner = models.ForeignKey("core.Partner", on_delete=models.PROTECT)
    grade = models.CharField(max_length=24, choices=GRADE_CHOICES)
    findings = models.TextField()
    immediate_concern = models.BooleanField(default=False)
    concern = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        unique_together = [("case", "partner")]
        ordering = ["case", "partner__code"]


class ScrutinyYear(models.Model):
    """The scrutineer's plan, statement and sign-off for one financial year."""

    partnership = models.CharField(max_length=64, db_index=True)
    period = models.CharField(max_length=7)
    plan = models.JSONField(default=list, blank=True)  # [{text, when, done}]
    statement = models.TextField(blank=True)
    signed_off_by = models.CharField(max_length=150, blank=True)
    signed_off_on = models.DateField(null=True, blank=True)

    class Meta:
        unique_together = [("partnership", "period")]
        ordering = ["period"]


class ScrutinyRecommendation(models.Model):
    year = models.ForeignKey(ScrutinyYear, on_delete=models.CASCADE, related_name="recommendations")
    ident = models.CharField(max_length=40)
    text = models.TextField()
    made = models.DateField()
    to = models.ManyToManyField("core.Partner", related_name="+")

    class Meta:
        unique_together = [("year", "ident")]
        ordering = ["made", "id"]


class ScrutinyResponse(models.Model):
    recommendation = models.ForeignKey(ScrutinyRecommendation, on_delete=models.CASCADE, related_name="responses")
    partner = models.ForeignKey("core.Partner", on_delete=models.PROTECT)
    text = models.TextField()
    given = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        unique_together = [("recommendation", "partner")]
        ordering = ["given", "id"]
