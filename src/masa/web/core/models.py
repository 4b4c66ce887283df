"""Storage: partnership metadata, returns, figures with provenance, and immutable versions.

The spec itself is stored whole (``SpecVersion``) so it can be rebuilt and validated by
``masa.spec``; the entities that returns point at (partners, periods, indicators,
priorities, templates) are also rows, so the database enforces the references.
"""

from __future__ import annotations

from django.db import models


class SpecVersion(models.Model):
    """A validated partnership spec, stored whole. The newest one is the partnership's spec."""

    partnership = models.CharField(max_length=64, db_index=True)
    sha256 = models.CharField(max_length=64)
    document = models.JSONField()
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("partnership", "sha256")]
        ordering = ["-loaded_at", "-id"]


class SpecFileState(models.Model):
    """The spec as the partnership's files last said it, stored by each ``masa load``: the base
    against which the next load tells the file's changes from the database's
    (``masa.spec.changes.merge``), so a file never undoes work done in the web."""

    partnership = models.CharField(max_length=64, unique=True)
    document = models.JSONField()
    loaded_at = models.DateTimeField(auto_now=True)


class SpecChange(models.Model):
    """One entity added, changed or retired by a new spec version, and from which financial
    year it applies (``effective_from``; empty for a partnership's first version, which
    applies to every year). ``masa.spec.changes`` computes and undoes them."""

    partnership = models.CharField(max_length=64, db_index=True)
    version = models.ForeignKey(SpecVersion, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=20)
    code = models.CharField(max_length=64)
    change = models.CharField(max_length=10)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    who = models.CharField(max_length=200, blank=True)
    via = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    effective_from = models.CharField(max_length=7, blank=True)

    class Meta:
        ordering = ["id"]


class Partnership(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    areas = models.ManyToManyField("Area", related_name="partnerships")
    partners = models.ManyToManyField("Partner", related_name="partnerships")

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)


class Partner(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=200)
    type = models.CharField(max_length=40)
    areas = models.ManyToManyField(Area, related_name="partners")

    def __str__(self) -> str:
        return self.name


class Period(models.Model):
    code = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=10)
    start = models.DateField()
    end = models.DateField()


class Priority(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, default="priority")


class Indicator(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=300)
    unit = models.CharField(max_length=20)


class Template(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)


STATUSES = [(s, s) for s in ("draft", "submitted", "queried", "resubmitted", "approved", "published")]


class Return(models.Model):
    """Partner × period × template. ``lock_version`` supports optimistic locking."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="returns")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="returns")
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(max_length=20, choices=STATUSES, default="draft")
    voice = models.TextField(blank=True)
    voice_areas = models.JSONField(default=list, blank=True)  # area codes the voice answer concerns; []: all
    content_sha256 = models.CharField(max_length=64, blank=True)
    part_sha256 = models.JSONField(default=dict, blank=True)  # per part: only changed parts are rewritten
    lock_version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        unique_together = [("partner", "period", "template")]


class ImmutableError(Exception):
    pass


class ReturnVersion(models.Model):
    """A submitted version, frozen: what was submitted (and approved) can always be shown again."""

    ret = models.ForeignKey(Return, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20)
    content = models.JSONField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("ret", "number")]
        ordering = ["ret", "number"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("a submitted return version cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("a submitted return version cannot be deleted")


class SectionAnswer(models.Model):
    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField()
    section = models.CharField(max_length=64)
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    priorities = models.ManyToManyField(Priority, blank=True)
    areas = models.JSONField(default=list, blank=True)  # area codes the part concerns; []: all the partner's

    class Meta:
        ordering = ["ret", "order"]


PROVENANCE = [("typed", "typed"), ("imported", "imported"), ("computed", "computed")]


class DataValue(models.Model):
    """indicator × breakdown options × period → number, for a partner, with provenance."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="values")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    by = models.JSONField(default=dict)
    by_key = models.CharField(max_length=300, default="")  # sorted "dim=opt;..." for uniqueness
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT)
    value = models.FloatField(null=True)
    note = models.TextField(blank=True)
    ret = models.ForeignKey(Return, null=True, blank=True, on_delete=models.SET_NULL, related_name="values")
    order = models.PositiveIntegerField(default=0)
    provenance_kind = models.CharField(max_length=10, choices=PROVENANCE, default="typed")
    source = models.CharField(max_length=500, blank=True)
    definition = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    rows = models.BigIntegerField(null=True)
    quarantined = models.BigIntegerField(null=True)
    computed_at = models.DateTimeField(null=True)
    sentence = models.TextField(blank=True)
    areas = models.JSONField(default=list, blank=True)  # a figure with no area: the areas whose reports show it

    class Meta:
        unique_together = [("partner", "period", "indicator", "by_key")]
        ordering = ["partner", "order", "id"]


class Audit(models.Model):
    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="audits")
    order = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    findings = models.JSONField(default=list)
    priorities = models.ManyToManyField(Priority, blank=True)
    areas = models.JSONField(default=list, blank=True)  # area codes the part concerns; []: all the partner's

    class Meta:
        ordering = ["ret", "order"]


class AuditAction(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="actions")
    order = models.PositiveIntegerField()
    text = models.TextField()
    owner = models.CharField(max_length=200, blank=True)
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, default="open")

    class Meta:
        ordering = ["audit", "order"]


class Highlight(models.Model):
    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="highlights")
    order = models.PositiveIntegerField()
    delivered = models.TextField()
    impact = models.TextField()
    areas = models.JSONField(default=list, blank=True)  # area codes the part concerns; []: all the partner's

    class Meta:
        ordering = ["ret", "order"]


class Challenge(models.Model):
    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="challenges")
    order = models.PositiveIntegerField()
    text = models.TextField()
    priorities = models.ManyToManyField(Priority, blank=True)
    areas = models.JSONField(default=list, blank=True)  # area codes the part concerns; []: all the partner's

    class Meta:
        ordering = ["ret", "order"]


class NextYearPriority(models.Model):
    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="next_year")
    order = models.PositiveIntegerField()
    text = models.TextField()
    priorities = models.ManyToManyField(Priority, blank=True)
    areas = models.JSONField(default=list, blank=True)  # area codes the part concerns; []: all the partner's

    class Meta:
        ordering = ["ret", "order"]


class CaseStudy(models.Model):
    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="case_studies")
    order = models.PositiveIntegerField()
    title = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    anonymised = models.BooleanField(default=True)
    areas = models.JSONField(default=list, blank=True)  # area codes the part concerns; []: all the partner's

    class Meta:
        ordering = ["ret", "order"]


class Attachment(models.Model):
    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="attachments")
    order = models.PositiveIntegerField()
    label = models.CharField(max_length=300)
    filename = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, default="present")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT)
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["ret", "order"]
