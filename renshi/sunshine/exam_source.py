"""Reads of the exams app, read-only: published proposed-hire notices (拟录用公示) to import.

The list, its period and its objection rule belong to `exams.services.hiring`; nothing here
decides who is hired or for how long the list is shown.
"""

from renshi.exams.models import HireNotice, HireNoticeStatus
from renshi.exams.services import hiring

COLUMNS = ["职位代码", "招录机关", "职位", "姓名", "笔试成绩", "面试成绩", "综合成绩", "排名"]


def importable(imported_sources):
    """Published exam notices not yet imported (newest first)."""
    taken = {int(s.split(":", 1)[1]) for s in imported_sources}
    notices = HireNotice.objects.filter(status=HireNoticeStatus.PUBLISHED).select_related("exam")
    return [n for n in notices.order_by("-published_at") if n.pk not in taken]


def published(pk):
    notice = HireNotice.objects.select_related("exam").filter(pk=pk).first()
    if notice is None or notice.status != HireNoticeStatus.PUBLISHED:
        return None
    return notice


def workdays(notice) -> int:
    return hiring.notice_days(notice.exam)


def _score(value):
    return "" if value is None else str(value)


def rows(notice) -> list[list[str]]:
    """The public columns only: no ID or phone numbers."""
    out = []
    for application in hiring.notice_rows(notice):
        result = getattr(application, "result", None)
        out.append(
            [
                application.position.code,
                application.position.hiring_unit_name,
                application.position.title,
                application.candidate.name,
                _score(result and result.written),
                _score(result and result.interview),
                _score(result and result.composite),
                _score(result and result.composite_rank),
            ]
        )
    return out
