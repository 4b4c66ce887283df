"""A worker's heartbeat: how another worker tells a live task from one whose worker died."""

from __future__ import annotations

from django.db import models


class WorkerBeat(models.Model):
    """One running ``masa worker`` process. Updated every few seconds; deleted on a clean
    exit. A row gone stale (or whose process is gone on this host) means the worker died."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started = models.DateTimeField(auto_now_add=True)
    seen = models.DateTimeField()
