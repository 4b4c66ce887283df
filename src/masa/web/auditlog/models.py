"""The append-only audit log. Each row carries the hash of the row before it."""

from __future__ import annotations

from django.db import models


class AppendOnly(Exception):
    pass


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=60)
    target = models.CharField(max_length=200)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("audit log rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit log rows cannot be deleted")


class ChainHead(models.Model):
    """The newest row's sequence number and hash, so deleting the last rows is detected too."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
