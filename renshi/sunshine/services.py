"""Writes: notices, objections and reports. One transaction per use case with its audit row.

The reporter's name and phone never enter the audit trail (the auditor is not the discipline
office); objectors' phone numbers enter it masked.
"""

import datetime
import secrets

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from renshi.core import crypto, idnumbers
from renshi.core.audit import audit_record
from renshi.core.workdays import CalendarUnknown, add_workdays
from renshi.sunshine import exam_source, pages
from renshi.sunshine.errors import SunshineError
from renshi.sunshine.models import (
    DEFAULT_SECTION,
    NAMED_ONLY,
    MilitaryRound,
    Notice,
    NoticeKind,
    NoticeStatus,
    Objection,
    ObjectionStatus,
    Report,
    ReportAttachment,
    ReportCategory,
    ReportStatus,
    Section,
    SubjectKind,
)
from renshi.sunshine.uploads import check_file, check_files

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
MAX_WORKDAYS = 30


def new_code(prefix: str, length: int = 10) -> str:
    return prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def period_end(starts_on: datetime.date, workdays: int) -> datetime.date:
    """The last day of the period: `workdays` working days after the start (not counted)."""
    if not 1 <= workdays <= MAX_WORKDAYS:
        raise SunshineError(f"公示期应为1至{MAX_WORKDAYS}个工作日", field="workdays")
    try:
        return add_workdays(starts_on, workdays)
    except CalendarUnknown as e:
        raise SunshineError(str(e), field="starts_on") from None


def _clean(instance):
    try:
        # Constraints are the database's to enforce (see _insert): checking them here as well
        # would lose a race with a generic message instead of ours.
        instance.full_clean(exclude=["created_by", "source"], validate_constraints=False)
    except ValidationError as e:
        field, messages = next(iter(e.message_dict.items()))
        if field in {f.name for f in instance._meta.fields}:
            label = instance._meta.get_field(field).verbose_name
            raise SunshineError(f"{label}：{messages[0]}", field=field) from None
        raise SunshineError(messages[0]) from None


def _insert(notice):
    """Two people publishing the same round (or importing the same exam list) at once both pass
    the check above; the unique constraints let one through and the other gets the message."""
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:
        if notice.source:
            raise SunshineError("该拟录用名单已导入") from None
        label = MilitaryRound(notice.round).label[:3] if notice.round else ""
        raise SunshineError(f"{notice.batch}的{label}已有公示", field="round") from None


# --- Notices -------------------------------------------------------------------------------


def _check_round(kind, batch, round_):
    if kind == NoticeKind.MILITARY:
        if round_ not in MilitaryRound.values:
            raise SunshineError("军转安置公示须选择榜次（第一榜至第六榜）", field="round")
        if not batch:
            raise SunshineError("军转安置公示须填写批次，如“2026年度军转干部安置”", field="batch")
        taken = Notice.objects.filter(kind=kind, batch=batch, round=round_).exclude(
            status=NoticeStatus.WITHDRAWN
        )
        if taken.exists():
            raise SunshineError(
                f"{batch}的{MilitaryRound(round_).label[:3]}已有公示", field="round"
            )
        return round_
    return None


def notice_create(
    *, actor, kind, title, starts_on, workdays, section="", body="", columns=(), rows=(),
    batch="", round=None, source=None,
) -> Notice:  # fmt: skip
    title, batch = title.strip(), batch.strip()
    if kind not in NoticeKind.values:
        raise SunshineError("请选择公示类别", field="kind")
    if not title:
        raise SunshineError("请填写标题", field="title")
    section = section or DEFAULT_SECTION[kind]
    if section not in Section.values:
        raise SunshineError("请选择承办科室", field="section")
    ends_on = period_end(starts_on, workdays)
    with transaction.atomic():
        notice = Notice(
            kind=kind, section=section, title=title, body=body.strip(), columns=list(columns),
            rows=[list(r) for r in rows], batch=batch, round=_check_round(kind, batch, round),
            starts_on=starts_on, workdays=workdays, ends_on=ends_on, source=source,
            created_by=actor if getattr(actor, "pk", None) else None,
        )  # fmt: skip
        _clean(notice)
        _insert(notice)
        audit_record(
            actor=actor, action="sunshine.notice_create", obj=notice,
            after={"kind": kind, "section": section, "starts_on": starts_on.isoformat(),
                   "ends_on": ends_on.isoformat(), "rows": len(notice.rows)},
        )  # fmt: skip
    return notice


