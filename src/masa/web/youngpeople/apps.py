from django.apps import AppConfig


class YoungPeopleConfig(AppConfig):
    name = "masa.web.youngpeople"
    label = "youngpeople"
    default_auto_field = "django.db.models.BigAutoField"
