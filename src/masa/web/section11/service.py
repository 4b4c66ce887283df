"""Between the Section 11 engine and the database: read and write assessments whole, in one
transaction each, start a cycle from the last one, submit, moderate (audited), and load the
example's cycles without overwriting work done in the web."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import yaml
from django.db import transaction
from pydantic import ValidationError
from django.utils import timezone

from masa.assurance import section11 as s11
from masa.spec import SourceError, shift_period
from masa.web.auditlog.chain import append
from masa.web.core.models import Partner, Period

from . import models as m


def standards() -> s11.StandardSet:
    """The set new cycles are answered against: the newest loaded one, else masa's."""
    row = m.StandardSetVersion.objects.first()
    return s11.StandardSet.model_validate(row.document) if row else s11.shipped_standards()


def standards_of(row: m.Assessment) -> s11.StandardSet:
    return s11.StandardSet.model_validate(row.standards)


def previous_period(period: str) -> str:
    return shift_period(period, -1)


def to_engine(row: m.Assessment) -> s11.Assessment:
    answers = []
    for a in row.answers.all():
        answers.append(s11.Answer(
            standard=a.standard, rating=a.rating or None, evidence=a.evidence,
            previous_rating=a.previous_rating or None,
            actions=[s11.ActionItem(id=x.key, text=x.text, owner=x.owner, due=x.due, status=x.status,
                                    raised=x.raised, carried=x.carried) for x in a.actions.all()],
            moderation=[s11.Moderation(partnership=x.partnership, verdict=x.verdict, reason=x.reason, by=x.by,
                                       response=_response(x))
                        for x in a.moderations.order_by("partnership")]))
    return s11.Assessment(partner=row.partner.code, period=row.period.code, status=row.status, answers=answers)


def _response(x: m.Moderation) -> s11.Response | None:
    if not x.response_kind:
        return None
    return s11.Response(kind=x.response_kind, reason=x.response, by=x.response_by)


def _response_fields(r: s11.Response | None) -> dict:
    return {"response_kind": r.kind if r else "", "response": r.reason if r else "", "response_by": r.by if r else ""}


def _state(row: m.Assessment) -> str:
    doc = to_engine(row).model_dump(mode="json")
    for ans in doc["answers"]:  # no response: hashed as before responses existed, so loads stay comparable
        for mod in ans["moderation"]:
            if mod.get("response") is None:
                mod.pop("response", None)
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def write(row: m.Assessment, a: s11.Assessment) -> None:
    """Replace the row's answers and actions with ``a``'s; keeps evidence files and moderation
    of answers that stay. The caller holds the transaction."""
    keep = {x.standard: x for x in row.answers.all()}
    for order, ans in enumerate(a.answers):
        ar = keep.pop(ans.standard, None) or m.Answer(assessment=row, standard=ans.standard, order=order)
        ar.order, ar.rating, ar.evidence = order, ans.rating or "", ans.evidence
        ar.previous_rating = ans.previous_rating or ""
        ar.save()
        ar.actions.all().delete()
        m.ActionItem.objects.bulk_create([
            m.ActionItem(answer=ar, order=n, key=x.id, text=x.text, owner=x.owner, due=x.due, status=x.status,
                         raised=x.raised or a.period, carried=x.carried) for n, x in enumerate(ans.actions)])
        for mod in ans.moderation:
            m.Moderation.objects.update_or_create(answer=ar, partnership=mod.partnership, defaults={
                "verdict": mod.verdict, "reason": mod.reason, "by": mod.by, **_response_fields(mod.response)})
    for gone in keep.values():
        gone.delete()
    row.status = a.status
    row.save()


def start(partner: Partner, period: Period, who) -> m.Assessment:
    """The partner's assessment for the period, created (once) from last cycle's if there is one."""
    with transaction.atomic():
        row = m.Assessment.objects.select_for_update().filter(partner=partner, period=period).first()
        if row:
            return row
        st = standards()
        prev = m.Assessment.objects.filter(partner=partner, period__code=previous_period(period.code)).first()
        a = s11.carry_forward(to_engine(prev), period.code, st) if prev else s11.fresh(partner.code, period.code, st)
        row = m.Assessment.objects.create(partner=partner, period=period, standards=st.model_dump(mode="json"))
        write(row, a)
        append(who, "section11.started", target(row), {"carried_from": prev.period.code if prev else None})
        return row


def target(row: m.Assessment) -> str:
    return f"section11:{row.partner.code}:{row.period.code}"


