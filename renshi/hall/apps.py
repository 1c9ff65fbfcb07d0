from django.apps import AppConfig


class HallConfig(AppConfig):
    name = "renshi.hall"
    label = "hall"
    verbose_name = "网上办事大厅"
