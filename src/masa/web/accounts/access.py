"""Object-level permissions. A partner never learns that another partner's unpublished return
exists: lookups that fail the check raise Http404, not 403."""

from __future__ import annotations

from django.http import Http404

from .models import APPROVER, BUSINESS_UNIT, CONTRIBUTOR, PARTNER_ROLES, SCRUTINEER

EDITABLE = {"draft", "queried"}


def role_of(user) -> str:
    if not getattr(user, "is_authenticated", False):
        return "anonymous"
    m = getattr(user, "membership", None) if hasattr(user, "membership") else None
    return m.role if m else "none"


def partner_of(user):
    return user.membership.partner if role_of(user) in PARTNER_ROLES else None


def is_staff_reader(user) -> bool:
    return role_of(user) in {BUSINESS_UNIT, SCRUTINEER}


def returns_visible_to(user):
    from masa.web.core.models import Return

    qs = Return.objects.select_related("partner", "period", "template")
    r = role_of(user)
    if r in {BUSINESS_UNIT, SCRUTINEER}:
        return qs
    if r in PARTNER_ROLES:
        return qs.filter(partner=user.membership.partner)
    return qs.none()


def return_for(user, pk: int):
    """The return if this user may see it through the workspace; otherwise 404."""
    row = returns_visible_to(user).filter(pk=pk).first()
    if row is None:
        raise Http404("no such return")
    return row


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
    "is_staff_reader",
    "partner_of",
    "return_for",
    "returns_visible_to",
    "role_of",
]
