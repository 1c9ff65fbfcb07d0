from django.core.management.base import BaseCommand

from renshi.personnel.demo import PASSWORD
from renshi.policies import demo
from renshi.portal.demo import EDITOR


class Command(BaseCommand):
    help = "演示政策法规库：约 90 份文件（含效力关系）和 10 篇网上说法（可重复运行）"

    def handle(self, *args, **options):
        demo.load(log=self.stdout.write)
        self.stdout.write(
            f"  网站编辑 {EDITOR[0]}（{EDITOR[1]}），密码 {PASSWORD}："
            "/policies/manage/ 管理政策文件和网上说法"
        )
