"""The case engine (办件): filing, intake, steps, pauses, extensions, conclusion and rating.

Every service locks the case row first (SELECT ... FOR UPDATE), then checks the state it
found, so two people acting on the same step at once are serialised: the first one wins and the
second gets a HallError saying what happened. Effects on the personnel database run inside the
same transaction (renshi.hall.effects); a history line (CaseEvent) and an audit row are written
with every change. The lifecycle is described in renshi/hall/models/cases.py.
"""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from renshi.core import idnumbers, notify, roles, workdays
from renshi.core.audit import audit_record
from renshi.core.roles import Role
from renshi.hall.effects import effect_of, sealed
from renshi.hall.errors import HallError
from renshi.hall.models import (
    Case,
    CaseEvent,
    CaseMaterial,
    CaseNotice,
    CaseSequence,
    CaseStatus,
    CaseTask,
    Channel,
    Decision,
    Extension,
    ExtensionStatus,
    ItemVersion,
    NoticeKind,
    Outcome,
    Rating,
    RatingLevel,
    TaskStatus,
    VersionStatus,
)
from renshi.personnel import selectors as personnel_selectors

# Who approves an extension of the time limit (§42: the head of the administrative organ).
APPROVE_EXTENSIONS = frozenset({Role.SECTION_CHIEF, Role.BUREAU_LEADER})
# Who follows up a bad rating.
FOLLOW_UP_RATINGS = frozenset({Role.SECTION_CHIEF, Role.BUREAU_LEADER})
FOLLOW_UP_DAYS = 15
# Who reassigns (改派) an open task, e.g. one held by a deactivated account.
REASSIGN_TASKS = frozenset({Role.SECTION_CHIEF, Role.BUREAU_LEADER})
# §32: the one-time supplement notice is due within five days of receipt.
SUPPLEMENT_NOTICE_DAYS = 5

NOTICE_CODES = {
    NoticeKind.SUPPLEMENT: "BZ",
    NoticeKind.ACCEPT: "SL",
    NoticeKind.REFUSE: "BSL",
    NoticeKind.EXTENSION: "YQ",
    NoticeKind.DECISION: "JD",
}
RIGHTS = (
    "如对本决定不服，可以自收到本通知书之日起六十日内依法申请行政复议，"
    "或者在六个月内依法提起行政诉讼。"
)


# --- Small helpers ---------------------------------------------------------------------------


def today() -> datetime.date:
    return timezone.localdate()


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _add_workdays(day, n) -> datetime.date:
    """Working-day arithmetic; a year without a calendar stops the action with its message."""
    try:
        return workdays.add_workdays(day, n)
    except workdays.CalendarUnknown as e:
        raise HallError(f"无法计算办理期限：{e}") from None


