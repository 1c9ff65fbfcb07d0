import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.sunshine import services
from renshi.sunshine.models import NoticeKind

D = datetime.date
START = D(2025, 9, 30)
PDF = b"%PDF-1.4 test file"


def staff(role=Role.PERSONNEL, **fields):
    return UserFactory(role=role, **fields)


def make_notice(
    *, starts_on=START, workdays=5, kind=NoticeKind.TITLE_RESULT, publish=True, **fields
):
    notice = services.notice_create(
        actor=fields.pop("actor", "测试"), kind=kind, starts_on=starts_on, workdays=workdays,
        title=fields.pop("title", "2025年度职称评审结果公示"),
        columns=["姓名", "单位", "评审结果"], rows=[["王一", "鞍山市第一中学", "高级教师"]],
        **fields,
    )  # fmt: skip
    if publish:
        notice = services.notice_publish(actor="测试", notice_id=notice.pk)
    return notice


def pdf(name="证明.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def report(**fields):
    data = {
        "category": "recruit",
        "subject_kind": "unit",
        "subject": "鞍山市某事业单位",
        "text": "2026年招聘中存在因人设岗的问题，请核查。",
        "anonymous": False,
        "name": "赵举报",
        "phone": "13912345678",
    }
    data.update(fields)
    return services.report_submit(**data)
