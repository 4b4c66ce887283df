"""Sending: each unsent notice of a person who wants immediate emails as its own email, and
one digest a day for the others. A notice is claimed (``sent_at`` set) before its email goes
and released if sending fails, so two workers never send it twice and a failure is retried."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .compose import absolute
from .models import DIGEST, Notice, Preference
from .recipients import address

FOOTER = "\nYou can choose between an email for each notification and one daily digest: {url}\n"


def _claim(ids) -> list[Notice]:
    now = timezone.now()
    mine = []
    for n in Notice.objects.filter(pk__in=list(ids), sent_at__isnull=True).select_related("user"):
        if Notice.objects.filter(pk=n.pk, sent_at__isnull=True).update(sent_at=now):
            mine.append(n)
    return mine


def _release(notices) -> None:
    Notice.objects.filter(pk__in=[n.pk for n in notices]).update(sent_at=None)


def _digest_users():
    return Preference.objects.filter(mode=DIGEST).values_list("user_id", flat=True)


def send_immediate(ids=None) -> int:
    """Send unsent notices (of ``ids``, or all) of people who want immediate emails."""
    qs = Notice.objects.filter(sent_at__isnull=True).exclude(user_id__in=_digest_users())
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    sent = 0
    footer = FOOTER.format(url=absolute(reverse("notify:preferences")))
    for n in _claim(qs.values_list("pk", flat=True)):
        try:
            EmailMessage(n.subject, n.body + footer, to=[address(n.user)]).send()
        except Exception:
            _release([n])
            raise
        sent += 1
    return sent


def send_digests() -> int:
    """One email per digest reader with every unsent notice of theirs; the number sent."""
    sent = 0
    users = (Notice.objects.filter(Q(sent_at__isnull=True), user_id__in=_digest_users())
             .values_list("user_id", flat=True).distinct())
    for user_id in sorted(set(users)):
        notices = _claim(Notice.objects.filter(user_id=user_id, sent_at__isnull=True).values_list("pk", flat=True))
        if not notices:
            continue
        body = render_to_string("notify/email/digest.txt", {
            "notices": notices, "preferences": absolute(reverse("notify:preferences"))})
        try:
            EmailMessage(f"masa daily digest: {len(notices)} notification{'s' if len(notices) > 1 else ''}",
                         body, to=[address(notices[0].user)]).send()
        except Exception:
            _release(notices)
            raise
        sent += 1
    return sent
