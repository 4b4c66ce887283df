from django.apps import AppConfig


class QueueConfig(AppConfig):
    name = "masa.web.queue"
    label = "queue"
    default_auto_field = "django.db.models.BigAutoField"
