from django.core.management.base import BaseCommand, CommandError

from renshi.sunshine import demo
from renshi.sunshine.errors import SunshineError


class Command(BaseCommand):
    help = "加载阳光人事演示数据（公示、异议、举报、纪检监察账号）；已有的跳过"

    def handle(self, *args, **options):
        try:
            demo.load(log=self.stdout.write)
        except SunshineError as e:
            raise CommandError(e.message) from None
