"""The exam office's writes: exams and their windows, subjects and fees, exam areas, the
announcement, publication, change notices (变更公告) and position corrections.

Once an exam is published its announcement and rules change only through a published change
notice (人社部 2017: an announcement changes only through a prior 变更公告); the notice carries
the new values and applies them in the same transaction, so candidates never see a rule the
history does not explain.
"""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from renshi.core import pagecache
from renshi.core.audit import audit_record, changed, snapshot
from renshi.exams.errors import ExamError
from renshi.exams.models import (
    Announcement,
    AnnouncementKind,
    Exam,
    ExamArea,
    ExamKind,
    ExamStatus,
    Position,
    PositionStatus,
    RatioBasis,
    ReviewMode,
    Subject,
)

EXAM_FIELDS = [
    "kind",
    "code",
    "name",
    "registration_opens",
    "registration_closes",
    "review_closes",
    "payment_closes",
    "ticket_opens",
    "ticket_closes",
    "reapply_closes",
    "review_mode",
    "ratio_default",
    "ratio_special",
    "ratio_basis",
]
# What a change notice may change after publication (the announcement's rules).
WINDOW_FIELDS = [
    "registration_opens",
    "registration_closes",
    "review_closes",
    "payment_closes",
    "ticket_opens",
    "ticket_closes",
    "reapply_closes",
]
NOTICE_FIELDS = [*WINDOW_FIELDS, "review_mode", "ratio_default", "ratio_special", "ratio_basis"]
SUBJECT_FIELDS = ["code", "name", "fee", "order", "starts_at", "ends_at"]
AREA_FIELDS = ["code", "name", "capacity"]
POSITION_FIELDS = [
    "hiring_unit_name",
    "unit",
    "bureau",
    "title",
    "description",
    "area",
    "plan_count",
    "education_levels",
    "degree_rule",
    "major_codes",
    "major_names",
    "political_rule",
    "min_grassroots_years",
    "born_from",
    "born_to",
    "sex",
    "fresh_graduate_only",
    "conditions",
    "special_ratio",
    "interview_ratio",
    "work_place",
    "phone",
]

PUBLISHED_LOCKED = "考试已发布，公告和考试规则只能通过发布变更公告修改"


