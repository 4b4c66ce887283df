from django.apps import AppConfig


class AuditLogConfig(AppConfig):
    name = "masa.web.auditlog"
    label = "auditlog"
    verbose_name = "Tamper-evident audit trail"
