from django.core.management.base import BaseCommand, CommandError

from renshi.exams.errors import ExamError
from renshi.exams.models import Exam
from renshi.exams.services import seating


class Command(BaseCommand):
    help = "随机编排考场座位（大型考试在命令行执行，不受网页请求超时限制）：当场生成种子并打印"

    def add_arguments(self, parser):
        parser.add_argument("exam_code", help="考试代码")
        parser.add_argument("--witnesses", required=True, help="现场监督人员姓名")
        parser.add_argument("--area", help="只编排该考区（考区代码），不填则全部考区")

    def handle(self, *args, exam_code, witnesses, area, **options):
        exam = Exam.objects.filter(code=exam_code).first()
        if exam is None:
            raise CommandError(f"没有考试代码为 {exam_code} 的考试")
        actor = f"命令行 assign_seats（监督：{witnesses}）"[:150]
        try:
            if area:
                target = exam.areas.filter(code=area).first()
                if target is None:
                    raise CommandError(f"本考试没有考区代码 {area}")
                made = [
                    seating.seats_assign(actor=actor, exam=exam, area=target, witnesses=witnesses)
                ]
            else:
                made = seating.seats_assign_exam(actor=actor, exam=exam, witnesses=witnesses)
        except ExamError as e:
            raise CommandError(e.message) from e
        self.stdout.write(f"随机种子：{made[0].seed}")
        for draw in made:
            self.stdout.write(
                f"#{draw.pk} 考区 {draw.scope} {draw.summary['area']}："
                f"{draw.summary['candidates']}人，{draw.summary['rooms']}个考场"
            )
