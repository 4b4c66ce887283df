"""Who may do what: each user's kind of role and, for partner-side users, their partner
(``Membership``); the business unit's and scrutineers' roles per partnership
(``PartnershipRole``). A partner's users work in every partnership their partner serves."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models

CONTRIBUTOR, APPROVER, BUSINESS_UNIT, SCRUTINEER = "contributor", "approver", "business_unit", "scrutineer"
ROLES = [(CONTRIBUTOR, "Partner contributor"), (APPROVER, "Partner approver"),
         (BUSINESS_UNIT, "Business unit"), (SCRUTINEER, "Scrutineer or board member")]
PARTNER_ROLES = {CONTRIBUTOR, APPROVER}


class Membership(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    role = models.CharField(max_length=20, choices=ROLES)
    partner = models.ForeignKey("core.Partner", null=True, blank=True, on_delete=models.PROTECT)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.role in PARTNER_ROLES and self.partner_id is None:
            raise ValidationError("a partner contributor or approver must belong to a partner")


class PartnershipRole(models.Model):
    """A business-unit or scrutineer role in one partnership; a person may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partnership_roles")
    partnership = models.CharField(max_length=64)
    role = models.CharField(max_length=20, choices=[(BUSINESS_UNIT, "Business unit"),
                                                    (SCRUTINEER, "Scrutineer or board member")])

    class Meta:
        unique_together = [("user", "partnership")]
        ordering = ["partnership"]

    @classmethod
    def grant(cls, actor, user, partnership: str, role: str) -> None:
        """Give ``user`` ``role`` in ``partnership`` (audited); a partner role needs no grant."""
        from masa.web.auditlog.chain import append

        if role not in (BUSINESS_UNIT, SCRUTINEER) or not partnership:
            return
        row, created = cls.objects.get_or_create(user=user, partnership=partnership, defaults={"role": role})
        if created or row.role != role:
            cls.objects.filter(pk=row.pk).update(role=role)
            append(actor, "role.partnership_granted", f"user:{user.username}",
                   {"partnership": partnership, "role": role})


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    @classmethod
    def issue(cls, user, label: str = "", key: str | None = None) -> str:
        key = key or secrets.token_urlsafe(32)
        cls.objects.create(user=user, digest=digest(key), label=label)
        return key