def _workdays_after(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (the start day is not counted)."""
    if end <= start:
        return 0
    try:
        return workdays.workdays_between(start + datetime.timedelta(days=1), end)
    except workdays.CalendarUnknown as e:
        raise HallError(f"无法计算办理用时：{e}") from None


def lock(case) -> Case:
    """The case row, locked, then read afresh with what it refers to.

    The lock is taken without joins: after waiting for another transaction PostgreSQL re-checks a
    locked row but not the rows joined to it, so a reservation set by a concurrent acceptance
    would read as missing and a withdrawal would not give the slot back."""
    if not Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True):
        raise Case.DoesNotExist(f"case {case.pk}")
    return Case.objects.select_related("item", "version", "unit", "reservation").get(pk=case.pk)


def _event(case, actor, action, title, note="", public=True, **payload) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        actor=_user(actor),
        actor_name=str(actor) if _user(actor) else "系统",
        action=action,
        title=title,
        note=note,
        public=public,
        payload=payload,
    )


def _audit(case, actor, action, before=None, after=None, note=""):
    audit_record(
        actor=actor,
        action=f"hall.case.{action}",
        obj=case,
        unit_id=case.unit_id,
        before=before,
        after=after,
        note=note,
    )


def _tell_applicant(case, text):
    phone = case.applicant_phone
    if phone:
        message = f"【人事局办事大厅】办件{case.number}（{case.item.name}）{text}"
        transaction.on_commit(lambda: notify.send_sms(phone, message))


def _next_number(day: datetime.date) -> int:
    CaseSequence.objects.get_or_create(day=day)
    seq = CaseSequence.objects.select_for_update().get(day=day)
    seq.last += 1
    seq.save(update_fields=["last"])
    return seq.last


def case_number(day: datetime.date, n: int) -> str:
    """{行政区划 6 digits}{yyyymmdd}{5-digit daily sequence}, e.g. 2103002026112800012."""
    region = getattr(settings, "HALL_REGION_CODE", "210300")
    return f"{region}{day:%Y%m%d}{n:05d}"


def _notice(case, actor, kind, text, items=()) -> CaseNotice:
    count = case.notices.filter(kind=kind).count()
    number = f"{case.number}-{NOTICE_CODES[kind]}{count + 1 if count else ''}"
    return CaseNotice.objects.create(
        case=case, kind=kind, number=number, issued_by=_user(actor), items=list(items), text=text
    )


def acting_unit_ok(user, case) -> bool:
    """A unit clerk acts for the cases of units in their subtree."""
    unit = personnel_selectors.scope_unit(user)
    return bool(
        roles.has_role(user, {Role.UNIT_CLERK}) and unit and case.unit.path.startswith(unit.path)
    )


def _require_applicant_side(actor, case):
    """The filing unit's clerk, or the window acting for an applicant at the counter."""
    if not (acting_unit_ok(actor, case) or roles.has_role(actor, {Role.HALL_WINDOW})):
        raise HallError("只有申请单位的经办人或办事大厅窗口可以办理此操作")


def _require_status(case, *statuses, doing: str):
    if case.status not in statuses:
        raise HallError(f"办件当前状态为「{case.get_status_display()}」，不能{doing}")


# --- Tasks -----------------------------------------------------------------------------------


def _open_step(case, index, *, assignee=None) -> list[CaseTask]:
    """Open the tasks of a step: one for the role (或签), or one per member (会签)."""
    step = case.version.steps[index]
    due = _add_workdays(today(), step["limit_days"])
    common = {
        "case": case,
        "step_index": index,
        "step_code": step["code"],
        "step_name": step["name"],
        "role": step["role"],
        "sign_mode": step.get("sign_mode", "any"),
        "due_date": due,
    }
    members = [None]
    if assignee is not None:
        members = [assignee]
    elif step.get("sign_mode") == "all":
        User = get_user_model()
        members = list(User.objects.filter(role=step["role"], is_active=True).order_by("pk"))
        # Nobody holds the role right now: one task for the role, signed by whoever joins it,
        # rather than a step nobody could ever complete.
        members = members or [None]
    return CaseTask.objects.bulk_create([CaseTask(assignee=m, **common) for m in members])


def _cancel_open_tasks(case) -> int:
    return CaseTask.objects.filter(case=case, status=TaskStatus.OPEN).update(
        status=TaskStatus.CANCELLED, done_at=timezone.now()
    )


def can_handle(user, task) -> bool:
    """The task's assignee, or anyone of its role when it is not assigned."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if task.assignee_id is not None:
        return task.assignee_id == user.pk
    return user.role == task.role


STALE_VERBS = {TaskStatus.DONE: "办理", TaskStatus.RETURNED: "退回"}


def _lock_task(case, task, *, open_only=True) -> CaseTask:
    try:
        task = CaseTask.objects.select_for_update().get(pk=task.pk, case=case)
    except CaseTask.DoesNotExist:
        raise HallError("该任务不属于此办件", field="stale") from None
    if not open_only:
        return task
    if task.status != TaskStatus.OPEN:
        if task.done_by_id and task.status in STALE_VERBS:
            what = f"已由{task.done_by}{STALE_VERBS[task.status]}"
        else:
            what = "已取消（办件已流转）"
        raise HallError(f"「{task.step_name}」{what}，请刷新页面查看最新进度", field="stale")
    return task


def _task_for(actor, case, task) -> CaseTask:
    task = _lock_task(case, task)
    if not can_handle(actor, task):
        raise HallError("您不是该环节的办理人")
    return task


def _set_due_dates(case) -> None:
    version = case.version
    extra = case.extended_days + case.paused_days
    case.due_date = _add_workdays(case.accepted_on, version.promised_limit_days + extra)
    case.legal_due_date = _add_workdays(case.accepted_on, version.legal_limit_days + extra)


# --- Filing and intake -----------------------------------------------------------------------


def published_version_of(item) -> ItemVersion:
    version = item.versions.filter(status=VersionStatus.PUBLISHED).first()
    if version is None or not item.active:
        raise HallError(f"事项「{item.name}」当前未开放办理")
    return version


@transaction.atomic
def case_file(
    *,
    actor,
    item,
    unit,
    applicant_name: str,
    applicant_phone: str = "",
    subject: str = "",
    form: dict | None = None,
    materials: list[str] = (),
    files: dict | None = None,
    note: str = "",
) -> Case:
    """A unit files online (its clerk), or the window registers a walk-in (收件).

    `materials` names the materials handed in (checked at the window); `files` maps a material
    name to an uploaded file (online). The case waits at the window for intake."""
    if roles.has_role(actor, {Role.HALL_WINDOW}):
        channel = Channel.WINDOW
    elif roles.has_role(actor, {Role.UNIT_CLERK}):
        scope = personnel_selectors.scope_unit(actor)
        if not (scope and unit.path.startswith(scope.path)):
            raise HallError("只能为本单位申报")
        channel = Channel.ONLINE
    else:
        raise HallError("只有单位人事专员或办事大厅窗口可以申报办件")
    version = published_version_of(item)
    errors = []
    if not (applicant_name or "").strip():
        errors.append("请填写经办人姓名")
    if applicant_phone:
        try:
            applicant_phone = idnumbers.validate_phone(applicant_phone)
        except ValidationError as e:
            errors.append(e.messages[0])
    known = {m["name"] for m in version.materials}
    files = files or {}
    unknown = (set(materials) | set(files)) - known
    if unknown:
        errors.append(f"不是本事项的申请材料：{'、'.join(sorted(unknown))}")
    if errors:
        raise HallError("；".join(errors), errors=errors)
    effect = effect_of(item)
    cleaned_form = effect.clean(form or {}, unit)
    kept_form = sealed(cleaned_form)

    day = today()
    case = Case.objects.create(
        number=case_number(day, _next_number(day)),
        check_code=f"{secrets.randbelow(10**6):06d}",
        item=item,
        version=version,
        unit=unit,
        applicant_name=applicant_name.strip()[:50],
        applicant_phone=applicant_phone,
        subject=(subject or effect.summary(cleaned_form)).strip()[:200],
        channel=channel,
        filed_by=actor,
        form=kept_form,
    )
    handed_in = sorted(set(materials) | set(files))
    CaseMaterial.objects.bulk_create(
        [
            CaseMaterial(case=case, name=name, file=files.get(name) or "", uploaded_by=actor)
            for name in handed_in
        ]
    )
    _open_step(case, 0)
    _event(
        case,
        actor,
        "file",
        "网上申报" if channel == Channel.ONLINE else "窗口收件",
        note=note,
        materials=handed_in,
    )
    shown = {k: v for k, v in kept_form.items() if not k.endswith("_cipher")}
    _audit(case, actor, "file", after={"item": item.code, "version": version.number, **shown})
    _tell_applicant(case, f"已收件，查询码{case.check_code}，可凭办件编号和查询码查询进度。")
    return case


def missing_materials(case) -> list[str]:
    """Required materials of the version that the case does not have yet."""
    have = set(case.materials.values_list("name", flat=True))
    return [
        m["name"] for m in case.version.materials if not m["optional"] and m["name"] not in have
    ]


@transaction.atomic
def request_supplement(*, actor, case, items: list[dict], note: str = "") -> CaseNotice:
    """The one-time supplement notice (一次性补正告知): every missing item at once, with reasons.

    `items` is [{name, reason}]. A case gets one such notice only (a second one would break the
    one-time rule), so the window must list everything now."""
    case = lock(case)
    _require_status(case, CaseStatus.RECEIVED, doing="要求补正")
    task = _intake_task(actor, case)
    if case.supplement_requested:
        raise HallError(
            "本办件已一次性告知过补正内容，不能再次要求补正；材料仍不齐全的请作不予受理"
        )
    clean = []
    for entry in items:
        name = str(entry.get("name", "")).strip()
        if name:
            clean.append({"name": name[:100], "reason": str(entry.get("reason", "")).strip()[:200]})
    if not clean:
        raise HallError("请列出需要补正的全部材料")
    # 一次性告知 (§32): a required material left off the notice could never be asked for again.
    listed = {e["name"] for e in clean}
    left_out = [name for name in missing_materials(case) if name not in listed]
    if left_out:
        raise HallError(
            f"一次性告知须列明全部缺少的材料，以下材料尚未列入：{'、'.join(left_out)}",
            field="items",
        )
    lines = "\n".join(
        f"{i}. {e['name']}" + (f"：{e['reason']}" if e["reason"] else "")
        for i, e in enumerate(clean, 1)
    )
    notice = _notice(
        case,
        actor,
        NoticeKind.SUPPLEMENT,
        f"{case.unit.name}：\n你单位于{timezone.localtime(case.received_at):%Y年%m月%d日}提交的"
        f"「{case.item.name}」申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》"
        f"第三十二条，现一次性告知需要补正的全部内容如下：\n{lines}\n"
        f"{note}\n请补正后再次提交，补正期间不计入办理时限。",
        clean,
    )
    task.status, task.done_at, task.done_by = TaskStatus.DONE, timezone.now(), actor
    task.decision, task.opinion = Decision.RETURN, "一次性告知补正"
    task.save(update_fields=["status", "done_at", "done_by", "decision", "opinion"])
    case.status = CaseStatus.SUPPLEMENT
    case.supplement_requested = True
    case.save(update_fields=["status", "supplement_requested"])
    _event(case, actor, "supplement_request", "一次性告知补正", note=lines, notice=notice.number)
    _audit(case, actor, "supplement_request", after={"items": clean})
    _tell_applicant(case, "需要补正材料，请登录办事大厅查看补正材料通知书。")
    return notice


@transaction.atomic
def supply(*, actor, case, materials: list[str] = (), files: dict | None = None, note="") -> Case:
    """The unit hands in what the supplement notice asked for; the case returns to the window."""
    case = lock(case)
    _require_status(case, CaseStatus.SUPPLEMENT, doing="补正材料")
    _require_applicant_side(actor, case)
    files = files or {}
    names = sorted(set(materials) | set(files))
    if not names:
        raise HallError("请提交补正的材料")
    known = {m["name"] for m in case.version.materials}
    asked = {e["name"] for n in case.notices.filter(kind=NoticeKind.SUPPLEMENT) for e in n.items}
    unknown = set(names) - known - asked
    if unknown:
        raise HallError(f"不是本事项的申请材料：{'、'.join(sorted(unknown))}")
    CaseMaterial.objects.bulk_create(
        [
            CaseMaterial(case=case, name=n, file=files.get(n) or "", uploaded_by=actor, note="补正")
            for n in names
        ]
    )
    case.status = CaseStatus.RECEIVED
    case.save(update_fields=["status"])
    _open_step(case, 0)
    _event(case, actor, "supply", "补正材料已提交", note=note, materials=names)
    _audit(case, actor, "supply", after={"materials": names})
    return case


def _intake_task(actor, case) -> CaseTask:
    task = (
        CaseTask.objects.select_for_update()
        .filter(case=case, step_index=0, status=TaskStatus.OPEN)
        .first()
    )
    if task is None:
        raise HallError("该办件没有待受理的环节，请刷新页面查看最新进度", field="stale")
    if not can_handle(actor, task):
        raise HallError("只有办事大厅窗口可以受理办件")
    return task


@transaction.atomic
def accept(*, actor, case, opinion: str = "") -> Case:
    """受理: the clock starts today (counting from tomorrow); effects that hold slots run now."""
    case = lock(case)
    _require_status(case, CaseStatus.RECEIVED, doing="受理")
    task = _intake_task(actor, case)
    if len(case.version.steps) < 2:
        raise HallError("该事项没有受理后的办理环节，请联系管理员检查事项定义")
    case.accepted_on = today()
    _set_due_dates(case)
    effect_of(case.item).on_accept(case, actor)
    task.status, task.done_at, task.done_by = TaskStatus.DONE, timezone.now(), actor
    task.decision, task.opinion = Decision.APPROVE, opinion or "受理"
    task.save(update_fields=["status", "done_at", "done_by", "decision", "opinion"])
    case.status = CaseStatus.IN_PROGRESS
    case.step_index = 1
    case.save(
        update_fields=[
            "status",
            "step_index",
            "accepted_on",
            "due_date",
            "legal_due_date",
            "reservation",
        ]
    )
    _open_step(case, 1)
    notice = _notice(
        case,
        actor,
        NoticeKind.ACCEPT,
        f"{case.unit.name}：\n你单位申请的「{case.item.name}」，申请材料齐全、符合法定形式，"
        f"本机关决定受理。承诺于{case.due_date:%Y年%m月%d日}前办结"
        f"（承诺时限{case.version.promised_limit_days}个工作日，法定时限"
        f"{case.version.legal_limit_days}个工作日）。\n"
        f"办件编号：{case.number}  查询码：{case.check_code}",
    )
    _event(
        case, actor, "accept", "受理", note=f"承诺办结日期 {case.due_date}", notice=notice.number
    )
    _audit(
        case,
        actor,
        "accept",
        after={"due_date": case.due_date.isoformat(), "reservation": case.reservation_id},
    )
    _tell_applicant(case, f"已受理，承诺{case.due_date:%m月%d日}前办结。")
    return case


@transaction.atomic
def refuse(*, actor, case, reasons: str) -> CaseNotice:
    """不予受理, with the reasons and the applicant's rights, in a printable notice."""
    case = lock(case)
    _require_status(case, CaseStatus.RECEIVED, CaseStatus.SUPPLEMENT, doing="不予受理")
    reasons = (reasons or "").strip()
    if not reasons:
        raise HallError("不予受理必须说明理由", field="reasons")
    if case.status == CaseStatus.RECEIVED:
        task = _intake_task(actor, case)
        task.status, task.done_at, task.done_by = TaskStatus.DONE, timezone.now(), actor
        task.decision, task.opinion = Decision.DENY, reasons
        task.save(update_fields=["status", "done_at", "done_by", "decision", "opinion"])
    elif not roles.has_role(actor, {Role.HALL_WINDOW}):
        raise HallError("只有办事大厅窗口可以不予受理")
    effect_of(case.item).on_close(case, actor)
    notice = _notice(
        case,
        actor,
        NoticeKind.REFUSE,
        f"{case.unit.name}：\n你单位申请的「{case.item.name}」，经审查，本机关决定不予受理。\n"
        f"理由：{reasons}\n{RIGHTS}",
        [{"reason": reasons}],
    )
    case.status = CaseStatus.REFUSED
    case.outcome_note = reasons
    case.concluded_at = timezone.now()
    case.save(update_fields=["status", "outcome_note", "concluded_at"])
    _event(case, actor, "refuse", "不予受理", note=reasons, notice=notice.number)
    _audit(case, actor, "refuse", after={"reasons": reasons})
    _tell_applicant(case, "不予受理，请查看不予受理通知书。")
    return notice


# --- Steps -----------------------------------------------------------------------------------


@transaction.atomic
def complete(*, actor, case, task, decision: str, opinion: str = "") -> Case:
    """Sign a step: approve (the case moves on when the step is complete) or deny (the case is
    concluded as not approved). A 会签 step waits for every member; a 或签 step for the first."""
    case = lock(case)
    _require_status(case, CaseStatus.IN_PROGRESS, doing="办理")
    task = _task_for(actor, case, task)
    if task.step_index != case.step_index:
        raise HallError("该环节已不是办件的当前环节，请刷新页面", field="stale")
    opinion = (opinion or "").strip()
    if decision not in (Decision.APPROVE, Decision.DENY):
        raise HallError("请选择同意或不同意")
    if decision == Decision.DENY and not opinion:
        raise HallError("不同意时必须填写办理意见", field="opinion")
    task.status, task.done_at, task.done_by = TaskStatus.DONE, timezone.now(), actor
    task.decision, task.opinion = decision, opinion or "同意"
    task.save(update_fields=["status", "done_at", "done_by", "decision", "opinion"])
    step = case.step()
    _event(
        case,
        actor,
        "sign",
        f"{step['name']}：{task.get_decision_display()}",
        note=task.opinion,
        public=False,
        step=step["code"],
    )
    _audit(case, actor, "sign", after={"step": step["code"], "decision": decision})
    if decision == Decision.DENY:
        _cancel_open_tasks(case)
        _conclude(case, actor, Outcome.DENIED, opinion)
        return case
    if CaseTask.objects.filter(
        case=case, step_index=case.step_index, status=TaskStatus.OPEN
    ).exists():
        return case  # 会签: others still to sign
    _event(case, None, "step_done", f"{step['name']}完成")
    if case.step_index + 1 < len(case.version.steps):
        case.step_index += 1
        case.save(update_fields=["step_index"])
        _open_step(case, case.step_index)
    else:
        _conclude(case, actor, Outcome.APPROVED, opinion)
    return case


def return_targets(case) -> list[tuple[int, dict]]:
    """The steps a case can be returned to from its current step (any earlier one after intake)."""
    return [(i, s) for i, s in enumerate(case.version.steps) if 1 <= i < case.step_index]


@transaction.atomic
def return_to(*, actor, case, task, to_index: int | None = None, opinion: str) -> Case:
    """退回: back to the previous step, or to any earlier step after intake; history stays."""
    case = lock(case)
    _require_status(case, CaseStatus.IN_PROGRESS, doing="退回")
    task = _task_for(actor, case, task)
    opinion = (opinion or "").strip()
    if not opinion:
        raise HallError("退回时必须填写退回理由", field="opinion")
    targets = dict(return_targets(case))
    if to_index is None:
        to_index = case.step_index - 1
    if to_index not in targets:
        raise HallError("没有可以退回的环节" if not targets else "只能退回到本环节之前的审核环节")
    task.status, task.done_at, task.done_by = TaskStatus.RETURNED, timezone.now(), actor
    task.decision, task.opinion = Decision.RETURN, opinion
    task.save(update_fields=["status", "done_at", "done_by", "decision", "opinion"])
    _cancel_open_tasks(case)
    frm = case.step()
    case.step_index = to_index
    case.save(update_fields=["step_index"])
    _open_step(case, to_index)
    _event(
        case,
        actor,
        "return",
        f"{frm['name']}退回至{targets[to_index]['name']}",
        note=opinion,
        public=False,
    )
    _audit(
        case,
        actor,
        "return",
        before={"step": frm["code"]},
        after={"step": targets[to_index]["code"]},
    )
    return case


def _recall_refusal(actor, case, task) -> str:
    """Why `task` cannot be recalled by `actor` now ("" when it can)."""
    if case.status != CaseStatus.IN_PROGRESS:
        return f"办件当前状态为「{case.get_status_display()}」，不能撤回"
    if task.done_by_id != getattr(actor, "pk", None) or task.decision != Decision.APPROVE:
        return "只能撤回自己同意的环节"
    if task.step_index != case.step_index - 1 or task.sign_mode == "all" or task.step_index == 0:
        return "该环节已无法撤回"
    # Only the signature that moved the case on; tasks of earlier rounds (before a return) have
    # lower ids and do not count.
    later = CaseTask.objects.filter(case=case, pk__gt=task.pk)
    if later.filter(step_index=task.step_index).exists():
        return "该环节已无法撤回"
    if later.filter(step_index=case.step_index).exclude(status=TaskStatus.OPEN).exists():
        return "下一环节已经办理，不能撤回"
    return ""


def recallable(user, case) -> CaseTask | None:
    """The user's own approval of the previous step that `recall` would take back now."""
    if case.status != CaseStatus.IN_PROGRESS or case.step_index < 2:
        return None
    task = (
        CaseTask.objects.filter(case=case, step_index=case.step_index - 1, done_by=user.pk)
        .order_by("-pk")
        .first()
    )
    return task if task and not _recall_refusal(user, case, task) else None


@transaction.atomic
def recall(*, actor, case, task) -> Case:
    """撤回: the one who signed the previous 或签 step takes it back while nobody of the next
    step has acted yet."""
    case = lock(case)
    task = _lock_task(case, task, open_only=False)
    refusal = _recall_refusal(actor, case, task)
    if refusal:
        raise HallError(refusal)
    _cancel_open_tasks(case)
    case.step_index = task.step_index
    case.save(update_fields=["step_index"])
    _open_step(case, task.step_index, assignee=actor)
    _event(case, actor, "recall", f"撤回「{task.step_name}」", public=False)
    _audit(case, actor, "recall", after={"step": task.step_code})
    return case


@transaction.atomic
def claim(*, actor, case, task) -> CaseTask:
    """认领: a role's task becomes this person's."""
    case = lock(case)
    task = _task_for(actor, case, task)
    if task.assignee_id is not None:
        raise HallError("该任务已有办理人")
    task.assignee = actor
    task.save(update_fields=["assignee"])
    _event(case, actor, "claim", f"{task.step_name}：认领", public=False)
    _audit(case, actor, "claim", after={"step": task.step_code, "assignee": actor.pk})
    return task


@transaction.atomic
def delegate(*, actor, case, task, to_user, note: str = "") -> CaseTask:
    """转办: hand the task to another person of the same role."""
    case = lock(case)
    task = _task_for(actor, case, task)
    if not (to_user and to_user.is_active and to_user.role == task.role):
        raise HallError("只能转办给同一角色的在岗人员")
    if to_user.pk == getattr(actor, "pk", None) or to_user.pk == task.assignee_id:
        raise HallError("不能转办给自己")
    if CaseTask.objects.filter(
        case=case, step_index=task.step_index, status=TaskStatus.OPEN, assignee=to_user
    ).exists():
        raise HallError(f"{to_user}已有本环节的会签任务，不能再转办给他")
    before = task.assignee_id
    task.delegated_from = actor
    task.assignee = to_user
    task.save(update_fields=["delegated_from", "assignee"])
    _event(case, actor, "delegate", f"{task.step_name}：转办给{to_user}", note=note, public=False)
    _audit(case, actor, "delegate", before={"assignee": before}, after={"assignee": to_user.pk})
    return task


def _reassign_refusal(case, task, to_user) -> str:
    """Why the open `task` cannot go to `to_user` (None: back to its role) now ("" when it can)."""
    shares = CaseTask.objects.filter(
        case=case, step_index=task.step_index, status=TaskStatus.OPEN
    ).exclude(pk=task.pk)
    if to_user is None:
        if task.assignee_id is None:
            return "该任务已在角色待办中，无需退回"
        if task.sign_mode == "all" and shares.filter(assignee__isnull=True).exists():
            # Two unassigned shares of one 会签 step could be signed by the same person.
            return "本环节已有一份未认领的会签任务，不能再退回角色待办，请改派给具体人员"
        return ""
    if not (to_user.is_active and to_user.role == task.role):
        role = dict(Role.choices).get(task.role, task.role)
        return f"只能改派给「{role}」角色的在岗人员"
    if to_user.pk == task.assignee_id:
        return f"该任务的办理人已是{to_user}，无需改派"
    if shares.filter(assignee=to_user).exists():
        return f"{to_user}已有本环节的会签任务，不能再改派给他"
    return ""


@transaction.atomic
def reassign(*, actor, case, task, to_user, reason: str) -> CaseTask:
    """改派: a section chief or the bureau leader moves an open task to another active person of
    its role, or back to the role's list (`to_user` None), e.g. away from a deactivated account.

    `task` is the task as the actor saw it: when its assignee has changed since (another chief
    reassigned it first), the actor is told to refresh rather than overriding what they never saw.
    """
    case = lock(case)
    if not roles.has_role(actor, REASSIGN_TASKS):
        raise HallError("只有科长或局领导可以改派任务")
    seen = task.assignee_id
    task = _lock_task(case, task)
    if task.assignee_id != seen:
        now = f"改由{task.assignee}办理" if task.assignee_id else "退回角色待办"
        raise HallError(f"「{task.step_name}」已{now}，请刷新页面查看最新进度", field="stale")
    reason = (reason or "").strip()
    if not reason:
        raise HallError("请填写改派理由", field="reason")
    refusal = _reassign_refusal(case, task, to_user)
    if refusal:
        raise HallError(refusal, field="to_user")
    before, after = task.assignee_id, getattr(to_user, "pk", None)
    task.assignee, task.delegated_from = to_user, None
    task.save(update_fields=["assignee", "delegated_from"])
    title = f"改派给{to_user}" if to_user else "退回角色待办"
    _event(case, actor, "reassign", f"{task.step_name}：{title}", note=reason, public=False)
    _audit(
        case, actor, "reassign", before={"assignee": before}, after={"assignee": after}, note=reason
    )
    return task


def _require_case_handler(actor, case):
    step = case.step()
    if not (
        roles.has_role(actor, {Role.SECTION_CHIEF, Role.BUREAU_LEADER})
        or (step and roles.has_role(actor, {step["role"]}))
    ):
        raise HallError("只有当前环节的办理人或科长可以办理此操作")


@transaction.atomic
def suspend(*, actor, case, reason: str) -> Case:
    """中止 (§45: 听证、检验、鉴定、专家评审…): the clock stops until resumed."""
    case = lock(case)
    _require_status(case, CaseStatus.IN_PROGRESS, doing="中止")
    _require_case_handler(actor, case)
    if not (reason or "").strip():
        raise HallError("请填写中止理由", field="reason")
    case.status = CaseStatus.SUSPENDED
    case.suspended_on = today()
    case.save(update_fields=["status", "suspended_on"])
    _event(case, actor, "suspend", "办理中止（所需时间不计入办理时限）", note=reason)
    _audit(case, actor, "suspend", note=reason)
    _tell_applicant(case, f"办理中止：{reason}。所需时间不计入办理时限。")
    return case


@transaction.atomic
def resume(*, actor, case) -> Case:
    """Resume: the working days paused move every deadline of the case and its open tasks."""
    case = lock(case)
    _require_status(case, CaseStatus.SUSPENDED, doing="恢复办理")
    _require_case_handler(actor, case)
    paused = _workdays_after(case.suspended_on, today())
    case.paused_days += paused
    _set_due_dates(case)
    for task in CaseTask.objects.filter(case=case, status=TaskStatus.OPEN):
        if task.due_date and paused:
            task.due_date = _add_workdays(task.due_date, paused)
            # A new due date gets its own reminders from the tick.
            task.warned_at = task.overdue_at = None
            task.save(update_fields=["due_date", "warned_at", "overdue_at"])
    case.status = CaseStatus.IN_PROGRESS
    case.suspended_on = None
    case.warned_at = case.overdue_at = None
    case.save(
        update_fields=[
            "status",
            "suspended_on",
            "paused_days",
            "due_date",
            "legal_due_date",
            "warned_at",
            "overdue_at",
        ]
    )
    _event(
        case,
        actor,
        "resume",
        "恢复办理",
        note=f"中止{paused}个工作日，办结日期顺延至{case.due_date}",
    )
    _audit(
        case, actor, "resume", after={"paused_days": paused, "due_date": case.due_date.isoformat()}
    )
    return case


@transaction.atomic
def request_extension(*, actor, case, days: int, reason: str) -> Extension:
    """延期: asked by the handler, decided by a section chief or leader (§42: up to the legal
    limit again at most; we allow half of it, as the law's 20 + 10)."""
    case = lock(case)
    _require_status(case, CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED, doing="申请延期")
    _require_case_handler(actor, case)
    limit = max(case.version.legal_limit_days // 2, 1)
    if not isinstance(days, int) or not 1 <= days <= limit - case.extended_days:
        raise HallError(
            f"延长期限应为1至{max(limit - case.extended_days, 0)}个工作日", field="days"
        )
    if not (reason or "").strip():
        raise HallError("请填写延期理由", field="reason")
    if case.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise HallError("已有待审批的延期申请")
    ext = Extension.objects.create(case=case, days=days, reason=reason.strip(), requested_by=actor)
    _event(case, actor, "extension_request", f"申请延期{days}个工作日", note=reason, public=False)
    _audit(case, actor, "extension_request", after={"days": days, "reason": reason})
    return ext


@transaction.atomic
def decide_extension(*, actor, case, extension, approve: bool) -> Extension:
    case = lock(case)
    if not roles.has_role(actor, APPROVE_EXTENSIONS):
        raise HallError("只有科长或局领导可以审批延期")
    ext = Extension.objects.select_for_update().get(pk=extension.pk, case=case)
    if ext.status != ExtensionStatus.PENDING:
        raise HallError("该延期申请已审批", field="stale")
    if ext.requested_by_id == getattr(actor, "pk", None):
        raise HallError("不能审批自己提出的延期申请")
    _require_status(case, CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED, doing="延期")
    ext.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    ext.decided_by, ext.decided_at = actor, timezone.now()
    ext.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        case.extended_days += ext.days
        _set_due_dates(case)
        case.warned_at = case.overdue_at = None
        case.save(
            update_fields=["extended_days", "due_date", "legal_due_date", "warned_at", "overdue_at"]
        )
        notice = _notice(
            case,
            actor,
            NoticeKind.EXTENSION,
            f"{case.unit.name}：\n你单位申请的「{case.item.name}」（办件编号{case.number}），"
            f"因{ext.reason}，经本机关负责人批准，办理期限延长{ext.days}个工作日，"
            f"至{case.due_date:%Y年%m月%d日}。",
        )
        _event(
            case,
            actor,
            "extend",
            f"延长办理期限{ext.days}个工作日",
            note=ext.reason,
            notice=notice.number,
        )
        _tell_applicant(case, f"经批准延期{ext.days}个工作日，至{case.due_date:%m月%d日}。")
    else:
        _event(case, actor, "extension_rejected", "延期申请未获批准", public=False)
    _audit(case, actor, "extension_decide", after={"approved": approve, "days": ext.days})
    return ext


def _drop_pending_extensions(case) -> None:
    """A request still waiting when the case closes lapses (it can no longer be decided)."""
    case.extensions.filter(status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.REJECTED, decided_at=timezone.now()
    )


def _conclude(case, actor, outcome, note) -> None:
    _drop_pending_extensions(case)
    effect = effect_of(case.item)
    if outcome == Outcome.APPROVED:
        effect.on_approve(case, actor)
    else:
        effect.on_close(case, actor)
    now = timezone.now()
    case.status = CaseStatus.CONCLUDED
    case.outcome, case.outcome_note = outcome, note
    case.concluded_at = now
    used = _workdays_after(case.accepted_on, today()) if case.accepted_on else 0
    case.concluded_workdays = max(used - case.paused_days, 0)
    case.save(
        update_fields=["status", "outcome", "outcome_note", "concluded_at", "concluded_workdays"]
    )
    result = "准予" if outcome == Outcome.APPROVED else "不予"
    docs = "、".join(case.version.result_documents)
    notice = _notice(
        case,
        actor,
        NoticeKind.DECISION,
        f"{case.unit.name}：\n你单位申请的「{case.item.name}」（办件编号{case.number}），"
        f"经审查，本机关决定{result}办理。"
        + (f"\n意见：{note}" if note else "")
        + (f"\n办理结果：{docs}" if outcome == Outcome.APPROVED and docs else "")
        + (f"\n{RIGHTS}" if outcome == Outcome.DENIED else ""),
    )
    _event(case, actor, "conclude", f"办结（{result}）", note=note, notice=notice.number)
    _audit(case, actor, "conclude", after={"outcome": outcome})
    _tell_applicant(case, f"已办结（{result}），请查看办理结果通知书。")


@transaction.atomic
def withdraw(*, actor, case, reason: str = "") -> Case:
    """撤回申请 by the applicant before the case is concluded; held slots are given back."""
    case = lock(case)
    _require_status(
        case,
        CaseStatus.RECEIVED,
        CaseStatus.SUPPLEMENT,
        CaseStatus.IN_PROGRESS,
        CaseStatus.SUSPENDED,
        doing="撤回申请",
    )
    _require_applicant_side(actor, case)
    _cancel_open_tasks(case)
    _drop_pending_extensions(case)
    effect_of(case.item).on_close(case, actor)
    case.status = CaseStatus.WITHDRAWN
    case.outcome_note = (reason or "").strip()
    case.concluded_at = timezone.now()
    case.save(update_fields=["status", "outcome_note", "concluded_at"])
    _event(case, actor, "withdraw", "申请人撤回申请", note=case.outcome_note)
    _audit(case, actor, "withdraw", note=case.outcome_note)
    return case


@transaction.atomic
def deliver(*, actor, case, method: str, note: str = "") -> Case:
    """送达: the result documents were handed over (窗口领取 / 邮寄 / 电子送达)."""
    case = lock(case)
    _require_status(case, CaseStatus.CONCLUDED, doing="送达")
    if not roles.has_role(actor, {Role.HALL_WINDOW}):
        raise HallError("只有办事大厅窗口可以登记送达")
    method = (method or "").strip()
    if not method:
        raise HallError("请选择送达方式", field="method")
    case.status = CaseStatus.DELIVERED
    case.delivered_at, case.delivery_method = timezone.now(), method[:40]
    case.save(update_fields=["status", "delivered_at", "delivery_method"])
    _event(case, actor, "deliver", f"已送达（{method}）", note=note)
    _audit(case, actor, "deliver", after={"method": method})
    return case


@transaction.atomic
def rate(*, actor, case, level: int, comment: str = "") -> Rating:
    """好差评 (一事一评): five levels; 不满意 or worse opens a follow-up due in 15 working days."""
    case = lock(case)
    _require_status(
        case, CaseStatus.CONCLUDED, CaseStatus.DELIVERED, CaseStatus.REFUSED, doing="评价"
    )
    if not acting_unit_ok(actor, case):
        raise HallError("只有申请单位的经办人可以评价")
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = None
    if level not in RatingLevel.values:
        raise HallError("请选择评价等级", field="level")
    if Rating.objects.filter(case=case).exists():
        raise HallError("该办件已评价（一事一评）", field="stale")
    comment = (comment or "").strip()[:500]
    rating = Rating(case=case, level=level, comment=comment, rated_by=actor)
    if rating.is_bad:
        if not comment:
            raise HallError("不满意的评价请写明原因，便于整改", field="comment")
        try:
            rating.follow_up_due = workdays.add_workdays(today(), FOLLOW_UP_DAYS)
        except workdays.CalendarUnknown:
            rating.follow_up_due = today() + datetime.timedelta(days=21)
    rating.save()
    _event(case, actor, "rate", f"评价：{rating.get_level_display()}", note=comment, public=False)
    _audit(case, actor, "rate", after={"level": level})
    return rating


@transaction.atomic
def follow_up(*, actor, rating, note: str) -> Rating:
    """整改回访 of a bad rating."""
    if not roles.has_role(actor, FOLLOW_UP_RATINGS):
        raise HallError("只有科长或局领导可以登记整改回访")
    case = lock(rating.case)  # the case row first, as every service
    rating = Rating.objects.select_for_update().get(pk=rating.pk, case=case)
    if not rating.is_bad:
        raise HallError("该评价不需要整改回访")
    if rating.followed_up_at:
        raise HallError("该评价已登记整改回访", field="stale")
    if not (note or "").strip():
        raise HallError("请填写整改和回访情况", field="note")
    rating.follow_up_note = note.strip()
    rating.followed_up_by, rating.followed_up_at = actor, timezone.now()
    rating.save(update_fields=["follow_up_note", "followed_up_by", "followed_up_at"])
    _event(case, actor, "follow_up", "差评整改回访", note=note, public=False)
    _audit(case, actor, "follow_up", note=note)
    return rating
