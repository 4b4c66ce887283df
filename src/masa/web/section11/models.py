"""Section 11 storage: one assessment per partner per period (shared by every partnership the
partner serves), its answers per standard, action items with stable ids, evidence files, and
each partnership's moderation of each rating. ``masa.assurance.section11`` holds the rules."""

from __future__ import annotations

from django.db import models


class StandardSetVersion(models.Model):
    """A standard set as loaded (the newest is used for new cycles); the shipped one otherwise."""

    code = models.CharField(max_length=64)
    document = models.JSONField()
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]


class Assessment(models.Model):
    partner = models.ForeignKey("core.Partner", on_delete=models.PROTECT, related_name="s11_assessments")
    period = models.ForeignKey("core.Period", on_delete=models.PROTECT, related_name="s11_assessments")
    status = models.CharField(max_length=10, default="draft")  # draft, submitted
    standards = models.JSONField()  # the standard set it is answered against, as it was
    submitted_by = models.CharField(max_length=150, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    loaded = models.JSONField(null=True, blank=True)  # the state `masa load` left it in, or null
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        unique_together = [("partner", "period")]
        ordering = ["period__code", "partner__name"]


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    order = models.PositiveIntegerField()
    standard = models.CharField(max_length=64)
    rating = models.CharField(max_length=5, blank=True)
    previous_rating = models.CharField(max_length=5, blank=True)
    evidence = models.TextField(blank=True)

    class Meta:
        unique_together = [("assessment", "standard")]
        ordering = ["assessment", "order"]


class ActionItem(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="actions")
    order = models.PositiveIntegerField()
    key = models.CharField(max_length=64)  # stable across cycles
    text = models.TextField()
    owner = models.CharField(max_length=200)
    due = models.DateField()
    status = models.CharField(max_length=12, default="open")
    raised = models.CharField(max_length=20, blank=True)
    carried = models.BooleanField(default=False)

    class Meta:
        ordering = ["answer", "order"]


class EvidenceFile(models.Model):
    """Kept in the database so a file is stored in the same transaction as its answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    data = models.BinaryField()
    uploaded_by = models.CharField(max_length=150, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answer", "id"]


class Moderation(models.Model):
    """One partnership's verdict on one rating; every change is also in the audit log."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="moderations")
    partnership = models.CharField(max_length=64)
    verdict = models.CharField(max_length=10)
    reason = models.TextField()
    by = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(auto_now=True)
    # the partner's response to a challenge: "revised" or "kept" ("" while none); cleared when
    # the partnership moderates again
    response_kind = models.CharField(max_length=10, blank=True)
    response = models.TextField(blank=True)
    response_by = models.CharField(max_length=150, blank=True)

    class Meta:
        unique_together = [("answer", "partnership")]
