from django.core.management.base import BaseCommand

from renshi.hall.tick import tick


class Command(BaseCommand):
    help = "办事大厅时钟：为临期（黄牌）和超期（红牌）的办件及环节发送提醒，每项只发一次"

    def handle(self, *args, **options):
        counts = tick()
        self.stdout.write(
            "办件临期 {yellow_cases}、超期 {red_cases}；"
            "环节临期 {yellow_tasks}、超期 {red_tasks}".format(**counts)
        )
        if counts["calendar_missing_year"]:
            year = counts["calendar_missing_year"]
            self.stdout.write(f"{year}年的工作日历尚未录入，请系统管理员在“工作日历”中录入")
