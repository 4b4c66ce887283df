"""Demo users, one per role, for ``masa serve --demo`` and the tests. Passwords are public
(docs/web.md) and only for a demonstration database."""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "demo-password-2025"


# bu@example.org's partnerships when they are loaded: two, so the demo shows the switcher
BU_PARTNERSHIPS = ("luton", "bedford-borough")


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    partner: str | None
    partnerships: tuple[str, ...] = ()  # where a business-unit or scrutineer user has the role


def demo_users(specs) -> list[DemoUser]:
    """For the loaded partnerships' specs (one spec, or a list): bu@example.org with the
    business-unit role in Luton and Bedford Borough (else the first partnership),
    ``bu.<code>@example.org`` in each other partnership, a scrutineer in every one, and a
    contributor and an approver for each partner (once, however many partnerships it serves)."""
    specs = list(specs) if isinstance(specs, (list, tuple)) else [specs]
    codes = [s.partnership.code for s in specs]
    mine = tuple(c for c in codes if c in BU_PARTNERSHIPS) or tuple(codes[:1])
    users = [DemoUser("bu@example.org", "business_unit", None, mine)]
    users += [DemoUser(f"bu.{c}@example.org", "business_unit", None, (c,)) for c in codes if c not in mine]
    users.append(DemoUser("scrutineer@example.org", "scrutineer", None, tuple(codes)))
    seen: set[str] = set()
    for spec in specs:
        for p in spec.partners:
            if p.code in seen:
                continue
            seen.add(p.code)
            users.append(DemoUser(f"{p.code}.contributor@example.org", "contributor", p.code))
            users.append(DemoUser(f"{p.code}.approver@example.org", "approver", p.code))
    return users


def ensure_user(username: str, role: str, partner: str | None, password: str = DEMO_PASSWORD):
    """Create or update a user with one role (audited through the accounts signals)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from masa.web.accounts.models import Membership
    from masa.web.core.models import Partner

    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, email=username, password=password)
        p = Partner.objects.get(code=partner) if partner else None
        m = Membership.objects.filter(user=user).first()
        if m is None:
            Membership.objects.create(user=user, role=role, partner=p)
        elif m.role != role or m.partner_id != (p.pk if p else None):
            m.role, m.partner = role, p
            m.save()
    return user


def create_demo_users(specs, who: str = "masa demo") -> list[DemoUser]:
    """Create or update the demo users and their roles; ``who`` is recorded as granting them."""
    from masa.web.accounts.models import PartnershipRole

    users = demo_users(specs)
    for u in users:
        user = ensure_user(u.username, u.role, u.partner)
        for code in u.partnerships:
            PartnershipRole.grant(who, user, code, u.role)
    return users
