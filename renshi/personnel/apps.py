from django.apps import AppConfig


class PersonnelConfig(AppConfig):
    name = "renshi.personnel"
    label = "personnel"
    verbose_name = "人事基础数据库"
