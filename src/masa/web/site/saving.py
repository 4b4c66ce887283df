"""Transactional, optimistically locked saves of a return, audited with what changed."""

from __future__ import annotations

from django.db import transaction

from masa.returns import Return
from masa.web import store
from masa.web.accounts.access import EDITABLE
from masa.web.auditlog.chain import append


class Conflict(Exception):
    """Someone else saved this return since the form was opened."""


def changes(old: Return, new: Return) -> dict:
    """What a save changed: narrative locations and figures (old → new)."""
    a, b = dict(old.text_blocks()), dict(new.text_blocks())
    text = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    va = {(v.indicator, v.period or old.period, store._by_key(v.by)): v.value for v in old.values}
    vb = {(v.indicator, v.period or new.period, store._by_key(v.by)): v.value for v in new.values}
    figs = {f"{k[0]} {k[1]} {k[2]}".strip(): [va.get(k), vb.get(k)] for k in set(va) | set(vb) if va.get(k) != vb.get(k)}
    return {"text": text[:50], "figures": dict(sorted(figs.items())[:200])}


def save_return(row, ret: Return, lock_version: int, user) -> int:
    """Store ``ret`` over ``row`` if nobody saved since ``lock_version``; returns the new lock."""
    from masa.web.core.models import Return as Row

    with transaction.atomic():
        # A no-op conditional update takes the row's write lock and tells us if we are stale.
        if not Row.objects.filter(pk=row.pk, lock_version=lock_version,
                                  status__in=EDITABLE).update(lock_version=lock_version):
            raise Conflict()  # saved by someone else, or submitted/approved meanwhile
        fresh = Row.objects.select_related("partner", "period", "template").get(pk=row.pk)
        old = store.return_from_row(fresh)
        ret = ret.model_copy(update={"status": fresh.status})
        _, what = store._save_return(ret)
        if what != "unchanged":
            append(user, "return.saved", f"return:{ret.partner}/{ret.period}/{ret.template}", changes(old, ret))
        return Row.objects.values_list("lock_version", flat=True).get(pk=row.pk)
