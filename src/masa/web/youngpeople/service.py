"""The young people's version's workflow: generate, save, approve, publish, reopen.

Each move is one transaction with its audit-log row, scoped to one partnership. The wording
and the publishing checks are the engine's (``masa.report.young_people``); approving and
publishing both re-run them on the text as edited, so an edit cannot bring in a count of
1–5 or a name.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from masa.report import young_people as engine
from masa.returns import PUBLIC_STATUSES
from masa.web.auditlog.chain import append

from .models import YoungPeopleVersion

MAX_CHARS = 6000  # per section: a short summary


class Refused(ValueError):
    """A move that is not allowed now; the message says why and what to do."""


def target(code: str, period: str) -> str:
    return f"young-people:{code}:{period}"


def version(code: str, period: str) -> YoungPeopleVersion | None:
    return YoungPeopleVersion.objects.filter(partnership=code, period=period).first()


def as_draft(v: YoungPeopleVersion, spec) -> engine.Draft:
    return engine.Draft(spec.partnership.code, spec.partnership.name, v.period, dict(v.sections))


def generate(code: str, period: str, who) -> YoungPeopleVersion:
    """A new draft from the period's approved and published returns (a public build's)."""
    from masa.web import store

    v = version(code, period)
    if v is not None and v.status != "draft":
        raise Refused(f"The {period} version is {v.status}: send it back to draft before generating it again.")
    dataset = store.dataset_for(code, period, statuses=PUBLIC_STATUSES)
    if not dataset.returns_for(period):
        raise Refused(f"No return for {period} is approved yet, so there is nothing to summarise: approve the "
                      "returns first, then generate the young people's version.")
    draft = engine.build_draft(dataset, period)
    with transaction.atomic():
        v, _ = YoungPeopleVersion.objects.update_or_create(
            partnership=code, period=period, defaults={"sections": draft.sections, "status": "draft", "pdf": None})
        append(who, "young_people.generated", target(code, period),
               {"grade": engine.readability(draft.sections).grade})
    return v


def save(v: YoungPeopleVersion, sections: dict[str, str], who) -> None:
    if v.status != "draft":
        raise Refused(f"This version is {v.status}: send it back to draft to edit it.")
    long = [engine.TITLES[c] for c, t in sections.items() if len(t) > MAX_CHARS]
    if long:
        raise Refused(f"“{long[0]}” is longer than {MAX_CHARS} characters: this is a short summary.")
    with transaction.atomic():
        v.sections = {code: sections.get(code, "").replace("\r\n", "\n").strip() for code, _ in engine.SECTIONS}
        v.save()
        append(who, "young_people.saved", target(v.partnership, v.period),
               {"grade": engine.readability(v.sections).grade})


def _refuse_unsafe(v: YoungPeopleVersion, spec, what: str) -> None:
    found = engine.problems(spec, v.sections)
    if found:
        raise Refused(f"This version cannot be {what}: {found[0]}")


def approve(v: YoungPeopleVersion, spec, who) -> None:
    if v.status != "draft":
        raise Refused(f"Only a draft can be approved; this version is {v.status}.")
    _refuse_unsafe(v, spec, "approved")
    with transaction.atomic():
        v.status = "approved"
        v.save()
        append(who, "young_people.approved", target(v.partnership, v.period), {})


def publish(v: YoungPeopleVersion, spec, who) -> None:
    """Approved → published, with its PDF; the checks run again on the text as it stands."""
    import tempfile
    from pathlib import Path

    if v.status != "approved":
        raise Refused(f"Only an approved version can be published; this one is {v.status}.")
    _refuse_unsafe(v, spec, "published")
    with tempfile.TemporaryDirectory(prefix="masa-yp-") as tmp:
        path = engine.render_pdf(as_draft(v, spec), Path(tmp) / "young-people.pdf")
        pdf = path.read_bytes()
    with transaction.atomic():
        v.status, v.pdf, v.published_at = "published", pdf, timezone.now()
        v.save()
        append(who, "young_people.published", target(v.partnership, v.period), {})


def reopen(v: YoungPeopleVersion, who, reason: str = "") -> None:
    """Back to draft (a published version leaves the public site)."""
    if v.status == "draft":
        raise Refused("This version is already a draft.")
    with transaction.atomic():
        was = v.status
        v.status, v.pdf, v.published_at = "draft", None, None
        v.save()
        append(who, "young_people.reopened", target(v.partnership, v.period), {"was": was})
