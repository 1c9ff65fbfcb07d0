from django.core.management.base import BaseCommand, CommandError

from renshi.exams import draws
from renshi.exams.models import Draw


class Command(BaseCommand):
    help = "重现一次抽签（座位编排、监考、考官、面试顺序）：用记录的种子和输入重新计算并比对摘要"

    def add_arguments(self, parser):
        parser.add_argument("draw_id", nargs="*", type=int, help="抽签记录编号（不填则核验全部）")
        parser.add_argument("--exam", type=int, help="只核验该考试的抽签")

    def handle(self, *args, draw_id, exam, **options):
        rows = Draw.objects.order_by("id")
        if draw_id:
            rows = rows.filter(pk__in=draw_id)
        if exam:
            rows = rows.filter(exam_id=exam)
        failed = 0
        for draw in rows:
            try:
                outcome = draws.verify(draw)
            except KeyError as exc:
                raise CommandError(f"未知的抽签类型：{draw.kind}") from exc
            mark = "一致" if outcome.ok else "不一致"
            failed += not outcome.ok
            self.stdout.write(
                f"#{draw.pk} {draw.get_kind_display()} {draw.scope} 种子 {draw.seed}："
                f"输入{'一致' if outcome.inputs_match else '已变化'}，结果{mark}"
            )
        if failed:
            raise CommandError(f"{failed} 次抽签无法重现")
