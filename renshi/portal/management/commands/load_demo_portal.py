from django.core.management.base import BaseCommand

from renshi.portal import demo


class Command(BaseCommand):
    help = "加载人事人才网演示内容：栏目、约60篇新闻公告、网站编辑账号（可重复运行）"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, seed, **options):
        demo.load(seed=seed, log=self.stdout.write)
