from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "masa.web.accounts"
    label = "accounts"
    verbose_name = "Roles and API tokens"

    def ready(self):
        from . import signals  # noqa: F401  (audit log of users and roles)
