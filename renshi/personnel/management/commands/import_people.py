from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from renshi.core import roles
from renshi.personnel import import_jobs, imports, selectors
from renshi.personnel.errors import PersonnelError


class Command(BaseCommand):
    help = (
        "Check an Excel file of people as the web import does (a dry run); with --commit write it "
        "in chunks, printing progress. The user's scope and name go on every change."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--unit-scope-user",
            required=True,
            metavar="USERNAME",
            help="import as this user: their units only, and the audit trail names them",
        )
        parser.add_argument("--commit", action="store_true", help="write (default: check only)")
        parser.add_argument(
            "--good-only", action="store_true", help="write the rows without errors, skip the rest"
        )

    def handle(self, *args, file, unit_scope_user, commit, good_only, **options):
        actor = self.importer(unit_scope_user)
        try:
            data = file.read_bytes()
        except OSError as e:
            raise CommandError(f"无法读取文件 {file}：{e.strerror}") from None
        if len(data) > imports.MAX_BYTES:
            raise CommandError("文件过大，不能超过10 MB，请分批导入")
        report = imports.import_check(data, actor)
        if report.fatal:
            raise CommandError(report.fatal)
        self.print_report(file, report)
        if not commit:
            self.stdout.write("以上为检查结果，未写入任何数据；加 --commit 写入。")
            if report.errors and not good_only:
                raise CommandError(f"文件中有{len(report.errors)}处错误")
            return
        self.write(actor, file.name, report, only_valid=good_only)

    def importer(self, username):
        actor = get_user_model().objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"没有启用的账号「{username}」")
        if not (roles.has_role(actor, roles.EDIT_PEOPLE) and selectors.can_read_personnel(actor)):
            raise CommandError(f"账号「{username}」没有导入人员信息的权限（或专员未绑定单位）")
        return actor

    def print_report(self, file, report):
        counts = report.counts
        self.stdout.write(
            f"检查 {file}：共{len(report.rows)}行，新增{counts['create']}，更新{counts['update']}，"
            f"无变化{counts['unchanged']}，有错误的行{counts['error']}"
        )
        for issue in report.errors:
            self.stdout.write(f"  {issue}")
        for row in report.rows:
            for note in row.notes:
                self.stdout.write(f"  第{row.number}行：{note}")

    def write(self, actor, filename, report, *, only_valid):
        total = len(report.good_rows)

        def progress(result, processed):
            self.stdout.write(
                f"已写入 {processed}/{total} 行（新增{result.created}，更新{result.updated}，"
                f"失败{len(result.failures)}）"
            )

        try:
            result, problem = import_jobs.write_in_chunks(
                actor=actor,
                report=report,
                only_valid=only_valid,
                filename=filename,
                on_progress=progress,
            )
        except PersonnelError as e:
            raise CommandError(e.message) from None
        for failure in result.failures:
            self.stdout.write(f"  第{failure.row}行未导入：{failure.message}")
        if problem:
            raise CommandError(problem)
        self.stdout.write(
            self.style.SUCCESS(
                f"完成：新增{result.created}人，更新{result.updated}人，"
                f"跳过{result.skipped + len(result.failures)}行"
            )
        )
