from django.core.management.base import BaseCommand, CommandError

from renshi.hall import demo
from renshi.hall.models import ItemVersion
from renshi.personnel.models import Unit


class Command(BaseCommand):
    help = "加载办事大厅演示办件（近三个月，各种状态）；已有办件时跳过"

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=190)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, count, seed, **options):
        if not Unit.objects.exists() or not ItemVersion.objects.exists():
            raise CommandError("请先运行 load_demo_city 和 load_service_items")
        if count < 1:
            raise CommandError("--count 须为正整数")
        counts = demo.load(count=count, seed=seed, log=self.stdout.write)
        if counts is None:
            self.stdout.write("已有办件，跳过加载演示办件。")
            return
        self.stdout.write(
            f"演示办件 {counts['case'] + counts['engine']} 件（环节任务 {counts['casetask']}、"
            f"评价 {counts['rating']}）；提醒：{counts['tick']}"
        )
