from django.core.management.base import BaseCommand

from renshi.exams import demo


class Command(BaseCommand):
    help = "Load the demo exams (one open for registration, one past payment) and candidates."

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, default=3000)

    def handle(self, *args, candidates, **options):
        if demo.is_loaded():
            self.stdout.write("演示考试已存在，跳过。")
        else:
            demo.load(candidates=candidates, log=self.stdout.write)
        self.stdout.write(
            f"\n演示考生：身份证号 {demo.DEMO_CANDIDATE['id_number']} 或手机 "
            f"{demo.DEMO_CANDIDATE['phone']}，密码 Renshi@2026（/exams/ 考生登录）"
        )
