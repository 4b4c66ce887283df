from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "masa.web.site"
    label = "site"
    verbose_name = "Web pages: workspace, dashboard and the published site"
