"""Transactional, optimistically locked saves of a return, audited with what changed."""

from __future__ import annotations

from django.db import transaction

from masa.returns import Return
from masa.web import store
from masa.web.accounts.access import EDITABLE
from masa.web.auditlog.chain import append

from .versions import normalise


class Conflict(Exception):
    """Someone else saved this return since the form was opened."""


def changes(old: Return, new: Return) -> dict:
    """What a save changed: narrative locations and figures (old → new). Whitespace the form
    does not keep (a loaded text's trailing newline) is not a change."""
    a, b = dict(old.text_blocks()), dict(new.text_blocks())
    text = sorted(k for k in set(a) | set(b) if normalise(a.get(k, "")) != normalise(b.get(k, "")))
    va = {(v.indicator, v.period or old.period, store._by_key(v.by)): v.value for v in old.values}
    vb = {(v.indicator, v.period or new.period, store._by_key(v.by)): v.value for v in new.values}
    figs = {f"{k[0]} {k[1]} {k[2]}".strip(): [va.get(k), vb.get(k)] for k in set(va) | set(vb) if va.get(k) != vb.get(k)}
    return {"text": text[:50], "figures": dict(sorted(figs.items())[:200])}


def save_return(row, ret: Return, lock_version: int, user, base: Return | None = None) -> int:
    """Store ``ret`` over ``row`` if nobody saved since ``lock_version``; returns the new lock.

    ``base``: the stored return as read from ``row`` before the save (the form's starting
    point). When the row is unchanged since (same content hash and lock version, checked
    under the write lock), the audit's list of changes is made against it instead of
    reading the whole return again."""
    from masa.web.core.models import Return as Row

    with transaction.atomic():
        # A no-op conditional update takes the row's write lock and tells us if we are stale.
        if not Row.objects.filter(pk=row.pk, lock_version=lock_version,
                                  status__in=EDITABLE).update(lock_version=lock_version):
            raise Conflict()  # saved by someone else, or submitted/approved meanwhile
        fresh = Row.objects.select_related("partner", "period", "template").get(pk=row.pk)
        same = (base is not None and (fresh.content_sha256, fresh.lock_version) == (row.content_sha256, row.lock_version))
        old = base if same else store.return_from_row(fresh)
        ret = ret.model_copy(update={"status": fresh.status})
        _, what = store._save_return(ret, fresh)
        if what != "unchanged":
            append(user, "return.saved", f"return:{ret.partner}/{ret.period}/{ret.template}", changes(old, ret))
        return Row.objects.values_list("lock_version", flat=True).get(pk=row.pk)


def save_merged(row, mine: Return, base_parts: str, user, spec) -> tuple[Return | None, list[str]]:
    """Save a stale form combined, part by part, with what was saved since it was shown.

    ``base_parts`` are the part hashes the form carried. Returns (the merged return, []) once
    stored, or (None, the parts both sides changed, or the fields the combination breaks a
    rule in) when a person has to choose. Another save may land while merging: the merge is
    tried again on the newest version, three times at most."""
    from . import merge, returnform
    from .formdata import FormView, request_post_from

    base = merge.read_base(base_parts)
    if base is None:
        return None, []
    for _ in range(3):
        row.refresh_from_db()
        current = store.return_from_row(row)
        merged, clashes = merge.merge(current, mine, base)
        if merged is None:
            return None, clashes
        figures = {f"fig|{v.indicator}|{returnform.by_key(v.by)}": returnform.fmt(v.value) for v in merged.values
                   if (v.period or merged.period) == merged.period}
        result = returnform.read_form(spec, merged, FormView(request_post_from(merged, spec), figures), user.username)
        if result.errors:  # the combination breaks a rule (e.g. a total against new parts)
            return None, sorted(result.errors)
        try:
            save_return(row, merged, row.lock_version, user)
            return merged, []
        except Conflict:
            continue
    return None, []
