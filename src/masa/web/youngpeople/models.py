"""One young people's version per partnership and year, with its workflow status."""

from __future__ import annotations

from django.db import models

STATUSES = ("draft", "approved", "published")


class YoungPeopleVersion(models.Model):
    partnership = models.CharField(max_length=64)
    period = models.CharField(max_length=16)
    status = models.CharField(max_length=16, default="draft", choices=[(s, s) for s in STATUSES])
    sections = models.JSONField(default=dict)  # section code -> plain text, as edited
    pdf = models.BinaryField(null=True, blank=True)  # made when published
    updated = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "period"], name="one_young_people_version")]

    def __str__(self) -> str:
        return f"{self.partnership} {self.period} young people's version ({self.status})"
