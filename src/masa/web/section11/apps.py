from django.apps import AppConfig


class Section11Config(AppConfig):
    name = "masa.web.section11"
    label = "section11"
    default_auto_field = "django.db.models.BigAutoField"
