from django.apps import AppConfig


class SunshineConfig(AppConfig):
    name = "renshi.sunshine"
    label = "sunshine"
    verbose_name = "阳光人事"
