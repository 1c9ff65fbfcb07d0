"""Reads with visibility rules: public notices, each section's objections, reports by role."""

from django.db.models import Count, Q
from django.http import Http404

from renshi.core import crypto
from renshi.core.roles import Role, has_role
from renshi.sunshine.models import Notice, NoticeKind, NoticeStatus, Objection, Report
from renshi.sunshine.roles import OVERSEE, SECTION_ROLES, SEE_REPORTER

HIDDEN = "（仅纪检监察可见）"


def with_counts(notices):
    return notices.annotate(
        objection_count=Count("objections"),
        answered_count=Count("objections", filter=Q(objections__status="answered")),
    )


def public_notices(kind=""):
    notices = Notice.objects.filter(status=NoticeStatus.PUBLISHED)
    if kind in NoticeKind.values:
        notices = notices.filter(kind=kind)
    return with_counts(notices).order_by("-starts_on", "-id")


def public_notice(pk) -> Notice:
    notice = with_counts(Notice.objects.filter(pk=pk, status=NoticeStatus.PUBLISHED)).first()
    if notice is None:
        raise Http404
    return notice


def public_answers(notice):
    """Answered objections whose section chose to publish a summary."""
    return notice.objections.filter(status="answered").exclude(public_summary="")


def managed_notices(user):
    """Sections see their own notices; the chief and leader see all."""
    notices = with_counts(Notice.objects.all())
    if user.role in SECTION_ROLES:
        return notices.filter(section=user.role)
    if has_role(user, OVERSEE):
        return notices
    return notices.none()


def objection_tasks(user):
    objections = Objection.objects.select_related("notice")
    if user.role in SECTION_ROLES:
        return objections.filter(notice__section=user.role)
    if has_role(user, OVERSEE):
        return objections
    return objections.none()


def visible_reports(user):
    """Discipline and leaders see every report, a section only those routed to it."""
    if has_role(user, SEE_REPORTER | OVERSEE):
        return Report.objects.all()
    if user.role in SECTION_ROLES:
        return Report.objects.filter(section=user.role)
    return Report.objects.none()


def reporter_identity(report, user) -> dict:
    """Who filed the report: only the discipline office (纪检监察) reads it."""
    if not has_role(user, SEE_REPORTER) or user.role != Role.DISCIPLINE:
        return {"name": HIDDEN, "phone": HIDDEN, "hidden": True}
    if report.anonymous:
        return {"name": "匿名举报", "phone": "", "hidden": False}
    return {
        "name": report.reporter_name,
        "phone": crypto.decrypt(report.reporter_phone),
        "hidden": False,
    }
