from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "renshi.payments"
    label = "payments"
    verbose_name = "网上缴费"
