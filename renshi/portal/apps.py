from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "renshi.portal"
    label = "portal"
    verbose_name = "人事人才网"
