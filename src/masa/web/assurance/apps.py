from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "masa.web.assurance"
    label = "assurance"
    default_auto_field = "django.db.models.BigAutoField"
