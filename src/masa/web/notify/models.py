"""Each person's choice (immediate emails or a daily digest) and the notices owed to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

IMMEDIATE, DIGEST = "immediate", "digest"
MODES = [(IMMEDIATE, "Send each notification as it happens"),
         (DIGEST, "Send one email a day with everything since the last one")]


class Preference(models.Model):
    """No row: immediate emails."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notify_preference")
    mode = models.CharField(max_length=10, choices=MODES, default=IMMEDIATE)


class Notice(models.Model):
    """One thing one person is to be told. ``sent_at`` is set when its email (own or digest)
    goes; ``key`` makes a reminder or an event's notice unique per person, so running the
    daily command or a retried task twice never tells anyone twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=255, unique=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    url = models.CharField(max_length=500)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["user", "sent_at"])]


def mode_of(user) -> str:
    pref = Preference.objects.filter(user=user).first()
    return pref.mode if pref else IMMEDIATE
