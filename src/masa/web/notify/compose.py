"""The words of each notice: what happened, to which partnership, partner and period, and an
absolute link to the page (``MASA_SITE_URL`` + path)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

# kind -> (title for the subject, sentence; {partner} {period} {template} {actor} {due} {days} fill in)
KINDS = {
    "query_raised": ("Query on your return", "{actor} has raised a query on {partner}'s {template} for {period}."),
    "query_answered": ("Reply to a query", "{actor} has replied to a query on {partner}'s {template} for {period}."),
    "submitted": ("Return submitted", "{actor} has submitted {partner}'s {template} for {period}."),
    "approved": ("Return approved", "{actor} has approved {partner}'s {template} for {period}."),
    "published": ("Return published", "{actor} has published {partner}'s {template} for {period}."),
    "withdrawn": ("Publication withdrawn",
                  "{actor} has withdrawn the publication of {partner}'s {template} for {period}."),
    "deadline_14": ("Return due in 14 days", "{partner}'s {template} for {period} is due on {due}, {days}."),
    "deadline_7": ("Return due in 7 days", "{partner}'s {template} for {period} is due on {due}, {days}."),
    "deadline_1": ("Return due tomorrow", "{partner}'s {template} for {period} is due on {due}, {days}."),
    "overdue": ("Return overdue",
                "{partner}'s {template} for {period} was due on {due} and has not been submitted."),
}
EVENT_KINDS = ("query_raised", "query_answered", "submitted", "approved", "published", "withdrawn")
REMINDER_KINDS = ("deadline_14", "deadline_7", "deadline_1", "overdue")


@dataclass
class Composed:
    kind: str
    subject: str
    body: str
    url: str


def absolute(path: str) -> str:
    return f"{settings.MASA_SITE_URL}{path}"


def partnership_name(code: str = "") -> str:
    """The name of the partnership a notice is about (``code``; the installation's own if none)."""
    from masa.web.core.models import Partnership
    from masa.web.site.common import default_partnership_code, reset_partnership, spec, use_partnership

    try:
        code = code or default_partnership_code()
        name = Partnership.objects.filter(code=code).values_list("name", flat=True).first()
        if name:
            return name
        token = use_partnership(code)
        try:
            return spec().partnership.name
        finally:
            reset_partnership(token)
    except Exception:  # noqa: BLE001 - no stored spec: fall back to the code rather than fail a send
        return code or "masa"


def prefixed(path: str, partnership: str) -> str:
    """``path`` under ``/<code>/`` when the installation holds several partnerships, so the
    link opens the page in the partnership the notice is about."""
    from masa.web.store import stored_partnerships

    stored = stored_partnerships()
    return f"/{partnership}{path}" if partnership in stored and len(stored) > 1 else path


def _days(days: int) -> str:
    return "today" if days <= 0 else "tomorrow" if days == 1 else f"in {days} days"


def compose(kind: str, *, partner: str, period: str, template: str, path: str, actor: str = "",
            text: str = "", due: date | None = None, on: date | None = None, partnership: str = "",
            short: str = "") -> Composed:
    title, sentence = KINDS[kind]
    name = partnership_name(partnership)
    what = sentence.format(actor=actor or "Someone", partner=partner, period=period, template=template,
                           due=f"{due:%d %B %Y}".lstrip("0") if due else "", days=_days((due - on).days)
                           if due and on else "")
    url = absolute(path)
    body = render_to_string("notify/email/notice.txt", {
        "what": what, "text": text, "partnership": name, "partner": partner, "period": period, "url": url})
    return Composed(kind, f"{name}: {short or partner} {period}: {title}", body, url)


def for_return(kind: str, ret, actor=None, text: str = "", partnership: str = "") -> Composed:
    """A notice about an event on a stored return, in ``partnership`` (the one that acted,
    or whose business unit is told; the installation's own if none)."""
    from masa.web.site.common import default_partnership_code

    partnership = partnership or default_partnership_code()
    actor_name = (actor.get_full_name() or actor.username) if actor else ""
    return compose(kind, partner=ret.partner.name, short=ret.partner.short_name, period=ret.period.code,
                   template=ret.template.name, path=prefixed(reverse("site:return", kwargs={"pk": ret.pk}), partnership),
                   actor=actor_name, text=text, partnership=partnership)
