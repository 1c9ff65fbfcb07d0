from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "renshi.exams"
    label = "exams"
    verbose_name = "考试录用"

    def ready(self):
        from renshi.exams import payment_hooks  # noqa: F401 - registers with payments
        from renshi.exams.services import (
            proctors,  # noqa: F401 - registers its draw kind
            seating,  # noqa: F401 - registers the "seats" draw
        )