def notice_publish(*, actor, notice_id) -> Notice:
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        if notice.status != NoticeStatus.DRAFT:
            raise SunshineError("只有草稿可以发布")
        # The calendar may have been edited since the draft was saved.
        notice.ends_on = period_end(notice.starts_on, notice.workdays)
        notice.status, notice.published_at = NoticeStatus.PUBLISHED, timezone.now()
        notice.save(update_fields=["status", "published_at", "ends_on"])
        audit_record(
            actor=actor, action="sunshine.notice_publish", obj=notice,
            before={"status": "draft"},
            after={"status": "published", "ends_on": notice.ends_on.isoformat()},
        )  # fmt: skip
        pages.changed()
    return notice


def notice_withdraw(*, actor, notice_id, reason) -> Notice:
    reason = reason.strip()
    if not reason:
        raise SunshineError("请填写撤回原因", field="reason")
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        if notice.status != NoticeStatus.PUBLISHED:
            raise SunshineError("只有已发布的公示可以撤回")
        notice.status, notice.withdrawn_at = NoticeStatus.WITHDRAWN, timezone.now()
        notice.withdraw_reason = reason[:200]
        notice.save(update_fields=["status", "withdrawn_at", "withdraw_reason"])
        audit_record(
            actor=actor, action="sunshine.notice_withdraw", obj=notice,
            before={"status": "published"}, after={"status": "withdrawn"}, note=reason[:200],
        )  # fmt: skip
        pages.changed()
    return notice


# --- Objections ----------------------------------------------------------------------------


def objection_submit(*, notice_id, name, phone, text, attachment=None, today=None) -> Objection:
    """Anyone may object during the period; name and a mobile number are required."""
    today = today or timezone.localdate()
    name, text = name.strip(), text.strip()
    if not name:
        raise SunshineError("请填写姓名（不受理匿名异议）", field="name")
    try:
        phone = idnumbers.validate_phone(phone)
    except ValidationError as e:
        raise SunshineError(f"联系电话：{e.messages[0]}", field="phone") from None
    if not text:
        raise SunshineError("请填写异议内容", field="text")
    if attachment:
        check_file(attachment, field="attachment")
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        _check_open(notice, today)
        objection = Objection.objects.create(
            notice=notice, name=name[:50], phone=crypto.encrypt(phone),
            phone_masked=idnumbers.mask_phone(phone), text=text, code=new_code("YY"),
            attachment=attachment or "",
        )  # fmt: skip
        if notice.source and notice.source.startswith("exams.hirenotice:"):
            objection.exam_objection_id = _exam_objection(notice, objection, phone, today)
            objection.save(update_fields=["exam_objection_id"])
        audit_record(
            actor=f"公众（{name[:20]}）", action="sunshine.objection_submit", obj=objection,
            after={"notice": notice.pk, "phone": objection.phone_masked},
        )  # fmt: skip
        pages.changed()
    return objection


def _check_open(notice, today):
    phase = notice.phase(today)
    if phase == "upcoming":
        raise SunshineError(f"公示自{notice.starts_on:%Y年%m月%d日}开始，届时方可提出异议")
    if phase == "closed":
        raise SunshineError(f"公示期已于{notice.ends_on:%Y年%m月%d日}结束，不再受理异议")
    if phase != "open":
        raise SunshineError("该公示已撤回，不再受理异议")


