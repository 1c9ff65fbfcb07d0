from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "renshi.talent"
    label = "talent"
    verbose_name = "人才市场与流动党员"
