from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "masa.web.core"
    label = "core"
    verbose_name = "Partnership metadata and returns"
