"""Users and roles from the business unit's screens: invite, disable, enable, reset two-factor.

An invited user has no password until they follow a one-time link (Django's password-reset
token: it stops working once a password is set, or after PASSWORD_RESET_TIMEOUT). Every
change is in the audit log under the business-unit user who made it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from masa.web.accounts.models import PARTNER_ROLES, ROLES, Membership, PartnershipRole
from masa.web.auditlog.chain import append
from masa.web.site.common import partnership_code

from .service import Refused

ROLE_NAMES = dict(ROLES)


def password_link(user) -> str:
    """The one-time path at which ``user`` sets a password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("setup:set_password", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})


def _role_problems(errors: dict, role: str, partner: str | None):
    """Add what is wrong with a role and partner pair to ``errors``; returns the partner row."""
    from masa.web.core.models import Partner

    if role not in ROLE_NAMES:
        errors["role"] = "Role: choose one of the roles listed"
    elif role in PARTNER_ROLES and not partner:
        errors["partner"] = f"Partner: a {ROLE_NAMES[role].lower()} belongs to a partner; choose one"
    elif role not in PARTNER_ROLES and partner:
        errors["partner"] = f"Partner: leave empty for the {ROLE_NAMES[role].lower()} role"
    row = Partner.objects.filter(code=partner).first() if partner else None
    if partner and row is None and "partner" not in errors:
        errors["partner"] = f"Partner: there is no partner {partner!r}"
    return row


def invite(actor, email: str, role: str, partner: str | None) -> tuple[object, str]:
    """Create a user with one role and no password; returns (user, one-time link path)."""
    email = email.strip().lower()
    errors: dict[str, str] = {}
    if not email:
        errors["email"] = "Enter email address"
    elif get_user_model().objects.filter(username__iexact=email).exists():
        errors["email"] = f"Email address: {email} already has an account"
    row = _role_problems(errors, role, partner)
    if errors:
        raise Refused(errors)
    with transaction.atomic():
        user = get_user_model().objects.create_user(username=email, email=email, password=None)
        Membership.objects.create(user=user, role=role, partner=row)
        PartnershipRole.grant(actor, user, partnership_code(), role)  # in the partnership being set up
        append(actor, "user.invited", f"user:{email}", {"role": role, "partner": partner or None})
    return user, password_link(user)


def set_role(actor, user, role: str, partner: str | None) -> None:
    """Give a user another role (and partner, for a contributor or approver)."""
    errors: dict[str, str] = {}
    row = _role_problems(errors, role, partner)
    if user.pk == actor.pk and role != "business_unit":
        errors.setdefault("role", "Role: you cannot take the business unit role from yourself")
    if errors:
        raise Refused(errors)
    with transaction.atomic():
        Membership.objects.update_or_create(user=user, defaults={"role": role, "partner": row})
        PartnershipRole.grant(actor, user, partnership_code(), role)
        append(actor, "user.role_changed", f"user:{user.username}", {"role": role, "partner": partner or None})


def set_active(actor, user, active: bool) -> None:
    if user.pk == actor.pk and not active:
        raise Refused({"__all__": "You cannot disable your own account"})
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        append(actor, "user.enabled" if active else "user.disabled", f"user:{user.username}", {})


def reset_two_factor(actor, user) -> int:
    """Delete the user's authenticator devices; they sign in with their password alone until
    a new one is set up. Returns how many were removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        n, _ = TOTPDevice.objects.filter(user=user).delete()
        append(actor, "user.two_factor_reset", f"user:{user.username}", {"devices_removed": n})
    return n


def new_link(actor, user) -> str:
    append(actor, "user.password_link_issued", f"user:{user.username}", {})
    return password_link(user)
