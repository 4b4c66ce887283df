from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "masa.web.administration"
    label = "administration"
    verbose_name = "Business-unit setup: areas, partners, indicators, templates, users"
