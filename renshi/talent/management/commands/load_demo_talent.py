from django.core.management.base import BaseCommand, CommandError

from renshi.talent import demo
from renshi.talent.errors import TalentError


class Command(BaseCommand):
    help = "加载人才市场与流动党员演示数据（岗位、简历、联系请求、党组织、流动党员）；已有的跳过"

    def handle(self, *args, **options):
        try:
            demo.load(log=self.stdout.write)
        except TalentError as e:
            raise CommandError(e.message) from None
