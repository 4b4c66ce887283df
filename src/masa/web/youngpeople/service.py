"""The young people's version's workflow: generate, save, approve, publish, reopen.

Each move is one transaction with its audit-log row, scoped to one partnership. The wording
and the publishing checks are the engine's (``masa.report.young_people``); approving and
publishing both re-run them on the text as edited, so an edit cannot bring in a count of
1–5 or a name, nor a figure the partnership's published report hides as "c" (compared with
the report's cells as the publishing boundary gives them, ``published_cells``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from masa.checks.personal import BIDI
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


def _clean(text: str) -> str:
    """Line ends made plain and invisible direction characters removed: they can make a
    published sentence read differently from what the checks read."""
    return BIDI.sub("", text.replace("\r\n", "\n")).strip()


def save(v: YoungPeopleVersion, sections: dict[str, str], who) -> None:
    """Store the edited sections; a section missing from ``sections`` keeps its text."""
    long = [engine.TITLES[c] for c, t in sections.items() if len(t) > MAX_CHARS]
    if long:
        raise Refused(f"“{long[0]}” is longer than {MAX_CHARS} characters: this is a short summary.")
    with transaction.atomic():
        v = _locked(v)
        if v.status != "draft":
            raise Refused(f"This version is {v.status}: send it back to draft to edit it.")
        v.sections = {code: _clean(sections[code]) if code in sections else v.sections.get(code, "")
                      for code, _ in engine.SECTIONS}
        v.save(update_fields=["sections", "updated"])
        append(who, "young_people.saved", target(v.partnership, v.period),
               {"grade": engine.readability(v.sections).grade})


def _locked(v: YoungPeopleVersion) -> YoungPeopleVersion:
    """The row as it is now, locked until the transaction ends: two clicks cannot both act on
    what each read before the other wrote."""
    return YoungPeopleVersion.objects.select_for_update().get(pk=v.pk)


def _expect(v: YoungPeopleVersion, shown: str | None, allowed: tuple[str, ...], done: str, what: str) -> bool:
    """Compare-and-set: go on only when the status is the one the page showed (``shown``, when the
    form sent it) and one this move starts from. False for a repeat click whose move is already
    made (nothing to do, nothing audited); refused for any other change since the page was read."""
    if shown and v.status != shown:
        if v.status == done and shown in allowed:
            return False
        raise Refused(f"This version was {shown} when you opened the page, but it is now {v.status}: someone "
                      f"else changed it meanwhile, so it was not {what}. Check it below and try again.")
    if v.status == done and v.status not in allowed:
        return False
    if v.status not in allowed:
        raise Refused(f"This version is {v.status}, so it cannot be {what}.")
    return True


def published_cells(code: str, period: str, joining=None) -> dict:
    """The cells the partnership's report for ``period`` publishes: its approved and published
    returns (the returns this version is made from) through the publishing boundary, exactly as
    the web publication reads them (``boundary.published_parts``); with ``joining``, a return
    about to be approved or published, as it would be published, among them. Refused when the
    boundary cannot protect them: this version could then not be compared with what the report
    hides."""
    from masa.report import boundary
    from masa.web import store

    dataset = store.dataset_for(code, period, statuses=PUBLIC_STATUSES)
    if joining is not None:
        dataset = dataset.model_copy(update={"returns": [
            r for r in dataset.returns if r.key() != joining.key()] + [joining]})
    try:
        published = boundary.published_parts(dataset, period)
    except (boundary.ReportError, ValueError) as exc:
        raise Refused(f"The report's figures for {period} cannot be published as they stand ({exc}), so this "
                      "version cannot be checked against the figures the report hides. Have the returns "
                      "corrected first.") from None
    return _with_shared_partners(code, period, published)


def _with_shared_partners(code: str, period: str, published: dict) -> dict:
    """``published`` with the cells other partnerships publish, or will publish, for the
    partners they share with this one: a version that speaks of a shared partner's work in another partnership's area
    ("in Bedford, the fire service referred 7 boys") must not state what that report hides.
    Another partnership whose figures cannot be protected adds nothing (its own pages say why)."""
    from masa.report import boundary
    from masa.web import store
    from masa.web.core.models import Partnership

    mine = {partner for _, partner in published}
    others = (Partnership.objects.filter(partners__code__in=mine).exclude(code=code).distinct()
              .values_list("code", flat=True))
    out = {k: list(v) for k, v in published.items()}
    for other in others:
        try:
            # every stored return, not only those it has published: what it will publish
            # later must not have been given away here first
            theirs = boundary.published_parts(store.dataset_for(other, period), period)
        except (boundary.ReportError, ValueError, KeyError):
            continue
        for (template, partner), cells in theirs.items():
            if partner not in mine:
                continue
            have = out.setdefault((template, partner), [])
            ours = {dict(x.by).get("area") for x in have}
            have.extend(c for c in cells if dict(c.by).get("area") and dict(c.by).get("area") not in ours)  # its areas only
    return out


def problems(v: YoungPeopleVersion, spec, sections: dict[str, str] | None = None, joining=None) -> list[engine.Problem]:
    """What stops ``sections`` (the version's own by default) being approved or published,
    including any figure the published report hides as "c" that the text states or gives back.
    ``joining``: a return about to be approved or published beside an approved or published
    version, which must not then give away a "c" of that return's table."""
    sections = dict(v.sections) if sections is None else sections
    try:
        published = published_cells(v.partnership, v.period, joining)
    except Refused as exc:
        return [engine.Problem("figures", "", str(exc)), *engine.problems(spec, sections)]
    return engine.problems(spec, sections, published, v.period)


def _refuse_unsafe(v: YoungPeopleVersion, spec, what: str) -> None:
    found = problems(v, spec)
    if found:
        raise Refused(f"This version cannot be {what}: {found[0]}")


def approve(v: YoungPeopleVersion, spec, who, shown: str | None = None) -> bool:
    """Draft → approved; False when it already was (a repeat click)."""
    with transaction.atomic():
        v = _locked(v)
        if not _expect(v, shown, ("draft",), "approved", "approved"):
            return False
        _refuse_unsafe(v, spec, "approved")
        v.status = "approved"
        v.save(update_fields=["status", "updated"])
        append(who, "young_people.approved", target(v.partnership, v.period), {})
    return True


def publish(v: YoungPeopleVersion, spec, who, shown: str | None = None) -> bool:
    """Approved → published, with its PDF; the checks run again on the text as it stands. The row
    stays locked while the PDF is made, so a "send back to draft" waits and then sees it published
    (and is refused as stale), never silently undone; False for a repeat click."""
    import tempfile
    from pathlib import Path

    with transaction.atomic():
        v = _locked(v)
        if not _expect(v, shown, ("approved",), "published", "published"):
            return False
        _refuse_unsafe(v, spec, "published")
        with tempfile.TemporaryDirectory(prefix="masa-yp-") as tmp:
            path = engine.render_pdf(as_draft(v, spec), Path(tmp) / "young-people.pdf")
            pdf = path.read_bytes()
        v.status, v.pdf, v.published_at = "published", pdf, timezone.now()
        v.save(update_fields=["status", "pdf", "published_at", "updated"])
        append(who, "young_people.published", target(v.partnership, v.period), {})
    return True


def reopen(v: YoungPeopleVersion, who, reason: str = "", shown: str | None = None) -> bool:
    """Back to draft (a published version leaves the public site); False when it already is."""
    with transaction.atomic():
        v = _locked(v)
        if not _expect(v, shown, ("approved", "published"), "draft", "sent back to draft"):
            return False
        was = v.status
        v.status, v.pdf, v.published_at = "draft", None, None
        v.save(update_fields=["status", "pdf", "published_at", "updated"])
        append(who, "young_people.reopened", target(v.partnership, v.period), {"was": was})
    return True
