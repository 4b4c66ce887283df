"""The storage API that the CLI and the web app call: specs and returns in, datasets out.

Every write is one transaction: a failure leaves the database as it was. Loading the
same content twice changes nothing (content hashes decide what to rewrite).
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from masa.returns import PUBLIC_STATUSES, Dataset, Return, load_dataset, reference_problems
from masa.returns.model import (
    Action,
    Attachment,
    Audit,
    CarriedAction,
    CaseStudy,
    Challenge,
    DataValue,
    Highlight,
    NextYearPriority,
    PriorityReview,
    Provenance,
    SectionAnswer,
)
from masa.returns.quarters import year_and_quarters
from masa.returns.scope import scope_dataset
from masa.spec import Location, Spec, SpecError

from . import setup
from .memo import forget, per_request
from .workflow.checks_seam import companions_in, stored_companions, unearned_approval


class UnknownChoice(ValueError):
    """An unknown partnership, period or partner; the message lists the valid ones."""

    def __init__(self, kind: str, value: str, valid: list[str]):
        self.kind, self.value, self.valid = kind, value, valid
        listing = ", ".join(valid) if valid else "none stored yet (run `masa load FOLDER` first)"
        super().__init__(f"unknown {kind} {value!r}; valid {kind}s: {listing}")


@dataclass
class LoadSummary:
    partnership: str
    spec_changed: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # "ccs 2024-25 appendix-b is published in the database"
    spec_kept: list[str] = field(default_factory=list)  # "indicator x: changed in the database ..."
    held: list[str] = field(default_factory=list)  # said approved in the file, stored as submitted
    values: int = 0
    assurance: list[str] = field(default_factory=list)  # reviews, audits, scrutiny years added (masa.web.assurance)
    assurance_kept: list[str] = field(default_factory=list)  # already stored: the web's version kept

    @property
    def changed(self) -> bool:
        return self.spec_changed or bool(self.created or self.updated)


def _sha(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()


def _by_key(by: dict[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in sorted(by.items()))


def _models():
    setup()
    from .core import models

    return models


# --- specs --------------------------------------------------------------------------------

def store_spec(spec: Spec, who=None, via: str = "store.store_spec", effective_from: str | None = None) -> bool:
    """Store a validated spec and upsert the entities returns refer to. True if anything changed.

    A new spec version is audited and its entity-level changes against the previous version
    are recorded (``SpecChange``), applying from ``effective_from`` (default: the spec's
    current year; a partnership's first version applies to every year). ``who``: the
    command-line ``Invocation`` or the signed-in user, if any."""
    m = _models()
    from django.db import transaction
    from django.utils import timezone

    from masa.spec.changes import diff

    doc = spec.model_dump(mode="json")
    sha = _sha(doc)
    code = spec.partnership.code
    _refuse_disagreements(spec)
    with transaction.atomic():
        newest = m.SpecVersion.objects.filter(partnership=code).first()
        version, created = m.SpecVersion.objects.get_or_create(
            partnership=code, sha256=sha, defaults={"document": doc})
        if not created and newest.pk != version.pk:
            # re-storing an older spec makes it the newest again (its change records stay)
            m.SpecVersion.objects.filter(pk=version.pk).update(loaded_at=timezone.now())
            created = True
        changes = diff(_normalised(newest.document) if newest else None, doc) if created else []
        if changes:
            when = "" if newest is None else (effective_from or spec.periods.current)
            name = _who_name(who, via)
            m.SpecChange.objects.bulk_create([
                m.SpecChange(partnership=code, version=version, kind=c.kind, code=c.code, change=c.change,
                             before=c.before, after=c.after, who=name, via=via, effective_from=when)
                for c in changes])
        # Shared rows (a force serving three partnerships) are the other partnerships' too: never
        # changed by this spec's labels, and refused if it disagrees on what identifies them.
        shared = _shared_codes(code)
        areas = {a.code: _upsert(m.Area, a.code, a.code in shared["areas"], name=a.name) for a in spec.areas}
        partners = {}
        for p in spec.partners:
            partners[p.code] = _upsert(m.Partner, p.code, p.code in shared["partners"], name=p.name,
                                       short_name=p.short_name, type=p.type)
            # the areas other partnerships' specs give it stay; this spec's own list replaces its part
            elsewhere = [a for a in partners[p.code].areas.all() if a.code not in areas]
            partners[p.code].areas.set([areas[a] for a in p.areas] + elsewhere)
        ps = _upsert(m.Partnership, spec.partnership.code, False, name=spec.partnership.name)
        ps.areas.set([areas[a] for a in spec.partnership.areas])
        ps.partners.set(partners.values())
        for per in spec.period_list:
            _upsert(m.Period, per.code, False, kind=per.kind, start=per.start, end=per.end)
        for pr in spec.priorities:
            _upsert(m.Priority, pr.code, pr.code in shared["priorities"], name=pr.name, kind=pr.kind)
        for ind in spec.indicators:
            _upsert(m.Indicator, ind.code, ind.code in shared["indicators"], name=ind.name, unit=ind.unit)
        for t in spec.templates:
            _upsert(m.Template, t.code, t.code in shared["templates"], name=t.name)
        if created:
            _record(who, via, "spec.stored", f"spec:{spec.partnership.code}",
                    {"sha256": sha, "periods": len(spec.period_list), "indicators": len(spec.indicators),
                     "changes": [c.summary for c in changes][:200],
                     "effective_from": (effective_from or spec.periods.current) if newest else ""})
    forget()  # a request's remembered list of partnerships (masa.web.memo) may have just changed
    return created


def _who_name(who, via: str) -> str:
    """The name a change record carries: the signed-in user, or the command line's user."""
    if who is None:
        return ""
    return getattr(who, "actor", None) or getattr(who, "username", "") or str(who)


def _other_specs(code: str) -> dict[str, Spec]:
    """The newest spec of every other partnership in the database."""
    m = _models()
    out = {}
    for other in sorted(set(m.SpecVersion.objects.exclude(partnership=code).values_list("partnership", flat=True))):
        doc = m.SpecVersion.objects.filter(partnership=other).first().document
        try:
            out[other] = Spec.model_validate(doc)
        except ValueError:
            continue  # a spec older models cannot read: nothing to compare with
    return out


def _shared_codes(code: str) -> dict[str, set[str]]:
    """Codes, per kind of entity, that another partnership's newest spec also uses."""
    out: dict[str, set[str]] = {k: set() for k in ("areas", "partners", "priorities", "indicators", "templates")}
    for other in _other_specs(code).values():
        for kind, codes in out.items():
            codes.update(e.code for e in getattr(other, kind))
    return out


def _refuse_disagreements(spec: Spec) -> None:
    """Raise SpecError naming each shared entity this spec identifies differently from another
    partnership's spec (``masa.spec.shared``): nothing is stored."""
    from masa.spec.shared import disagreements

    problems = disagreements(spec, _other_specs(spec.partnership.code))
    if problems:
        raise SpecError([(Location(f"partnership {spec.partnership.code}", None, where), msg)
                         for where, msg in problems])


def _upsert(model, code: str, shared: bool = False, **fields):
    """Create or update the row of ``code``; a row another partnership shares keeps its fields."""
    obj, created = model.objects.get_or_create(code=code, defaults=fields)
    if not created and not shared and any(getattr(obj, k) != v for k, v in fields.items()):
        for k, v in fields.items():
            setattr(obj, k, v)
        obj.save()
    return obj


@per_request
def stored_partnerships() -> list[str]:
    m = _models()
    return sorted(set(m.SpecVersion.objects.values_list("partnership", flat=True)))


_SPECS: OrderedDict = OrderedDict()  # (version id, its sha256, ids of the changes undone) -> Spec


def spec_for(partnership: str, period: str | None = None) -> Spec:
    """The newest stored spec of a partnership; with ``period``, the spec that applied to that
    period's financial year: the newest one with every recorded change that applies from a
    later year undone, so an earlier year keeps its own labels, indicators and partners.

    Built once per content: a stored version and its change records are never rewritten
    (a new spec is a new version), so the version's id and hash and the ids of the changes
    undone name the result; two small queries find them, and the document is read and
    validated only when that key is new. Callers share the Spec and must not change it."""
    m = _models()
    year = period.split(" ")[0] if period is not None else None
    key = _spec_key(partnership, year)
    if key is None:
        raise UnknownChoice("partnership", partnership, stored_partnerships())
    if key in _SPECS:
        _SPECS.move_to_end(key)
        return _SPECS[key]
    built = _build_spec(m, partnership, key[0], year, key[2])
    _SPECS[key] = built
    while len(_SPECS) > 32:
        _SPECS.popitem(last=False)
    return built


@per_request
def _spec_key(partnership: str, year: str | None) -> tuple | None:
    """(newest version's id, its sha256, ids of the changes undone for ``year``), or None."""
    m = _models()
    version = m.SpecVersion.objects.filter(partnership=partnership).only("id", "sha256").first()
    if version is None:
        return None
    later_ids = (tuple(m.SpecChange.objects.filter(partnership=partnership, effective_from__gt=year)
                       .order_by("id").values_list("id", flat=True)) if year is not None else ())
    return version.pk, version.sha256, later_ids


def _build_spec(m, partnership: str, version_id: int, year: str | None, later_ids: tuple) -> Spec:
    version = m.SpecVersion.objects.get(pk=version_id)
    if not later_ids:
        return Spec.model_validate(version.document)
    from masa.spec.changes import Change, revert

    later = [Change(c.kind, c.code, c.change, c.before, c.after) for c in
             m.SpecChange.objects.filter(pk__in=later_ids).order_by("id")]
    if not later:
        return Spec.model_validate(version.document)
    from pydantic import ValidationError

    try:
        return Spec.model_validate(revert(version.document, later))
    except ValidationError as exc:  # an inconsistent mix of undone changes: the newest spec, not a failed report
        import logging

        logging.getLogger(__name__).warning("the %s spec of %s cannot be rebuilt (%s); using the newest spec",
                                            year, partnership, exc.errors()[0].get("msg", exc))
        return Spec.model_validate(version.document)


def spec_changes(partnership: str, limit: int = 200) -> list:
    """The recorded spec changes of a partnership, newest first."""
    m = _models()
    return list(m.SpecChange.objects.filter(partnership=partnership).order_by("-id")[:limit])


# --- returns ------------------------------------------------------------------------------

def save_returns(spec: Spec, returns: list[Return], status: str | None = None, who=None) -> list[int]:
    """Validate and store returns in one transaction; returns their ids.

    ``status`` overrides each return's own status (imports save drafts). ``who`` is the
    command-line ``Invocation`` the audit log names, if a CLI command is writing. Raises
    SpecError naming each problem; nothing is stored if any return is invalid.
    """
    _check_references(spec, returns)
    from django.db import transaction

    with transaction.atomic():
        store_spec(spec, who, "store.save_returns")
        ids = []
        for ret in returns:
            if status:
                ret = ret.model_copy(update={"status": status})
            pk, what = _save_return(ret)
            ids.append(pk)
            _audit(ret, what, "store.save_returns", who)
    return ids


def save_drafts(spec: Spec, returns: list[Return], who=None) -> tuple[list[int], list[tuple[Return, str]]]:
    """Store imported returns as drafts, never over a return that is no longer a draft.

    The web import's rule, for the CLI: returns (ids saved, [(refused return, its status)]).
    The status check and the writes happen in one transaction, under the rows' locks."""
    _check_references(spec, returns)
    m = _models()
    from django.db import transaction

    with transaction.atomic():
        refused, saveable = [], []
        for ret in returns:
            row = (m.Return.objects.select_for_update()
                   .filter(partner__code=ret.partner, period__code=ret.period, template__code=ret.template).first())
            if row is not None and row.status != "draft":
                refused.append((ret, row.status))
            else:
                saveable.append(ret)
        ids = save_returns(spec, saveable, status="draft", who=who) if saveable else []
    return ids, refused


def _check_references(spec: Spec, returns: list[Return]) -> None:
    """Raise SpecError naming every return's reference errors (unknown partner, indicator...)."""
    problems = []
    for ret in returns:
        for p in reference_problems(spec, ret):
            if p.severity == "error":
                where = ".".join(str(x) for x in p.loc)
                problems.append((Location(ret.source or f"return {ret.partner} {ret.period} {ret.template}", None, where),
                                 p.message))
    if problems:
        raise SpecError(problems)


def _audit(ret: Return, what: str, via: str, who=None) -> None:
    """Record a stored return in the tamper-evident audit log (web.auditlog); a CLI write
    (``who`` given) names the operating-system user and the command line."""
    if what == "unchanged":
        return
    _record(who, via, f"return.{what}", f"return:{ret.partner}/{ret.period}/{ret.template}",
            {"status": ret.status, "values": len(ret.values), "source": ret.source})


def _record(who, via: str, action: str, target: str, data: dict) -> None:
    from .auditlog.cli import Invocation

    if isinstance(who, Invocation):
        from .auditlog.cli import record

        record(who, action, target, {**data, "via": via})
        return
    if who is not None:  # the signed-in user of a web change
        from .auditlog.chain import append

        append(who, action, target, {**data, "via": via})
        return
    from .auditlog.chain import append

    append(via, action, target, data)


PARTS = ("sections", "audits", "highlights", "challenges", "next_year", "case_studies", "attachments", "values")


def _save_return(ret: Return, row=None) -> tuple[int, str]:
    """Store one return; returns (id, "created" | "updated" | "unchanged").

    Each part (sections, audits, figures, ...) is rewritten only when its own content hash
    changed, so an autosave that edits one figure writes one figure. ``row``: the stored
    return's row, freshly read in the caller's transaction (a save of the web form), so it
    is not looked up again."""
    m = _models()
    content = ret.model_dump(mode="json")
    sha = _sha(content)
    if row is not None and (row.partner.code, row.period.code, row.template.code) == (ret.partner, ret.period,
                                                                                    ret.template):
        created = False
    else:
        row, created = m.Return.objects.get_or_create(
            partner=m.Partner.objects.get(code=ret.partner),
            period=m.Period.objects.get(code=ret.period),
            template=m.Template.objects.get(code=ret.template),
            defaults={"status": ret.status},
        )
    if not created and row.content_sha256 == sha:
        return row.pk, "unchanged"
    parts = {part: _sha(content[part]) for part in PARTS}
    changed = {part for part in PARTS if row.part_sha256.get(part) != parts[part]}
    carry = _carry_doc(ret)
    parts[CARRY_PART] = _sha(carry)
    if row.part_sha256.get(CARRY_PART, EMPTY_CARRY) != parts[CARRY_PART]:  # rows stored before it existed
        changed.add(CARRY_PART)
    if FILE_STAMP in (row.part_sha256 or {}):  # kept so a later load can say "changed since loaded"
        parts[FILE_STAMP] = row.part_sha256[FILE_STAMP]
    row.status, row.voice, row.content_sha256, row.part_sha256 = ret.status, ret.voice, sha, parts
    row.voice_areas = ret.voice_areas
    row.lock_version += 0 if created else 1
    row.save()
    for rel in changed - {"values", CARRY_PART}:
        getattr(row, rel).all().delete()
    tagged = changed & {"sections", "audits", "challenges", "next_year"}
    priorities = {p.code: p for p in m.Priority.objects.all()} if tagged else {}
    if "sections" in changed:
        for i, s in enumerate(ret.sections):
            obj = m.SectionAnswer.objects.create(ret=row, order=i, section=s.section, heading=s.heading, text=s.text,
                                                 areas=s.areas)
            obj.priorities.set([priorities[c] for c in s.priorities])
    if "audits" in changed:
        for i, a in enumerate(ret.audits):
            audit = m.Audit.objects.create(ret=row, order=i, title=a.title, findings=a.findings, areas=a.areas)
            audit.priorities.set([priorities[c] for c in a.priorities])
            m.AuditAction.objects.bulk_create(
                m.AuditAction(audit=audit, order=j, text=act.text, owner=act.owner, due=act.due, status=act.status)
                for j, act in enumerate(a.actions))
    if "highlights" in changed:
        m.Highlight.objects.bulk_create(m.Highlight(ret=row, order=i, delivered=h.delivered, impact=h.impact, areas=h.areas)
                                        for i, h in enumerate(ret.highlights))
    for part, model in (("challenges", m.Challenge), ("next_year", m.NextYearPriority)):
        if part in changed:
            for i, item in enumerate(getattr(ret, part)):
                model.objects.create(ret=row, order=i, text=item.text, areas=item.areas).priorities.set(
                    [priorities[x] for x in item.priorities])
    if "case_studies" in changed:
        m.CaseStudy.objects.bulk_create(m.CaseStudy(ret=row, order=i, title=c.title, text=c.text,
                                                    anonymised=c.anonymised, areas=c.areas) for i, c in enumerate(ret.case_studies))
    if "attachments" in changed:
        areas = dict(m.Area.objects.values_list("code", "pk"))
        periods = dict(m.Period.objects.values_list("code", "pk"))
        m.Attachment.objects.bulk_create(
            m.Attachment(ret=row, order=i, label=a.label, filename=a.filename, status=a.status,
                         area_id=areas[a.area] if a.area else None, period_id=periods[a.period] if a.period else None)
            for i, a in enumerate(ret.attachments))
    if "values" in changed:
        _save_values(row, ret)
    if CARRY_PART in changed:
        _save_carry(row, carry)
    if ret.status != "draft":
        snapshot(row, ret)
    return row.pk, "created" if created else "updated"


CARRY_PART = "carried"  # key in Return.part_sha256 for the carry-forward part (site.CarriedItems)


def _carry_doc(ret: Return) -> dict:
    """The carry-forward part as stored: carried actions, priority reviews, and the ids given
    to the return's own audit actions (the core rows have no column for them)."""
    return {"carried_actions": [c.model_dump(mode="json") for c in ret.carried_actions],
            "priority_reviews": [p.model_dump(mode="json") for p in ret.priority_reviews],
            "action_ids": {f"{i}.{j}": a.id for i, au in enumerate(ret.audits)
                           for j, a in enumerate(au.actions) if a.id}}


EMPTY_CARRY = _sha({"carried_actions": [], "priority_reviews": [], "action_ids": {}})


def _save_carry(row, doc: dict) -> None:
    from .site.models import CarriedItems

    if any(doc.values()):
        CarriedItems.objects.update_or_create(ret=row, defaults={"content": doc})
    else:
        CarriedItems.objects.filter(ret=row).delete()


def _carried(row) -> dict:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return row.carried.content or {}
    except ObjectDoesNotExist:
        return {}


class FigureOwned(SpecError):
    """A figure already held by another return of the same partner, with a different value."""


VALUE_FIELDS = ("by", "area_id", "value", "note", "ret_id", "order", "provenance_kind", "source", "definition",
                "sha256", "rows", "quarantined", "computed_at", "sentence", "areas")


def _save_values(row, ret: Return) -> None:
    """Upsert the return's figures in bulk: one read, then only what changed is written."""
    m = _models()
    from django.db.models import Q

    indicators = dict(m.Indicator.objects.values_list("code", "pk"))
    periods = dict(m.Period.objects.values_list("code", "pk"))
    areas = dict(m.Area.objects.values_list("code", "pk"))
    wanted: dict[tuple, dict] = {}
    for i, v in enumerate(ret.values):
        prov = v.provenance
        key = (periods[v.period or ret.period], indicators[v.indicator], _by_key(v.by))
        wanted[key] = dict(
            by=v.by, area_id=areas.get(v.by.get("area", "")), value=v.value, note=v.note, ret_id=row.pk, order=i,
            provenance_kind=prov.kind, source=prov.source, definition=prov.definition, sha256=prov.sha256,
            rows=prov.rows, quarantined=prov.quarantined, computed_at=prov.computed_at, sentence=prov.sentence,
            areas=v.areas)
    existing = {(d.period_id, d.indicator_id, d.by_key): d for d in m.DataValue.objects.filter(
        Q(ret=row) | Q(partner=row.partner, period_id__in={k[0] for k in wanted},
                       indicator_id__in={k[1] for k in wanted}))}
    changed, new = [], []
    owners = {r.pk: r for r in m.Return.objects.filter(
        pk__in={d.ret_id for d in existing.values() if d.ret_id not in (None, row.pk)}).select_related(
        "partner", "period", "template")}
    for key, fields in wanted.items():
        obj = existing.get(key)
        if obj is not None and obj.ret_id in owners:
            # Another return of this partner already holds this figure: never take it over.
            if obj.value != fields["value"]:
                owner = owners[obj.ret_id]
                raise FigureOwned([(Location(ret.source or f"return {ret.partner} {ret.period} {ret.template}", None,
                                             f"values.{fields['order']}"),
                                    f"{obj.indicator.code} for {obj.period.code} ({obj.by_key or 'total'}) is "
                                    f"{obj.value:g} in the {owner.partner.code} {owner.period.code} "
                                    f"{owner.template.code} return ({owner.status}); change it there, not here")])
            continue
        if obj is None:
            new.append(m.DataValue(partner=row.partner, period_id=key[0], indicator_id=key[1], by_key=key[2], **fields))
        elif any(getattr(obj, f) != val for f, val in fields.items()):
            for f, val in fields.items():
                setattr(obj, f, val)
            changed.append(obj)
    stale = [d.pk for key, d in existing.items() if d.ret_id == row.pk and key not in wanted]
    if stale:
        m.DataValue.objects.filter(pk__in=stale).delete()
    if changed:
        m.DataValue.objects.bulk_update(changed, [f for f in VALUE_FIELDS])
    if new:
        m.DataValue.objects.bulk_create(new)


def snapshot(row, ret: Return) -> None:
    """Freeze a submitted return as a new version unless the newest version is identical."""
    m = _models()
    content = ret.model_dump(mode="json")
    sha = _sha(content)
    last = row.versions.order_by("-number").first()
    if last and last.sha256 == sha:
        return
    m.ReturnVersion.objects.create(ret=row, number=(last.number + 1) if last else 1, status=ret.status,
                                   content=content, sha256=sha)


def load_folder(folder: str | Path, who=None, dataset: Dataset | None = None) -> LoadSummary:
    """Validate a partnership folder and store it, all or nothing. Idempotent.

    Files are an import route, not a second source of truth: a return that changed in the
    database since a load last wrote it (edited, submitted, approved, published, queried) is
    kept as it is and listed in ``summary.kept``. So is the spec, entity by entity: the file's
    changes since the last load apply, and a part changed in the web since then is kept
    (``summary.spec_kept``; ``masa.spec.changes.merge``)."""
    dataset = load_dataset(folder) if dataset is None else dataset  # tests pass one parsed once
    from masa.assurance.book import load_book

    book = load_book(folder)  # validated before anything is stored
    migrate()
    from django.db import transaction

    summary = LoadSummary(partnership=dataset.spec.partnership.code)
    with transaction.atomic():
        _one_load_at_a_time()
        spec, summary.spec_kept = _spec_to_load(dataset.spec)
        summary.spec_changed = store_spec(spec, who, "store.load_folder")
        for ret in dataset.returns:
            label = f"{ret.partner} {ret.period} {ret.template}"
            row = _stored_row(ret)
            why = _held_by_database(row, ret) or _others_parts_changed(row, ret, dataset.spec)
            if why:
                summary.kept.append(f"{label} {why}")
                continue
            unearned = ""
            if ret.status in PUBLIC_STATUSES:  # read beside the folder's and the stored other returns
                beside = companions_in(dataset.returns, ret)
                unearned = unearned_approval(dataset.spec, ret, beside + stored_companions(ret, beside))
            if unearned:  # approval is the checks' and the business unit's, never a file's alone
                ret = ret.model_copy(update={"status": "submitted"})
                summary.held.append(f"{label}: {unearned}; stored as submitted for review")
            pk, what = _save_return(ret)
            _stamp_as_loaded(pk)
            _audit(ret, what, "store.load_folder", who)
            getattr(summary, what).append(label)
            summary.values += len(ret.values)
        from masa.web.assurance.service import load_book as store_book

        summary.assurance, summary.assurance_kept = store_book(book, summary.partnership, who)

        from masa.web.section11.service import load_cycles  # the folder's Section 11 cycles, if any

        summary.kept += load_cycles(Path(folder), who, summary.partnership)
    return summary


def _normalised(doc: dict) -> dict:
    """A stored spec document as the current models dump it (defaults of newer fields
    filled in), so comparing it with a file's spec shows only real differences."""
    try:
        return Spec.model_validate(doc).model_dump(mode="json")
    except ValueError:
        return doc


def _spec_to_load(file_spec: Spec) -> tuple[Spec, list[str]]:
    """The spec a load stores, and the lines naming what the database kept over the file.

    Records the file's spec as the base for the next load. The merged spec is validated
    like any other: a file change that no longer fits what the web changed is refused with
    the problem named, and nothing is stored."""
    from masa.spec import SourceError
    from masa.spec.changes import merge
    from masa.spec.models import integrity_problems

    m = _models()
    code = file_spec.partnership.code
    file_doc = file_spec.model_dump(mode="json")
    newest = m.SpecVersion.objects.filter(partnership=code).first()
    base = m.SpecFileState.objects.filter(partnership=code).first()
    doc, kept = merge(_normalised(base.document) if base else None, file_doc,
                      _normalised(newest.document) if newest else None)
    try:
        spec = Spec.model_validate(doc)
    except ValueError as exc:
        raise SourceError(f"the file's spec changes do not fit the database's spec: {exc}") from None
    problems = integrity_problems(spec)
    if problems:
        err = SourceError("the file's spec changes do not fit what was changed in the database")
        err.problems = [("spec " + ".".join(map(str, loc)), msg) for loc, msg in problems]
        raise err
    m.SpecFileState.objects.update_or_create(partnership=code, defaults={"document": file_doc})
    return spec, [k.line for k in kept]


FILE_STAMP = "loaded"  # key in Return.part_sha256: the row's state as `masa load` last left it


def _row_state(row) -> dict:
    return {"sha": row.content_sha256, "status": row.status, "lock": row.lock_version}


def _stored_row(ret: Return):
    """The stored row of a file's return, locked for the load's transaction, or None."""
    return (_models().Return.objects.select_for_update()
            .filter(partner__code=ret.partner, period__code=ret.period, template__code=ret.template).first())


def _others_parts_changed(row, ret: Return, spec: Spec) -> str | None:
    """Why one partnership's folder may not write a shared partner's return, or None: it
    changes parts only other partnerships' areas read (a Luton-only section, in Bedford
    Borough's folder). Each partnership's folder carries the partner's whole return; only that
    partnership's areas are its to change by file."""
    from masa.returns.scope import figure_in_scope, mark_for_partnership, part_in_scope
    from masa.returns.validate import AREA_PARTS

    try:
        partner_areas = list(spec.partner(ret.partner).areas)
    except KeyError:
        return None
    own = set(spec.partnership.areas)
    if row is None or not set(partner_areas) - own:
        return None  # a new return, or the partner serves this partnership alone
    stored = return_from_row(row)

    def theirs(r: Return) -> list:
        parts = [(name, p.model_dump(mode="json")) for name in AREA_PARTS for p in getattr(r, name)
                 if not part_in_scope(p.areas, partner_areas, own)]
        values = [v.model_copy(update={"period": v.period or r.period}).model_dump(mode="json") for v in r.values
                  if not figure_in_scope(v, partner_areas, own) and (v.by.get("area") or v.areas)]
        voice = r.voice if not part_in_scope(r.voice_areas, partner_areas, own) else ""
        return [parts, sorted(values, key=json.dumps), voice]

    if theirs(mark_for_partnership(ret, spec)) == theirs(stored):
        return None
    others = ", ".join(sorted(set(partner_areas) - own))
    return (f"changes parts for other partnerships' areas ({others}); the file was not applied: "
            "load those parts from their partnership's folder")


def _held_by_database(row, ret: Return) -> str | None:
    """Why the stored return is the database's and not the file's to change, or None.

    A load records the row's state (content hash, status, lock version) after writing it;
    every save changes the hash and bumps the lock, every workflow move changes the status and
    bumps the lock, so any change made since shows as a difference. A row no load wrote is the file's only if it already holds
    exactly what the file says."""
    if row is None:
        return None
    stamp = (row.part_sha256 or {}).get(FILE_STAMP)
    if stamp == _row_state(row):
        return None
    # content_sha256 is not rewritten by a workflow move, so the status is compared on its own
    if stamp is None and row.content_sha256 == _sha(ret.model_dump(mode="json")) and row.status == ret.status:
        return None
    loaded_status = stamp["status"] if stamp else ret.status
    if row.status != loaded_status:
        return f"is {row.status} in the database; the file was not applied"
    if stamp is None:
        return f"was entered in the database ({row.status}), not loaded from a file; the file was not applied"
    return f"was changed in the database since it was loaded ({row.status}); the file was not applied"


def _stamp_as_loaded(pk: int) -> None:
    m = _models()
    row = m.Return.objects.get(pk=pk)
    parts = dict(row.part_sha256 or {})
    if parts.get(FILE_STAMP) != _row_state(row):
        parts[FILE_STAMP] = _row_state(row)
        m.Return.objects.filter(pk=pk).update(part_sha256=parts)  # not a content change: updated_at stays


def _one_load_at_a_time() -> None:
    """Serialise concurrent loads. SQLite already does (IMMEDIATE transactions); on PostgreSQL
    two loads would both insert the same new rows and one would fail on a unique key."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])


LOCK_ID = 0x6D617361  # "masa"


def migrate() -> None:
    """Bring the schema up to date, one process at a time: two commands started together on a
    new database would otherwise both create the same tables and one would fail."""
    setup()
    from django.core.management import call_command
    from django.db import connection

    if not _pending_migrations():  # the usual case: nothing to do, and no signal handlers to run
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_lock(%s)", [LOCK_ID + 1])
            try:
                call_command("migrate", verbosity=0, interactive=False)
            finally:
                cur.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID + 1])
        return
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or name.startswith(("file:", ":memory:")):
        call_command("migrate", verbosity=0, interactive=False)
        return
    import fcntl

    lock = Path(f"{name}.migrate-lock")
    with lock.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            call_command("migrate", verbosity=0, interactive=False)
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _pending_migrations() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


# --- reading back -------------------------------------------------------------------------

RETURN_PARTS = ("sections__priorities", "audits__priorities", "audits__actions", "highlights", "challenges__priorities",
                "next_year__priorities", "case_studies", "attachments__area", "attachments__period", "carried")


def return_from_row(row, values=None) -> Return:
    """Rebuild the plain Return from its rows, in a fixed handful of queries (one per part)."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects([row], *RETURN_PARTS)
    values = list(row.values.select_related("indicator", "period").all()) if values is None else values

    def tags(item) -> list[str]:
        return [p.code for p in item.priorities.all()]  # the Return model sorts them

    carry = _carried(row)
    ids = carry.get("action_ids", {})

    return Return(
        partner=row.partner.code, period=row.period.code, template=row.template.code, status=row.status,
        voice=row.voice, voice_areas=row.voice_areas,
        sections=[SectionAnswer(section=s.section, heading=s.heading, text=s.text, priorities=tags(s), areas=s.areas)
                  for s in row.sections.all()],
        values=[_value(v) for v in values],
        audits=[Audit(title=a.title, findings=a.findings, priorities=tags(a), areas=a.areas,
                      actions=[Action(id=ids.get(f"{i}.{j}", ""), text=x.text, owner=x.owner, due=x.due, status=x.status)
                               for j, x in enumerate(a.actions.all())])
                for i, a in enumerate(row.audits.all())],
        highlights=[Highlight(delivered=h.delivered, impact=h.impact, areas=h.areas) for h in row.highlights.all()],
        challenges=[Challenge(text=c.text, priorities=tags(c), areas=c.areas) for c in row.challenges.all()],
        next_year=[NextYearPriority(text=n.text, priorities=tags(n), areas=n.areas) for n in row.next_year.all()],
        case_studies=[CaseStudy(title=c.title, text=c.text, anonymised=c.anonymised, areas=c.areas) for c in row.case_studies.all()],
        attachments=[Attachment(label=a.label, filename=a.filename, status=a.status,
                                area=a.area.code if a.area else None, period=a.period.code if a.period else None)
                     for a in row.attachments.all()],
        carried_actions=[CarriedAction.model_validate(c) for c in carry.get("carried_actions", [])],
        priority_reviews=[PriorityReview.model_validate(p) for p in carry.get("priority_reviews", [])],
    )


def _value(v) -> DataValue:
    return DataValue(
        indicator=v.indicator.code, period=v.period.code, by=v.by, value=v.value, note=v.note, areas=v.areas,
        provenance=Provenance(kind=v.provenance_kind, source=v.source, definition=v.definition, sha256=v.sha256,
                              rows=v.rows, quarantined=v.quarantined, computed_at=v.computed_at,
                              sentence=v.sentence),
    )


def dataset_for(partnership: str, period: str, statuses: Collection[str] | None = None,
                history: Collection[str] | None = None) -> Dataset:
    """The stored spec and the returns of one period (for a year, its quarterly returns too),
    as the partnership sees them (only parts and figures about its areas:
    ``masa.returns.scope.scope_dataset``), with every stored figure of its partners (earlier periods included, so comparisons come
    from stored history). With ``statuses``,
    only returns in those states, and only figures that belong to no return or to one in
    those states (the public site passes {"published"}). ``history`` narrows only the
    figures of other returns (a public build reads every return of its period, to list the
    unapproved ones, but no history from an unapproved return). Reads only: the schema is the
    caller's business (the CLI migrates; the web app runs on a migrated one)."""
    setup()
    spec = spec_for(partnership, period)  # the year's own definitions (labels, indicators, partners)
    if period not in spec.period_codes:
        years = [p.code for p in spec.period_list if p.kind == "year"]
        raise UnknownChoice("period", period, years)
    m = _models()
    partners = [p.code for p in spec.partners]
    # A year's returns include its quarterly ones: the report makes the year from their figures.
    periods = (year_and_quarters(period) if spec.period(period).kind == "year" else [period])
    rows = (m.Return.objects.filter(partner__code__in=partners, period__code__in=periods)
            .select_related("partner", "period", "template").order_by("partner__code", "template__code"))
    from .workflow import reviews  # each partnership's own status of a shared return

    if statuses is not None:
        rows = reviews.filter_rows(rows, partnership, statuses)
    returns = []
    attached: set[int] = set()
    rows = list(rows)
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(rows, *RETURN_PARTS)  # every row's parts in one query per part, not per row
    values: dict[int, list] = {row.pk: [] for row in rows}
    for v in m.DataValue.objects.filter(ret_id__in=list(values)).select_related("indicator", "period"):
        values[v.ret_id].append(v)  # in the model's order (partner, order, id), as row.values gives them
    for row in rows:
        attached.update(v.pk for v in values[row.pk])
        returns.append(return_from_row(row, values[row.pk]))
    # Figures stored without this period's return (earlier years, computed loads) join the
    # partner's first return of the period, so the report and checks see the history.
    loose = (m.DataValue.objects.filter(partner__code__in=partners).exclude(pk__in=attached)
             .select_related("indicator", "period", "partner"))
    history = statuses if history is None else history
    if history is not None:
        from django.db.models import Q

        loose = loose.filter(Q(ret__isnull=True) | Q(ret__in=reviews.filter_rows(m.Return.objects.all(), partnership,
                                                                              history)))
    by_partner: dict[str, list] = {}
    for v in loose:
        by_partner.setdefault(v.partner.code, []).append(_value(v))
    for ret in sorted(returns, key=lambda r: r.period != period):  # the period's own return first
        if ret.partner in by_partner:
            ret.values.extend(by_partner.pop(ret.partner))
    # A partner covering several partnerships writes one return: this partnership sees only the
    # parts and figures about its own areas (masa.returns.scope), of the version it agreed to
    # when the read is public (each partnership's own review: masa.web.workflow.reviews).
    public = next((s for s in (statuses, history) if s is not None), None)
    agreed = set(public) if public is not None and set(public) <= {"approved", "published"} else None
    return scope_dataset(reviews.as_seen_by(Dataset(spec=spec, returns=returns), partnership, public=agreed))
