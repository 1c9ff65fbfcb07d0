import time

from django.core.management.base import BaseCommand, CommandError

from renshi.exams import demo_admin


class Command(BaseCommand):
    help = (
        "Exam administration for the demo exam 2602: sites, seat and proctor draws, incidents, "
        "written scores, the shortlist, tomorrow's interview panels (after load_demo_exams)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, seed, **options):
        if demo_admin.is_loaded():
            self.stdout.write("演示考务数据已存在，跳过。")
        else:
            started = time.monotonic()
            try:
                demo_admin.load(seed=seed, log=self.stdout.write)
            except ValueError as e:
                raise CommandError(str(e)) from None
            self.stdout.write(f"演示考务数据加载完成，用时 {time.monotonic() - started:.1f} 秒")
        self.stdout.write("")
        for line in demo_admin.account_lines():
            self.stdout.write(line)
