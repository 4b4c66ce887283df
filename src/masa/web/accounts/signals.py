"""Every change to users and roles goes into the audit log."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from masa.web.auditlog.chain import append

from .models import Membership


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _user_saved(sender, instance, created, update_fields=None, **kwargs):
    if update_fields and set(update_fields) <= {"last_login"}:
        return
    append(None, "user.created" if created else "user.changed", f"user:{instance.username}",
           {"active": instance.is_active})


@receiver(post_save, sender=Membership)
def _role_saved(sender, instance, created, **kwargs):
    append(None, "role.granted" if created else "role.changed", f"user:{instance.user.username}",
           {"role": instance.role, "partner": instance.partner.code if instance.partner_id else None})


@receiver(post_delete, sender=Membership)
def _role_removed(sender, instance, **kwargs):
    append(None, "role.removed", f"user:{instance.user.username}", {"role": instance.role})
