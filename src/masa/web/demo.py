"""Demo users, one per role, for ``masa serve --demo`` and the tests. Passwords are public
(docs/web.md) and only for a demonstration database."""

from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "demo-password-2025"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    partner: str | None


def demo_users(spec) -> list[DemoUser]:
    """A business unit user, a scrutineer, and a contributor and an approver for each partner."""
    users = [DemoUser("bu@example.org", "business_unit", None), DemoUser("scrutineer@example.org", "scrutineer", None)]
    for p in spec.partners:
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


def create_demo_users(spec) -> list[DemoUser]:
    users = demo_users(spec)
    for u in users:
        ensure_user(u.username, u.role, u.partner)
    return users
