"""Object-level permissions. A partner never learns that another partner's unpublished return
exists: lookups that fail the check raise Http404, not 403.

Roles are per partnership (the request's, ``common.partnership_code()``): a business-unit or
scrutineer user has the role a ``PartnershipRole`` gives them there, and none elsewhere (a
user with no such rows keeps their plain ``Membership`` role in the installation's own,
first, partnership, as before roles were per partnership). A partner's users have their role in every partnership
their partner serves."""

from __future__ import annotations

from django.http import Http404

from .models import APPROVER, BUSINESS_UNIT, CONTRIBUTOR, PARTNER_ROLES, SCRUTINEER

EDITABLE = {"draft", "queried"}


def _current() -> str:
    from masa.web.site.common import partnership_code

    return partnership_code()


def role_in(user, partnership: str) -> str:
    """The user's role in one partnership ("anonymous", "none" or a role)."""
    if not getattr(user, "is_authenticated", False):
        return "anonymous"
    cache = user.__dict__.setdefault("_masa_roles", {})
    if partnership not in cache:
        cache[partnership] = _role_in(user, partnership)
    return cache[partnership]


def _role_in(user, partnership: str) -> str:
    from masa.web.core.models import Partnership
    from masa.web.store import stored_partnerships

    m = getattr(user, "membership", None) if hasattr(user, "membership") else None
    several = len(stored_partnerships()) > 1
    if m is not None and m.role in PARTNER_ROLES:
        if not several or Partnership.objects.filter(code=partnership, partners=m.partner_id).exists():
            return m.role
        return "none"
    granted = dict(user.partnership_roles.values_list("partnership", "role"))
    if partnership in granted:
        return granted[partnership]
    if not granted and m is not None:
        from masa.web.site.common import default_partnership_code

        if not several or partnership == default_partnership_code():
            return m.role  # roles not yet scoped: the plain membership, in the installation's own partnership
    return "none"


def role_of(user) -> str:
    """The user's role in the request's partnership."""
    return role_in(user, _current())


def partnerships_of(user) -> list[str]:
    """The partnerships in which the user has a role, for the switcher."""
    from masa.web.store import stored_partnerships

    return [code for code in stored_partnerships() if role_in(user, code) not in ("anonymous", "none")]


def partner_of(user):
    return user.membership.partner if role_of(user) in PARTNER_ROLES else None


def is_staff_reader(user) -> bool:
    return role_of(user) in {BUSINESS_UNIT, SCRUTINEER}


def returns_visible_to(user):
    from masa.web.core.models import Return

    qs = Return.objects.select_related("partner", "period", "template")
    r = role_of(user)
    if r in {BUSINESS_UNIT, SCRUTINEER}:
        return in_partnership(qs, _current())
    if r in PARTNER_ROLES:
        return qs.filter(partner=user.membership.partner)
    return qs.none()


def in_partnership(qs, partnership: str):
    """Returns of the partners serving one partnership (all of them in a one-partnership installation)."""
    from masa.web.store import stored_partnerships

    if len(stored_partnerships()) <= 1:
        return qs
    return qs.filter(partner__partnerships__code=partnership)


def return_for(user, pk: int):
    """The return if this user may see it through the workspace; otherwise 404."""
    row = returns_visible_to(user).filter(pk=pk).first()
    if row is None:
        raise Http404("no such return")
    from masa.web.site import common

    if row.template.code not in {t.code for t in common.spec().templates}:
        # a shared partner's return on a template only another partnership's spec has: it is
        # that partnership's work, opened from its pages, not this one's
        raise Http404("this return is on another partnership's template")
    if is_staff_reader(user):
        # the business unit and scrutineers see the status of their partnership's own review
        # (a shared return's), as pages and the API show it; ``own_status`` keeps the partner's
        from masa.web.workflow.reviews import status_in

        row.own_status, row.status = row.status, status_in(row, _current())
    return row


def reader_partnership(user) -> str | None:
    """Whose messages on a return the user reads: None for a partner's people (every
    partnership's queries on their return), else the request's partnership (its own only)."""
    return None if role_of(user) in PARTNER_ROLES else _current()


def can_edit(user, row) -> bool:
    return role_of(user) in PARTNER_ROLES and partner_of(user).pk == row.partner_id and row.status in EDITABLE


def can_submit(user, row) -> bool:
    return role_of(user) == APPROVER and partner_of(user).pk == row.partner_id and row.status in EDITABLE


def can_review(user) -> bool:
    return role_of(user) == BUSINESS_UNIT


def can_comment(user, row) -> bool:
    r = role_of(user)
    return r in {BUSINESS_UNIT, SCRUTINEER} or (r in PARTNER_ROLES and partner_of(user).pk == row.partner_id)


__all__ = [
    "APPROVER",
    "BUSINESS_UNIT",
    "CONTRIBUTOR",
    "EDITABLE",
    "SCRUTINEER",
    "can_comment",
    "can_edit",
    "can_review",
    "can_submit",
    "in_partnership",
    "is_staff_reader",
    "partner_of",
    "partnerships_of",
    "return_for",
    "returns_visible_to",
    "role_in",
    "role_of",
]
