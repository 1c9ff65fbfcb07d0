from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from renshi.personnel import demo
from renshi.personnel.models import Person


class Command(BaseCommand):
    help = "Load the deterministic demo city of Anshan (鞍山市) and the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=520)
        parser.add_argument("--people", type=int, default=40000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--reset", action="store_true", help="delete the demo data first")
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, units, people, seed, reset, quiet, **options):
        log = (lambda text: None) if quiet else self.stdout.write
        if Person.objects.exists():
            if not reset:
                if demo.is_loaded():
                    self.stdout.write("演示数据已存在，跳过加载（重新生成请加 --reset）。")
                    self.print_accounts()
                    return
                raise CommandError(
                    "数据库中已有人员数据，不能加载演示数据。"
                    "请使用空数据库，或加 --reset 删除现有单位和人员后重新加载。"
                )
            log("删除现有单位、人员和编制数据 …")
            demo.reset_city()
        elif reset:
            demo.reset_city()
        if units < 1 or people < 1:
            raise CommandError("--units 和 --people 须为正整数")
        counts = demo.load_city(units=units, people=people, seed=seed, log=log)
        demo.create_accounts(log=log)
        # Fresh statistics so the query planner knows the low-selectivity columns.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        log(f"完成：{counts['units']}个单位，{people}人，用时 {counts['seconds']} 秒")
        self.print_accounts()

    def print_accounts(self):
        self.stdout.write(f"\n演示账号（密码均为 {demo.PASSWORD}）")
        self.stdout.write(f"{demo.pad('用户名', 18)}{demo.pad('角色', 16)}单位")
        for username, role, unit in demo.account_rows():
            self.stdout.write(f"{demo.pad(username, 18)}{demo.pad(role, 16)}{unit}")
