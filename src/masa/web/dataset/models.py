"""The business unit's commentary on an indicator for one period: what the figure means, what
is being done. One per partnership, indicator and period; every change is in the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Commentary(models.Model):
    partnership = models.CharField(max_length=64)
    indicator = models.CharField(max_length=64)
    period = models.CharField(max_length=20)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partnership", "indicator", "period"],
                                               name="one_commentary_per_indicator_period")]
        ordering = ["indicator", "period"]
