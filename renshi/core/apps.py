from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "renshi.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from renshi.core import codes

        codes.connect_signals()
