"""Who hears of what, per partnership: a partner's contributors and approvers about their own
return; the business unit of each partnership a return concerns about submissions, and of
the partnership that asked about replies to its queries. Each recipient comes with the
partnership the notice is about, so its words and link name that partnership."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from masa.web.accounts.models import BUSINESS_UNIT, PARTNER_ROLES

TO_PARTNER = {"query_raised", "approved", "published", "withdrawn", "deadline_14", "deadline_7", "deadline_1",
              "overdue"}
TO_BUSINESS_UNIT = {"submitted", "query_answered"}


def partner_people(partner_id: int):
    return get_user_model().objects.filter(is_active=True, membership__role__in=PARTNER_ROLES,
                                           membership__partner_id=partner_id).order_by("pk")


def _default() -> str:
    from masa.web.site.common import default_partnership_code

    return default_partnership_code()


def business_unit(partnership: str = "") -> list:
    """The active users with the business-unit role in ``partnership`` (the installation's
    own when not given), by the same rule as every page (``access.role_in``)."""
    from masa.web.accounts.access import role_in

    code = partnership or _default()
    people = (get_user_model().objects.filter(is_active=True)
              .filter(Q(membership__role=BUSINESS_UNIT) | Q(partnership_roles__role=BUSINESS_UNIT))
              .distinct().order_by("pk"))
    return [u for u in people if role_in(u, code) == BUSINESS_UNIT]


def served_by(ret) -> list[str]:
    """The stored partnerships the return's partner serves (the installation's own if none)."""
    from masa.web.core.models import Partnership
    from masa.web.store import stored_partnerships

    stored = stored_partnerships()
    codes = [c for c in Partnership.objects.filter(partners=ret.partner_id).order_by("code")
             .values_list("code", flat=True) if c in stored]
    return codes or [_default()]


def asking(ret, partnership: str) -> list[str]:
    """The partnerships a reply concerns: the one whose query it answers, or (a partner's
    comment, which belongs to none) every partnership with a query on the return."""
    if partnership:
        return [partnership]
    codes = ret.messages.filter(kind="query").values_list("partnership", flat=True).distinct()
    return sorted({c or _default() for c in codes})


def for_event(kind: str, ret, actor_id: int | None, partnership: str = "") -> list[tuple]:
    """(person, partnership) to tell of ``kind`` about return ``ret``; never the person who
    did it. ``partnership``: the one whose business unit acted, or whose query was answered."""
    if kind in TO_PARTNER:
        pairs = [(u, partnership) for u in partner_people(ret.partner_id)]
    elif kind == "submitted":
        pairs = [(u, code) for code in served_by(ret) for u in business_unit(code)]
    elif kind == "query_answered":
        pairs = [(u, code) for code in asking(ret, partnership) for u in business_unit(code)]
    else:
        raise ValueError(f"unknown notification kind {kind!r}")
    return [(u, code) for u, code in pairs if u.pk != actor_id and address(u)]


def address(user) -> str:
    """The user's email: their email field, else their sign-in name when it is an address."""
    return user.email or (user.username if "@" in user.username else "")
