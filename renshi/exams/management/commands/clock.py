import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

# What must happen on its own, in order, every tick: pull payments whose notification is late,
# follow refunds, apply passed exam deadlines, (demo) re-send the simulator's notifications, and
# send the service hall's deadline reminders.
JOBS = ["query_stale_orders", "exams_tick", "paysim_deliver", "hall_tick"]


class Command(BaseCommand):
    help = "定时任务：掉单查询与退款跟进、考试截止处理（逾期未缴费、取消职位退费）、补发模拟通知"

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=60, help="间隔秒数")
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, every, once, **options):
        from renshi.payments import conf

        jobs = [j for j in JOBS if j != "paysim_deliver" or conf.simulator_on()]
        while True:
            for job in jobs:
                try:
                    call_command(job, stdout=self.stdout)
                except Exception as exc:  # one failing job must not stop the clock
                    self.stderr.write(f"{job}: {exc}")
            if once:
                return
            time.sleep(every)
