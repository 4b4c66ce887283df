from django.apps import AppConfig


class DatasetConfig(AppConfig):
    name = "masa.web.dataset"
    label = "dataset"
    default_auto_field = "django.db.models.BigAutoField"
