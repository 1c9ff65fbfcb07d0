from django.core.management.base import BaseCommand, CommandError

from renshi.core.work_calendar import CalendarInputError, known_years, load_years


class Command(BaseCommand):
    help = "从 chinesecalendar 载入工作日历（已有数据的年份保留，除非 --replace）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--years", nargs="+", type=int, help="年份，默认为 chinesecalendar 收录的全部年份"
        )
        parser.add_argument(
            "--replace", action="store_true", help="覆盖已有年份（管理员的修改将丢失）"
        )

    def handle(self, *args, years=None, replace=False, **options):
        try:
            written = load_years(years or known_years(), replace=replace)
        except CalendarInputError as exc:
            raise CommandError(str(exc)) from None
        for year, count in written.items():
            note = f"载入 {count} 天" if count else "已有数据，保留"
            self.stdout.write(f"{year}：{note}")