def _exam_objection(notice, objection, phone, today):
    """A proposed-hire list imported from an exam: the exam keeps its own objection record, so
    its rule (the list is final only when every objection is answered) still holds."""
    from renshi.exams.errors import ExamError
    from renshi.exams.services import hiring

    hire_notice_id = int(notice.source.split(":", 1)[1])
    try:
        record = hiring.objection_record(
            actor=f"公众（{objection.name[:20]}）", notice_id=hire_notice_id,
            text=objection.text, contact=f"{objection.name} {phone}", today=today,
        )  # fmt: skip
    except ExamError as e:
        raise SunshineError(e.message) from None
    return record.pk


def objection_answer(*, actor, objection_id, answer, public_summary="") -> Objection:
    answer, public_summary = answer.strip(), public_summary.strip()
    if not answer:
        raise SunshineError("请填写答复内容", field="answer")
    if len(public_summary) > 300:
        raise SunshineError("公开摘要不超过300字", field="public_summary")
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection_id)
        if objection.status == ObjectionStatus.ANSWERED:
            raise SunshineError("该异议已答复")
        objection.status, objection.answer = ObjectionStatus.ANSWERED, answer
        objection.public_summary, objection.answered_at = public_summary, timezone.now()
        objection.answered_by = actor if getattr(actor, "pk", None) else None
        objection.save(
            update_fields=["status", "answer", "public_summary", "answered_at", "answered_by"]
        )
        if objection.exam_objection_id:
            from renshi.exams.errors import ExamError
            from renshi.exams.services import hiring

            try:
                hiring.objection_decide(
                    actor=actor, objection_id=objection.exam_objection_id, outcome=answer
                )
            except ExamError as e:
                raise SunshineError(e.message) from None
        audit_record(
            actor=actor, action="sunshine.objection_answer", obj=objection,
            before={"status": "received"},
            after={"status": "answered", "public_summary": public_summary},
        )  # fmt: skip
        pages.changed()
    return objection


# --- Reports -------------------------------------------------------------------------------


def report_submit(
    *, category, subject_kind, subject, text, anonymous, name="", phone="", files=()
) -> tuple[Report, str]:
    """File a report; returns it with the plain password, shown once to the reporter."""
    subject, text, name = subject.strip(), text.strip(), name.strip()
    if category not in ReportCategory.values:
        raise SunshineError("请选择举报类别", field="category")
    if subject_kind not in SubjectKind.values:
        raise SunshineError("请选择被举报对象类型（单位、个人或事项）", field="subject_kind")
    if not subject:
        raise SunshineError("请填写被举报的单位、人员或事项", field="subject")
    if len(text) < 10:
        raise SunshineError("举报内容不少于10个字，请写明时间、地点、经过", field="text")
    if anonymous and category in NAMED_ONLY:
        raise SunshineError(f"“{ReportCategory(category).label}”类举报须实名", field="anonymous")
    if anonymous:
        name = phone = ""
    else:
        if not name:
            raise SunshineError("实名举报请填写姓名", field="name")
        try:
            phone = crypto.encrypt(idnumbers.validate_phone(phone))
        except ValidationError as e:
            raise SunshineError(f"联系电话：{e.messages[0]}", field="phone") from None
    check_files(list(files))
    password = new_code("", 8)
    with transaction.atomic():
        report = Report(
            code=new_code("JB"), password=make_password(password), category=category,
            subject_kind=subject_kind, subject=subject[:100], text=text, anonymous=anonymous,
            reporter_name=name[:50], reporter_phone=phone,
        )  # fmt: skip
        _clean(report)
        report.save()
        for upload in files:
            ReportAttachment.objects.create(
                report=report, file=upload, name=upload.name[:120], size=upload.size
            )
        audit_record(
            actor="公众", action="sunshine.report_submit", obj=report,
            after={"category": category, "anonymous": anonymous, "attachments": len(files)},
        )  # fmt: skip
    return report, password


