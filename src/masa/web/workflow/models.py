"""The workflow's records: transitions (who, when, why), threaded messages, deadlines, builds."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Transition(models.Model):
    ret = models.ForeignKey("core.Return", on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)
    partnership = models.CharField(max_length=64, blank=True)  # whose review moved; "" for the partner's own moves

    class Meta:
        ordering = ["ret", "at", "id"]


MESSAGE_KINDS = [("query", "Query"), ("comment", "Comment"), ("reply", "Reply")]


class Message(models.Model):
    """A query or comment on one section of a return; messages of a section form its thread."""

    ret = models.ForeignKey("core.Return", on_delete=models.CASCADE, related_name="messages")
    section = models.CharField(max_length=64)
    kind = models.CharField(max_length=10, choices=MESSAGE_KINDS)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    text = models.TextField()
    at = models.DateTimeField(auto_now_add=True)
    partnership = models.CharField(max_length=64, blank=True)  # whose business unit asked a query; "" otherwise

    class Meta:
        ordering = ["ret", "section", "at", "id"]


class Deadline(models.Model):
    """The date a period's returns are due to one partnership (every template of the period: a
    yearly template's periods are years and a quarterly one's are quarters, so one date per
    period serves both). Per partnership: periods are shared rows, each business unit sets its own."""

    period = models.ForeignKey("core.Period", on_delete=models.CASCADE, related_name="deadlines")
    partnership = models.CharField(max_length=64)
    due = models.DateField()

    class Meta:
        unique_together = [("period", "partnership")]


class Extension(models.Model):
    """One partner's later due date for one period from one partnership, with the reason its
    business unit gave (a partner serving two partnerships may have one from each)."""

    period = models.ForeignKey("core.Period", on_delete=models.CASCADE, related_name="extensions")
    partner = models.ForeignKey("core.Partner", on_delete=models.CASCADE, related_name="extensions")
    partnership = models.CharField(max_length=64)
    due = models.DateField()
    reason = models.TextField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        unique_together = [("period", "partner", "partnership")]
        ordering = ["period", "partner", "partnership"]


class Closure(models.Model):
    """A period closed to new returns by one partnership's business unit (its returns go on
    through the workflow). No row for a partnership: the period is open to it, if its spec has
    opened it."""

    period = models.ForeignKey("core.Period", on_delete=models.CASCADE, related_name="closures")
    partnership = models.CharField(max_length=64)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("period", "partnership")]


class ReportBuild(models.Model):
    STATES = [(s, s) for s in ("queued", "running", "done", "failed")]
    partnership = models.CharField(max_length=64)
    period = models.CharField(max_length=20)
    state = models.CharField(max_length=10, choices=STATES, default="queued")
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    out_dir = models.CharField(max_length=500, blank=True)
    files = models.JSONField(default=list)
    included = models.JSONField(default=list)  # ids of the returns built in; public only if all published
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]


class Review(models.Model):
    """One partnership's review of a return whose partner serves several partnerships: each
    partnership queries, approves and publishes on its own. ``approved`` and ``published``
    are the frozen versions it approved and published, so its report and public site keep
    what it agreed to while the partner answers another partnership's query. A return of a
    partner serving one partnership has no Review rows: its own status is the review's."""

    ret = models.ForeignKey("core.Return", on_delete=models.CASCADE, related_name="reviews")
    partnership = models.CharField(max_length=64)
    status = models.CharField(max_length=20)
    approved = models.ForeignKey("core.ReturnVersion", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    published = models.ForeignKey("core.ReturnVersion", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        unique_together = [("ret", "partnership")]
        ordering = ["ret", "partnership"]


class Withdrawal(models.Model):
    """A partnership's publication of a financial year taken down, with the reason given.
    The public site then says so, and when, and shows none of its figures."""

    partnership = models.CharField(max_length=64)
    period = models.CharField(max_length=20)
    reason = models.TextField()
    returns = models.JSONField(default=list)  # "partner/period/template" of each return taken down
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
