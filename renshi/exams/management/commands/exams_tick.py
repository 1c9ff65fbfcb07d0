from django.core.management.base import BaseCommand

from renshi.exams.services.tick import exams_tick


class Command(BaseCommand):
    help = "Apply passed deadlines: query open orders, withdraw the unpaid, refund cancellations."

    def handle(self, *args, **options):
        exams_tick(say=self.stdout.write)