def save(row: m.Assessment, a: s11.Assessment, files: list[tuple[str, object]], who) -> None:
    """Store the partner's answers and any new evidence files, all or nothing."""
    with transaction.atomic():
        write(row, a)
        for standard, f in files:
            ans = row.answers.get(standard=standard)
            m.EvidenceFile.objects.create(answer=ans, name=f.name[:200], content_type=f.content_type or "",
                                          size=f.size, data=f.read(), uploaded_by=_name(who))
        append(who, "section11.saved", target(row), {"files": [f.name for _, f in files]})


def submit(row: m.Assessment, who, *, again: bool = False) -> None:
    """Submitted (or, after answering challenges, resubmitted); the business unit of every
    partnership the partner serves is told once the transaction commits."""
    from masa.web.notify import events

    with transaction.atomic():
        row.status, row.submitted_by, row.submitted_at = "submitted", _name(who), timezone.now()
        row.save()
        append(who, "section11.resubmitted" if again else "section11.submitted", target(row), {})
        events.section11_submitted(row, who, again=again)


def respond(row: m.Assessment, responses: dict[str, s11.Response], revised: dict[str, s11.Answer], who) -> None:
    """The partner's answers to every open challenge, stored and audited, then the assessment
    resubmitted: all or nothing. Raises ValueError (nothing stored) if the engine refuses."""
    with transaction.atomic():
        row = m.Assessment.objects.select_for_update().get(pk=row.pk)
        before = to_engine(row)
        after = s11.respond(before, responses, revised)
        for standard, r in responses.items():
            old, new = before.answer(standard), after.answer(standard)
            ar = row.answers.get(standard=standard)
            kept = {x.partnership for x in new.moderation}
            dropped = sorted(x.partnership for x in old.moderation if x.partnership not in kept)
            ar.moderations.filter(partnership__in=dropped).delete()
            append(who, "section11.responded", target(row), {
                "standard": standard, "kind": r.kind, "reason": r.reason,
                "challenges": [{"partnership": x.partnership, "reason": x.reason} for x in old.open_challenges()],
                "rating": {"before": old.rating, "after": new.rating}, "verdicts_cleared": dropped})
        write(row, after)
        submit(row, who, again=True)


def moderate(row: m.Assessment, verdicts: dict[str, s11.Moderation], who) -> int:
    """Record this partnership's verdict on each rating given; every change goes in the audit log."""
    changed, challenged = 0, []
    with transaction.atomic():
        for standard, v in verdicts.items():
            ans = row.answers.get(standard=standard)
            old = ans.moderations.filter(partnership=v.partnership).first()
            if old and (old.verdict, old.reason) == (v.verdict, v.reason) and not old.response_kind:
                continue
            m.Moderation.objects.update_or_create(answer=ans, partnership=v.partnership, defaults={
                "verdict": v.verdict, "reason": v.reason, "by": _name(who), **_response_fields(None)})
            append(who, "section11.moderated", target(row), {
                "partnership": v.partnership, "standard": standard, "rating": ans.rating, "verdict": v.verdict,
                "reason": v.reason, "before": {"verdict": old.verdict, "reason": old.reason,
                                               "response": _response_fields(_response(old))} if old else None})
            changed += 1
            if v.verdict == "challenge":
                challenged.append(standard)
        if challenged:
            from masa.web.notify import events

            events.section11_challenged(row, who, next(iter(verdicts.values())).partnership, challenged)
    return changed


def _name(who) -> str:
    return who if isinstance(who, str) else (getattr(who, "username", "") or "")


# --- loading the example's cycles ---------------------------------------------------------------

def cycle_files(folder: Path) -> list[Path]:
    return sorted((Path(folder) / "assurance" / "section11").glob("*.yaml"))


