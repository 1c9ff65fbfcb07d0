from django.core.management.base import BaseCommand

from renshi.core import codes
from renshi.core.codetables import load
from renshi.core.models import CodeItem, CodeTable


class Command(BaseCommand):
    help = "Load or refresh the shipped code tables (GB/T and local)."

    def handle(self, *args, **options):
        count = load(CodeTable, CodeItem)
        codes.clear_cache()
        self.stdout.write(f"{count} code items loaded")