def _locked_report(report_id, allowed):
    report = Report.objects.select_for_update().get(pk=report_id)
    if report.status not in allowed:
        raise SunshineError(f"该举报当前为“{report.get_status_display()}”，不能进行此操作")
    return report


def report_route(*, actor, report_id, section) -> Report:
    if section not in Section.values:
        raise SunshineError("请选择承办科室", field="section")
    with transaction.atomic():
        report = _locked_report(report_id, (ReportStatus.RECEIVED, ReportStatus.ROUTED))
        before = {"status": report.status, "section": report.section}
        report.status, report.section = ReportStatus.ROUTED, section
        report.routed_at = timezone.now()
        report.save(update_fields=["status", "section", "routed_at"])
        audit_record(
            actor=actor, action="sunshine.report_route", obj=report, before=before,
            after={"status": report.status, "section": section},
        )  # fmt: skip
    return report


def report_handle(*, actor, report_id, findings) -> Report:
    findings = findings.strip()
    if not findings:
        raise SunshineError("请填写办理情况", field="findings")
    with transaction.atomic():
        report = _locked_report(report_id, (ReportStatus.ROUTED,))
        report.status, report.findings = ReportStatus.HANDLED, findings
        report.handled_at = timezone.now()
        report.save(update_fields=["status", "findings", "handled_at"])
        audit_record(
            actor=actor, action="sunshine.report_handle", obj=report,
            before={"status": "routed"}, after={"status": "handled"},
        )  # fmt: skip
    return report


def report_answer(*, actor, report_id, answer) -> Report:
    answer = answer.strip()
    if not answer:
        raise SunshineError("请填写答复内容", field="answer")
    with transaction.atomic():
        report = _locked_report(
            report_id, (ReportStatus.RECEIVED, ReportStatus.ROUTED, ReportStatus.HANDLED)
        )
        before = {"status": report.status}
        report.status, report.answer = ReportStatus.ANSWERED, answer
        report.answered_at = timezone.now()
        report.save(update_fields=["status", "answer", "answered_at"])
        audit_record(
            actor=actor, action="sunshine.report_answer", obj=report, before=before,
            after={"status": "answered"},
        )  # fmt: skip
    return report


# --- From exams ----------------------------------------------------------------------------


def notice_from_exam(*, actor, hire_notice_id) -> Notice:
    """Publish an exam's proposed-hire notice (拟录用公示) here. The exam decides the list and
    the period (`exams.services.hiring`); sunshine shows it and takes its objections."""

    hire = exam_source.published(hire_notice_id)
    if hire is None:
        raise SunshineError("只能导入考试中已发布（公示中）的拟录用名单")
    source = f"exams.hirenotice:{hire.pk}"
    with transaction.atomic():
        if Notice.objects.select_for_update().filter(source=source).exists():
            raise SunshineError("该拟录用名单已导入")
        notice = notice_create(
            actor=actor, kind=NoticeKind.PROPOSED_HIRE, section=Section.EXAM_OFFICE,
            title=hire.title, body=f"{hire.exam.name}拟录用人员名单，公示期内可提出异议。",
            columns=exam_source.COLUMNS, rows=exam_source.rows(hire),
            starts_on=timezone.localdate(hire.published_at),
            workdays=exam_source.workdays(hire), source=source,
        )  # fmt: skip
        if notice.ends_on != hire.ends_on:
            raise SunshineError("考试公示截止日与工作日历不一致，请核对工作日历")
        return notice_publish(actor=actor, notice_id=notice.pk)


def report_identity_read(*, actor, report) -> dict:
    """The reporter as the viewer may see them; each time the discipline office reads a named
    reporter's identity it is audited (without the identity itself)."""
    from renshi.sunshine import selectors

    identity = selectors.reporter_identity(report, actor)
    if not identity["hidden"] and not report.anonymous:
        with transaction.atomic():
            audit_record(actor=actor, action="sunshine.report_identity_read", obj=report)
    return identity
