from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "renshi.policies"
    label = "policies"
    verbose_name = "政策法规"
