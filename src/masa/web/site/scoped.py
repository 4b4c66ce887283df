"""A return as the person reading it may see it, before anything is published.

A partner serving several partnerships writes one return; each part says which of its areas
it concerns. The partner's own contributors and approvers read and edit the whole of it. A
business unit or scrutineer reads it through one partnership (the request's), so sees only
that partnership's scope (``masa.returns.scope.scope_return``): a business unit of Luton
never reads a sentence written for Bedford Borough only, on the return page, its history and
comparisons, the API or a spreadsheet of its figures.

The return page shows the figures the partner entered, so its scope here is without the
partnership figures a report computes from area figures (``spec=None``); those belong to
builds and the public site, which scope through ``store.dataset_for``.

None of these readers can save a return (``access.can_edit``): a scoped return is for
reading only, so no save can drop the parts its reader could not see.
"""

from __future__ import annotations

from masa.returns import Return
from masa.returns.scope import scope_return
from masa.returns.validate import AREA_PARTS
from masa.web.accounts import access


def partner_areas(spec, row) -> list[str]:
    """The areas the return's partner covers: as the partnership's spec says, else as stored."""
    code = row.partner.code
    if code in {p.code for p in spec.partners}:
        return list(spec.partner(code).areas)
    return list(row.partner.areas.values_list("code", flat=True))


def for_partnership(spec, row, ret: Return) -> Return:
    """``ret`` as the partnership of ``spec`` sees it; nothing of it when its partner covers
    none of the partnership's areas."""
    scoped = scope_return(ret, partner_areas(spec, row), spec.partnership.areas)
    if scoped is not None:
        return scoped
    return ret.model_copy(update={**{name: [] for name in AREA_PARTS}, "values": [], "attachments": [], "voice": ""})


def scoped_reader(user) -> bool:
    """Does this person read returns through one partnership (business unit, scrutineer)?"""
    return access.reader_partnership(user) is not None


def for_reader(user, spec, row, ret: Return) -> Return:
    """``ret`` whole for the partner's own people, else the current partnership's scope of it."""
    return for_partnership(spec, row, ret) if scoped_reader(user) else ret


def scope_key(user, spec, row) -> tuple:
    """Which view of the return ``for_reader`` gives this person, as a cache key: the whole
    return, or a partnership's scope (its code, its areas and the partner's). The findings
    cache keeps one entry per scope (``checks_seam.findings_for_row``), so findings that
    quote a part about one partnership's areas are never shown to another's business unit."""
    from masa.web.workflow.checks_seam import WHOLE

    if not scoped_reader(user):
        return WHOLE
    return ("partnership", spec.partnership.code, tuple(partner_areas(spec, row)), tuple(spec.partnership.areas))