def _fmt(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def validate_exam(exam: Exam) -> None:
    """Field values and the order of the windows, in Chinese, naming the field."""
    code = (exam.code or "").strip()
    if not code.isdigit() or not 2 <= len(code) <= 6:
        raise ExamError("考试代码应为2–6位数字", field="code")
    if not (exam.name or "").strip():
        raise ExamError("考试名称不能为空", field="name")
    choices = [
        ("kind", ExamKind, "类别"),
        ("review_mode", ReviewMode, "审核方式"),
        ("ratio_basis", RatioBasis, "开考比例计算依据"),
    ]
    for field, enum, label in choices:
        if getattr(exam, field) not in enum.values:
            raise ExamError(f"{label}无效", field=field)
    for field, label in (("ratio_default", "开考比例"), ("ratio_special", "特殊职位开考比例")):
        value = getattr(exam, field)
        if value is None or not 1 <= value <= 10:
            raise ExamError(f"{label}应为1–10之间的整数（如3表示3:1）", field=field)
    if exam.ratio_special > exam.ratio_default:
        raise ExamError("特殊职位开考比例不应高于一般职位", field="ratio_special")
    _validate_windows(exam)


def _validate_windows(exam: Exam) -> None:
    required = [
        ("registration_opens", "报名开始时间"),
        ("registration_closes", "报名截止时间"),
        ("review_closes", "审核截止时间"),
        ("payment_closes", "缴费截止时间"),
    ]
    for field, label in required:
        if getattr(exam, field) is None:
            raise ExamError(f"请填写{label}", field=field)
    rules = [
        ("registration_closes", "registration_opens", "报名截止时间应晚于报名开始时间", False),
        ("review_closes", "registration_closes", "审核截止时间不能早于报名截止时间", True),
        ("payment_closes", "review_closes", "缴费截止时间不能早于审核截止时间", True),
        ("ticket_opens", "payment_closes", "准考证打印开始时间不能早于缴费截止时间", True),
        ("ticket_closes", "ticket_opens", "准考证打印截止时间应晚于打印开始时间", False),
        ("reapply_closes", "registration_closes", "改报截止时间应晚于报名截止时间", False),
    ]
    for later, earlier, message, may_equal in rules:
        a, b = getattr(exam, later), getattr(exam, earlier)
        if a is None or b is None:
            continue
        if a < b or (a == b and not may_equal):
            raise ExamError(f"{message}（{_fmt(b)}）", field=later)
    if bool(exam.ticket_opens) != bool(exam.ticket_closes):
        raise ExamError("准考证打印开始与截止时间应同时填写", field="ticket_closes")


def _save_unique(obj, *, field: str, message: str) -> None:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ExamError(message, field=field) from None


def _locked_exam(exam_id) -> Exam:
    return Exam.objects.select_for_update().get(pk=exam_id)


def _refuse_if_published(exam: Exam) -> None:
    if exam.status != ExamStatus.DRAFT:
        raise ExamError(PUBLISHED_LOCKED)


@transaction.atomic
def exam_create(*, actor, **fields) -> Exam:
    exam = Exam(**{k: v for k, v in fields.items() if k in EXAM_FIELDS})
    exam.code = (exam.code or "").strip()
    validate_exam(exam)
    _save_unique(exam, field="code", message=f"考试代码「{exam.code}」已被使用")
    audit_record(actor=actor, action="exam.create", obj=exam, after=snapshot(exam, EXAM_FIELDS))
    return exam


@transaction.atomic
def exam_update(*, actor, exam: Exam, **fields) -> Exam:
    """Only while a draft; after publication the rules change through `change_notice_publish`."""
    exam = _locked_exam(exam.pk)
    _refuse_if_published(exam)
    before = snapshot(exam, EXAM_FIELDS)
    for key, value in fields.items():
        if key in EXAM_FIELDS:
            setattr(exam, key, value)
    exam.code = (exam.code or "").strip()
    validate_exam(exam)
    _save_unique(exam, field="code", message=f"考试代码「{exam.code}」已被使用")
    old, new = changed(before, snapshot(exam, EXAM_FIELDS))
    if new:
        audit_record(actor=actor, action="exam.update", obj=exam, before=old, after=new)
    return exam


# --- Announcement, publication, change notices -------------------------------------------------


@transaction.atomic
def announcement_save(*, actor, exam: Exam, title: str, body: str) -> Announcement:
    """Draft (or redraft) the announcement (number 1) before publication."""
    exam = _locked_exam(exam.pk)
    _refuse_if_published(exam)
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise ExamError("公告标题不能为空", field="title")
    if not body:
        raise ExamError("公告正文不能为空", field="body")
    ann, created = Announcement.objects.get_or_create(
        exam=exam,
        number=1,
        defaults={"kind": AnnouncementKind.ANNOUNCEMENT, "title": title, "body": body},
    )
    before = {} if created else {"title": ann.title, "body": ann.body}
    ann.title, ann.body = title, body
    ann.save(update_fields=["title", "body"])
    old, new = changed(before, {"title": title, "body": body})
    if new:
        audit_record(
            actor=actor,
            action="announcement.draft",
            obj=ann,
            before=old,
            after=new,
            note=exam.name,
        )
    return ann


def publish_problems(exam: Exam) -> list[str]:
    """What still stops the exam from being published, in Chinese."""
    problems = []
    ann = exam.announcements.filter(number=1).first()
    if ann is None:
        problems.append("尚未起草招考公告")
    if not exam.subjects.exists():
        problems.append("尚未设置考试科目")
    if not exam.areas.exists():
        problems.append("尚未设置考区")
    if not exam.positions.exists():
        problems.append("尚未导入职位表")
    return problems


@transaction.atomic
def exam_publish(*, actor, exam: Exam, now=None) -> Exam:
    now = now or timezone.now()
    exam = _locked_exam(exam.pk)
    _refuse_if_published(exam)
    problems = publish_problems(exam)
    if problems:
        raise ExamError("不能发布：" + "；".join(problems))
    validate_exam(exam)
    if exam.registration_closes <= now:
        raise ExamError("报名截止时间已过，请先修改报名时间", field="registration_closes")
    exam.status = ExamStatus.PUBLISHED
    exam.published_at = now
    exam.save(update_fields=["status", "published_at"])
    Announcement.objects.filter(exam=exam, number=1).update(published_at=now, published_by=actor)
    audit_record(
        actor=actor,
        action="exam.publish",
        obj=exam,
        before={"status": ExamStatus.DRAFT},
        after={"status": exam.status, "published_at": now.isoformat()},
    )
    _public_pages_changed()
    return exam


def _public_pages_changed() -> None:
    """After the commit, the shared anonymous pages showing exams are dropped: the exam's own
    (position list) and the site's (exam announcements appear on /site/; its scope is "site")."""

    def drop():
        pagecache.invalidate("exams")
        pagecache.invalidate("site")

    transaction.on_commit(drop)


def _parse_fee(value, subject_name) -> Decimal:
    try:
        fee = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ExamError(f"{subject_name}的考务费应为金额（元）", field="fees") from None
    if fee < 0 or fee > Decimal("9999.99"):
        raise ExamError(f"{subject_name}的考务费应在0–9999.99元之间", field="fees")
    return fee


@transaction.atomic
def change_notice_publish(
    *, actor, exam: Exam, title: str, body: str, changes=None, fees=None, now=None
) -> Announcement:
    """Publish a change notice (变更公告) and apply what it changes in the same transaction.

    `changes` maps exam fields in NOTICE_FIELDS to new values; `fees` maps subject ids to new fees.
    Values equal to the current ones are ignored; the notice lists what really changed."""
    now = now or timezone.now()
    exam = _locked_exam(exam.pk)
    if exam.status != ExamStatus.PUBLISHED:
        raise ExamError("考试尚未发布（或已结束），不需要变更公告")
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise ExamError("变更公告标题不能为空", field="title")
    if not body:
        raise ExamError("变更公告正文不能为空，请写明变更内容", field="body")
    unknown = set(changes or {}) - set(NOTICE_FIELDS)
    if unknown:
        raise ExamError(f"变更公告不能修改：{'、'.join(sorted(unknown))}")

    before = snapshot(exam, NOTICE_FIELDS)
    for key, value in (changes or {}).items():
        setattr(exam, key, value)
    validate_exam(exam)
    old, new = changed(before, snapshot(exam, NOTICE_FIELDS))
    if new:
        exam.save(update_fields=list(new))

    subjects = {s.pk: s for s in Subject.objects.select_for_update().filter(exam=exam)}
    fee_before, fee_after = {}, {}
    for subject_id, value in (fees or {}).items():
        subject = subjects.get(int(subject_id))
        if subject is None:
            raise ExamError("科目不属于本考试", field="fees")
        fee = _parse_fee(value, subject.name)
        if fee != subject.fee:
            fee_before[subject.code] = str(subject.fee)
            fee_after[subject.code] = str(fee)
            subject.fee = fee
            subject.save(update_fields=["fee"])

    number = (exam.announcements.aggregate(n=Max("number"))["n"] or 0) + 1
    notice = Announcement.objects.create(
        exam=exam,
        number=number,
        kind=AnnouncementKind.CHANGE,
        title=title,
        body=body,
        published_at=now,
        published_by=actor,
    )
    if fee_after:
        old["fees"], new["fees"] = fee_before, fee_after
    audit_record(
        actor=actor,
        action="exam.change_notice",
        obj=exam,
        before=old,
        after=new,
        note=f"变更公告第{number}号：{title}",
    )
    _public_pages_changed()
    return notice


# --- Subjects and areas ------------------------------------------------------------------------


def _validate_subject(subject: Subject) -> None:
    if not (subject.code or "").strip():
        raise ExamError("科目代码不能为空", field="code")
    if not (subject.name or "").strip():
        raise ExamError("科目名称不能为空", field="name")
    subject.fee = _parse_fee(subject.fee, subject.name)
    if subject.starts_at and subject.ends_at and subject.ends_at <= subject.starts_at:
        raise ExamError("结束时间应晚于开考时间", field="ends_at")


@transaction.atomic
def subject_create(*, actor, exam: Exam, **fields) -> Subject:
    exam = _locked_exam(exam.pk)
    _refuse_if_published(exam)
    subject = Subject(exam=exam, **{k: v for k, v in fields.items() if k in SUBJECT_FIELDS})
    _validate_subject(subject)
    _save_unique(subject, field="code", message=f"科目代码「{subject.code}」已存在")
    audit_record(
        actor=actor, action="subject.create", obj=subject, after=snapshot(subject, SUBJECT_FIELDS)
    )
    return subject


@transaction.atomic
def subject_update(*, actor, subject: Subject, **fields) -> Subject:
    """Fees and subjects are part of the announcement: after publication, use a change notice."""
    _refuse_if_published(_locked_exam(subject.exam_id))
    subject = Subject.objects.select_for_update().get(pk=subject.pk)
    before = snapshot(subject, SUBJECT_FIELDS)
    for key, value in fields.items():
        if key in SUBJECT_FIELDS:
            setattr(subject, key, value)
    _validate_subject(subject)
    _save_unique(subject, field="code", message=f"科目代码「{subject.code}」已存在")
    old, new = changed(before, snapshot(subject, SUBJECT_FIELDS))
    if new:
        audit_record(actor=actor, action="subject.update", obj=subject, before=old, after=new)
    return subject


@transaction.atomic
def subject_delete(*, actor, subject: Subject) -> None:
    _refuse_if_published(_locked_exam(subject.exam_id))
    audit_record(
        actor=actor, action="subject.delete", obj=subject, before=snapshot(subject, SUBJECT_FIELDS)
    )
    subject.delete()


def _validate_area(area: ExamArea) -> None:
    if not (area.code or "").strip():
        raise ExamError("考区代码不能为空", field="code")
    if not (area.name or "").strip():
        raise ExamError("考区名称不能为空", field="name")
    if area.capacity is not None and area.capacity < area.taken:
        raise ExamError(
            f"容量不能小于已报名人数（{area.taken}人）", field="capacity", code="capacity"
        )


@transaction.atomic
def area_create(*, actor, exam: Exam, **fields) -> ExamArea:
    exam = _locked_exam(exam.pk)
    area = ExamArea(exam=exam, **{k: v for k, v in fields.items() if k in AREA_FIELDS})
    _validate_area(area)
    _save_unique(area, field="code", message=f"考区代码「{area.code}」已存在")
    audit_record(actor=actor, action="area.create", obj=area, after=snapshot(area, AREA_FIELDS))
    return area


@transaction.atomic
def area_update(*, actor, area: ExamArea, **fields) -> ExamArea:
    """Capacity may change during registration (never below the applications already in it);
    the row is locked because applications count into `taken` under the same lock."""
    area = ExamArea.objects.select_for_update().get(pk=area.pk)
    before = snapshot(area, AREA_FIELDS)
    for key, value in fields.items():
        if key in AREA_FIELDS:
            setattr(area, key, value)
    _validate_area(area)
    _save_unique(area, field="code", message=f"考区代码「{area.code}」已存在")
    old, new = changed(before, snapshot(area, AREA_FIELDS))
    if new:
        audit_record(actor=actor, action="area.update", obj=area, before=old, after=new)
    return area


@transaction.atomic
def area_delete(*, actor, area: ExamArea) -> None:
    area = ExamArea.objects.select_for_update().get(pk=area.pk)
    if area.applications.exists() or Position.objects.filter(area=area).exists():
        raise ExamError("该考区已有职位或报名，不能删除")
    audit_record(actor=actor, action="area.delete", obj=area, before=snapshot(area, AREA_FIELDS))
    area.delete()


# --- Positions ---------------------------------------------------------------------------------


def validate_position(position: Position) -> None:
    if not (position.hiring_unit_name or "").strip():
        raise ExamError("招录机关不能为空", field="hiring_unit_name")
    if not (position.title or "").strip():
        raise ExamError("招考职位不能为空", field="title")
    if not position.plan_count or position.plan_count < 1:
        raise ExamError("招考人数应为正整数", field="plan_count")
    if position.born_from and position.born_to and position.born_from > position.born_to:
        raise ExamError("出生日期起不能晚于出生日期止", field="born_from")
    if position.area_id and position.area.exam_id != position.exam_id:
        raise ExamError("考区不属于本考试", field="area")


@transaction.atomic
def position_update(*, actor, position: Position, **fields) -> Position:
    """Correct a position before publication (the table is part of the announcement)."""
    _refuse_if_published(_locked_exam(position.exam_id))
    position = Position.objects.select_for_update().get(pk=position.pk)
    before = snapshot(position, POSITION_FIELDS)
    for key, value in fields.items():
        if key in POSITION_FIELDS:
            setattr(position, key, value)
    validate_position(position)
    if "plan_count" in fields and position.status == PositionStatus.OPEN:
        position.original_plan_count = position.plan_count
    position.save()
    old, new = changed(before, snapshot(position, POSITION_FIELDS))
    if new:
        audit_record(actor=actor, action="position.update", obj=position, before=old, after=new)
    return position


@transaction.atomic
def position_delete(*, actor, position: Position) -> None:
    _refuse_if_published(_locked_exam(position.exam_id))
    if position.applications.exists():
        raise ExamError("该职位已有报名，不能删除")
    audit_record(
        actor=actor,
        action="position.delete",
        obj=position,
        before=snapshot(position, POSITION_FIELDS),
    )
    position.delete()