def load_cycles(folder: Path, who=None, partnership: str = "") -> list[str]:
    """Store the folder's Section 11 cycles (assurance/section11/*.yaml, oldest period first);
    an assessment changed in the web since a load wrote it is kept. Returns lines naming what
    was kept. The caller holds the load's transaction.

    A shared partner's assessment is moderated by each of its partnerships; the folder of
    ``partnership`` sets that partnership's moderation only, and every other partnership's
    stays as stored (a file never rewrites another partnership's verdict)."""
    folder = Path(folder)
    files = cycle_files(folder)
    if not files:
        return []
    std_file = folder / "assurance" / "section11" / "standards.yaml"
    kept: list[str] = []
    cycles = []
    for f in files:
        try:
            doc = yaml.safe_load(f.read_text(encoding="utf-8"))
            if f == std_file:
                st = s11.StandardSet.model_validate(doc)
                if not m.StandardSetVersion.objects.filter(code=st.code, document=st.model_dump(mode="json")).exists():
                    m.StandardSetVersion.objects.create(code=st.code, document=st.model_dump(mode="json"))
                continue
            cycles.append((f, s11.Cycle.model_validate(doc)))
        except (yaml.YAMLError, ValidationError) as exc:
            raise SourceError(f"{f}: not a valid Section 11 file: {exc}") from None
    st = standards()
    for f, cycle in sorted(cycles, key=lambda c: c[1].period):
        period = Period.objects.filter(code=cycle.period).first()
        if period is None:
            raise SourceError(f"{f}: period {cycle.period!r} is not one of the spec's periods")
        written: list[str] = []
        for given in cycle.assessments:
            partner = Partner.objects.filter(code=given.partner).first()
            if partner is None or given.period != cycle.period:
                raise SourceError(f"{f}: assessment of {given.partner!r} {given.period}: the partner is not in the "
                                  f"spec, or the period is not the file's ({cycle.period})")
            unknown = [a.standard for a in given.answers if a.standard not in {s.code for s in st.standards}]
            if unknown:
                raise SourceError(f"{f}: {given.partner}: {', '.join(unknown)} not among the standards of {st.name}")
            row = m.Assessment.objects.filter(partner=partner, period=period).first()
            if row and row.loaded != _state(row):
                kept.append(f"Section 11 {given.partner} {cycle.period}: changed in the database; the file was not applied")
                continue
            prev = m.Assessment.objects.filter(partner=partner, period__code=previous_period(cycle.period)).first()
            base = s11.carry_forward(to_engine(prev), cycle.period, st) if prev else s11.fresh(given.partner, cycle.period, st)
            merged = _theirs_kept(_overlay(base, given), to_engine(row) if row else None, partnership)
            found = s11.problems(merged, st, period.start)
            if found:
                raise SourceError(f"{f}: {given.partner}: " + "; ".join(f"{w}: {msg}" for w, msg in found))
            if row is not None and to_engine(row).model_dump(mode="json") == merged.model_dump(mode="json"):
                continue  # nothing changed: nothing to write or record
            if row is None:
                row = m.Assessment.objects.create(partner=partner, period=period, standards=st.model_dump(mode="json"))
            write(row, merged)
            written.append(given.partner)
            if merged.status == "submitted" and not row.submitted_at:
                m.Assessment.objects.filter(pk=row.pk).update(submitted_at=timezone.now(), submitted_by="masa load")
            row.loaded = _state(row)
            m.Assessment.objects.filter(pk=row.pk).update(loaded=row.loaded)
        if written:
            append(who or "masa load", "section11.loaded", f"section11:{cycle.period}", {"assessments": written})
    return kept


def _theirs_kept(merged: s11.Assessment, stored: s11.Assessment | None, partnership: str) -> s11.Assessment:
    """``merged`` with only ``partnership``'s moderation taken from the file, and every other
    partnership's as stored (none, for an assessment not yet stored)."""
    if not partnership:
        return merged
    answers = []
    for ans in merged.answers:
        was = stored.answer(ans.standard) if stored else None
        others = [x for x in (was.moderation if was else []) if x.partnership != partnership]
        own = [x for x in ans.moderation if x.partnership == partnership]
        answers.append(ans.model_copy(update={"moderation": sorted(own + others, key=lambda x: x.partnership)}))
    return merged.model_copy(update={"answers": answers})


def _overlay(base: s11.Assessment, given: s11.Assessment) -> s11.Assessment:
    """The file's answers over the carried-forward base: ratings, evidence, moderation; actions
    by id (a carried action the file names again takes the file's status)."""
    answers = []
    for ans in base.answers:
        g = given.answer(ans.standard)
        if g is None:
            answers.append(ans)
            continue
        carried = {x.id: x for x in ans.actions}
        actions = []
        for x in g.actions:
            old = carried.pop(x.id, None)
            actions.append(x.model_copy(update={"carried": True, "raised": old.raised}) if old else
                           x.model_copy(update={"raised": x.raised or base.period}))
        answers.append(ans.model_copy(update={"rating": g.rating, "evidence": g.evidence,
                                              "moderation": g.moderation,
                                              "actions": list(carried.values()) + actions}))
    return base.model_copy(update={"status": given.status, "answers": answers})
