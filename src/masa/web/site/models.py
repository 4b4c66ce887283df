"""A document import waiting for its uploader to review and confirm it.

The drafts and the source text are held here, server-side, keyed by a random token and owned
by the user who uploaded the file; the confirm step reads them from here, never from the form.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

PENDING_FOR = timedelta(hours=8)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class PendingImport(models.Model):
    token = models.CharField(max_length=64, unique=True, default=new_token)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports")
    partner = models.CharField(max_length=64, blank=True)  # a partner user's own partner; "" for the business unit
    filename = models.CharField(max_length=255)
    period = models.CharField(max_length=16)
    created = models.DateTimeField(default=timezone.now)
    returns = models.JSONField(default=list)  # Return.model_dump(mode="json") per draft
    review = models.JSONField(default=dict)  # source text per partner and the import report, for display

    @property
    def expired(self) -> bool:
        return timezone.now() - self.created > PENDING_FOR

    @classmethod
    def purge_expired(cls) -> None:
        cls.objects.filter(created__lt=timezone.now() - PENDING_FOR).delete()


class CarriedItems(models.Model):
    """A return's carry-forward part: last year's unfinished audit actions and next-year
    priorities with this year's answers, and the stable ids of its own audit actions.

    Kept as one JSON document beside the return's rows (``masa.web.store`` writes and reads
    it with the rest of the return), because it is read and written whole."""

    ret = models.OneToOneField("core.Return", on_delete=models.CASCADE, related_name="carried")
    content = models.JSONField(default=dict)  # carried_actions, priority_reviews, action_ids {"audit.action": id}
