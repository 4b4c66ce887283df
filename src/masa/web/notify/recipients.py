"""Who hears of what: a partner's contributors and approvers about their own return; the
business unit about submissions and replies. The one place to change when memberships
become per partnership."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from masa.web.accounts.models import BUSINESS_UNIT, PARTNER_ROLES

TO_PARTNER = {"query_raised", "approved", "published", "withdrawn", "deadline_14", "deadline_7", "deadline_1",
              "overdue"}
TO_BUSINESS_UNIT = {"submitted", "query_answered"}


def partner_people(partner_id: int):
    return get_user_model().objects.filter(is_active=True, membership__role__in=PARTNER_ROLES,
                                           membership__partner_id=partner_id).order_by("pk")


def business_unit():
    return get_user_model().objects.filter(is_active=True, membership__role=BUSINESS_UNIT).order_by("pk")


def for_event(kind: str, ret, actor_id: int | None) -> list:
    """The people to tell of ``kind`` about return ``ret``; never the person who did it."""
    if kind in TO_PARTNER:
        people = partner_people(ret.partner_id)
    elif kind in TO_BUSINESS_UNIT:
        people = business_unit()
    else:
        raise ValueError(f"unknown notification kind {kind!r}")
    return [u for u in people if u.pk != actor_id and address(u)]


def address(user) -> str:
    """The user's email: their email field, else their sign-in name when it is an address."""
    return user.email or (user.username if "@" in user.username else "")
