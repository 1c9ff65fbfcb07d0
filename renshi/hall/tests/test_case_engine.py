import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from renshi.core import notify
from renshi.core.crypto import decrypt
from renshi.core.idnumbers import mask_id
from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.hall import cases, services
from renshi.hall.errors import HallError
from renshi.hall.models import (
    Case,
    CaseEvent,
    CaseSequence,
    CaseStatus,
    CaseTask,
    Channel,
    NoticeKind,
    Outcome,
)
from renshi.hall.tests.cases_helpers import (
    INST,
    Bureau,
    file_transfer,
    item,
    load_items,
    transfer_setup,
    walk_through,
)
from renshi.hall.tests.engine_helpers import line, on, open_tasks, sign, the_task
from renshi.personnel.models import LedgerEntry, ReservationStatus
from renshi.personnel.tests.factories import make_clerk, make_person, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _items():
    load_items()


def test_transfer_in_from_filing_to_conclusion_moves_the_person_and_the_slot():
    a, b, person, clerk = transfer_setup()
    bureau = Bureau()
    case = file_transfer(clerk, b, person)
    assert case.status == CaseStatus.RECEIVED and len(case.number) == 19
    missing = cases.missing_materials(case)
    assert "现实表现鉴定" in missing and "事业单位人员商调表" not in missing
    notice = cases.request_supplement(
        actor=bureau.window, case=case, items=[{"name": n, "reason": "未提交"} for n in missing]
    )
    assert notice.kind == NoticeKind.SUPPLEMENT and "现实表现鉴定" in notice.text
    with pytest.raises(HallError):  # one-time notice: not twice
        cases.request_supplement(actor=bureau.window, case=case, items=[{"name": "x"}])
    cases.supply(actor=clerk, case=case, materials=missing)
    assert cases.missing_materials(case) == []
    cases.accept(actor=bureau.window, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and case.due_date and case.reservation
    assert line(b).reserved == 1
    walk_through(case, bureau)
    case.refresh_from_db()
    person.refresh_from_db()
    assert case.status == CaseStatus.CONCLUDED and case.outcome == Outcome.APPROVED
    assert person.unit == b
    assert (line(b).occupied, line(b).reserved) == (1, 0)
    assert line(a).occupied == 0
    assert case.reservation.status == ReservationStatus.USED
    assert LedgerEntry.objects.filter(unit=b, document_number=case.number).count() == 1
    assert case.events.filter(public=True).count() >= 5


def test_withdraw_after_acceptance_gives_the_slot_back():
    _a, b, person, clerk = transfer_setup()
    bureau = Bureau()
    case = file_transfer(clerk, b, person)
    cases.accept(actor=bureau.window, case=case)
    assert line(b).reserved == 1
    cases.withdraw(actor=clerk, case=case, reason="不调了")
    assert line(b).reserved == 0
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    with pytest.raises(HallError):
        cases.accept(actor=bureau.window, case=case)


def test_acceptance_without_a_free_slot_is_refused_and_changes_nothing():
    _a, b, person, clerk = transfer_setup(free_slots=0)
    bureau = Bureau()
    case = file_transfer(clerk, b, person)
    with pytest.raises(HallError, match="不足"):
        cases.accept(actor=bureau.window, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and case.accepted_on is None


def test_a_second_signature_on_the_same_step_gets_a_clear_message():
    _a, b, person, clerk = transfer_setup()
    bureau = Bureau()
    case = file_transfer(clerk, b, person)
    cases.accept(actor=bureau.window, case=case)
    task = case.tasks.get(status="open")
    cases.complete(actor=bureau.personnel, case=case, task=task, decision="approve")
    with pytest.raises(HallError, match="刷新"):
        cases.complete(actor=bureau.personnel, case=case, task=task, decision="approve")


# --- The whole lifecycle, step by step -------------------------------------------------------


@pytest.fixture(autouse=True)
def _clock(time_machine):
    on(time_machine, datetime.date(2026, 11, 2))  # a Monday without holidays near


@pytest.fixture
def transfer():
    a, b, person, clerk = transfer_setup()
    return SimpleNamespace(a=a, b=b, person=person, clerk=clerk, bureau=Bureau())


def accepted(t, **kwargs):
    case = file_transfer(t.clerk, t.b, t.person, **kwargs)
    return cases.accept(actor=t.bureau.window, case=case)


def test_a_clerk_files_online_and_the_window_registers_a_walk_in(transfer):
    online = file_transfer(transfer.clerk, transfer.b, transfer.person)
    walk_in = file_transfer(transfer.bureau.window, transfer.b, transfer.person)
    assert (online.channel, walk_in.channel) == (Channel.ONLINE, Channel.WINDOW)
    assert walk_in.number == online.number[:-5] + "00002"
    assert online.version == item("RS-003").versions.get(status="published")
    assert [t.role for t in open_tasks(online)] == [Role.HALL_WINDOW]
    assert online.events.get().title == "网上申报" and walk_in.events.get().title == "窗口收件"
    assert online.subject == "调入 李四（事业编制）"


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("other_clerk", "只能为本单位申报"),
        ("personnel", "只有单位人事专员或办事大厅窗口可以申报办件"),
    ],
)
def test_filing_for_someone_else_is_refused(transfer, who, message):
    actor = make_clerk(make_unit("丙单位")) if who == "other_clerk" else transfer.bureau.personnel
    with pytest.raises(HallError, match=message):
        file_transfer(actor, transfer.b, transfer.person)
    assert not Case.objects.exists()


def test_bad_filing_lists_every_problem_and_creates_nothing(transfer):
    with pytest.raises(HallError) as e:
        cases.case_file(
            actor=transfer.clerk,
            item=item("RS-003"),
            unit=transfer.b,
            applicant_name=" ",
            applicant_phone="123",
            materials=["不存在的材料"],
        )
    assert len(e.value.errors) == 3 and "不是本事项的申请材料：不存在的材料" in e.value.errors
    assert not Case.objects.exists() and not CaseSequence.objects.exists()


def test_the_supplement_notice_must_list_every_missing_material_and_comes_once(transfer):
    case = file_transfer(transfer.clerk, transfer.b, transfer.person)
    window = transfer.bureau.window
    missing = cases.missing_materials(case)
    assert len(missing) >= 2
    with pytest.raises(HallError, match=f"尚未列入：{missing[-1]}"):
        cases.request_supplement(actor=window, case=case, items=[{"name": n} for n in missing[:-1]])
    with pytest.raises(HallError, match="只有办事大厅窗口可以受理办件"):
        cases.request_supplement(
            actor=transfer.bureau.personnel, case=case, items=[{"name": n} for n in missing]
        )
    asked = [{"name": n, "reason": "未提交"} for n in missing] + [
        {"name": "身份证复印件", "reason": "不清晰，请重新提供"}
    ]
    notice = cases.request_supplement(actor=window, case=case, items=asked, note="请一并补齐")
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPLEMENT and case.supplement_requested
    assert notice.number == f"{case.number}-BZ" and notice.items == asked
    assert "第三十二条" in notice.text and all(n in notice.text for n in missing)
    assert open_tasks(case) == []
    with pytest.raises(HallError, match="办件当前状态为「待补正」，不能受理"):
        cases.accept(actor=window, case=case)
    other = make_clerk(make_unit("丙单位"))
    with pytest.raises(HallError, match="只有申请单位的经办人或办事大厅窗口"):
        cases.supply(actor=other, case=case, materials=missing)
    with pytest.raises(HallError, match="不是本事项的申请材料：别的"):
        cases.supply(actor=transfer.clerk, case=case, materials=["别的"])
    cases.supply(actor=transfer.clerk, case=case, materials=[*missing, "身份证复印件"])
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and cases.missing_materials(case) == []
    assert [t.role for t in open_tasks(case)] == [Role.HALL_WINDOW]
    with pytest.raises(HallError, match="已一次性告知过补正内容，不能再次要求补正"):
        cases.request_supplement(actor=window, case=case, items=[{"name": "再要一份"}])
    assert case.notices.count() == 1


def test_acceptance_issues_the_notice_with_both_due_dates(transfer):
    case = accepted(transfer)
    assert (case.accepted_on, case.due_date, case.legal_due_date) == (
        datetime.date(2026, 11, 2),
        datetime.date(2026, 11, 23),  # 15 working days, the day of acceptance not counted
        datetime.date(2026, 11, 30),  # 20 working days
    )
    notice = case.notices.get()
    assert notice.kind == NoticeKind.ACCEPT and notice.number == f"{case.number}-SL"
    assert "本机关决定受理" in notice.text and "2026年11月23日前办结" in notice.text
    assert "承诺时限15个工作日，法定时限20个工作日" in notice.text
    assert case.check_code in notice.text
    (review,) = open_tasks(case)
    assert (review.step_code, review.role, review.assignee) == ("review", Role.PERSONNEL, None)
    assert review.due_date == datetime.date(2026, 11, 9)  # 5 working days
    assert case.tasks.get(step_index=0).done_by == transfer.bureau.window


def test_refusal_needs_reasons_and_tells_the_applicant_their_rights(transfer):
    case = file_transfer(transfer.clerk, transfer.b, transfer.person)
    with pytest.raises(HallError, match="不予受理必须说明理由"):
        cases.refuse(actor=transfer.bureau.window, case=case, reasons=" ")
    with pytest.raises(HallError, match="只有办事大厅窗口可以受理办件"):
        cases.refuse(actor=transfer.clerk, case=case, reasons="不符合条件")
    notice = cases.refuse(actor=transfer.bureau.window, case=case, reasons="不属于本机关职权范围")
    case.refresh_from_db()
    assert case.status == CaseStatus.REFUSED and case.concluded_at
    assert notice.kind == NoticeKind.REFUSE and notice.number == f"{case.number}-BSL"
    assert "决定不予受理" in notice.text and "理由：不属于本机关职权范围" in notice.text
    assert "行政复议" in notice.text and "行政诉讼" in notice.text
    assert line(transfer.b).reserved == 0 and case.reservation is None
    assert open_tasks(case) == []


def test_a_case_waiting_for_supplement_is_refused_by_the_window_only(transfer):
    case = file_transfer(transfer.clerk, transfer.b, transfer.person)
    missing = [{"name": n} for n in cases.missing_materials(case)]
    cases.request_supplement(actor=transfer.bureau.window, case=case, items=missing)
    with pytest.raises(HallError, match="只有办事大厅窗口可以不予受理"):
        cases.refuse(actor=transfer.bureau.personnel, case=case, reasons="逾期未补正")
    cases.refuse(actor=transfer.bureau.window, case=case, reasons="逾期未补正")
    assert Case.objects.get().status == CaseStatus.REFUSED


def test_any_sign_step_is_done_by_the_first_member_of_the_role(transfer):
    case = accepted(transfer)
    other = UserFactory(role=Role.PERSONNEL, full_name="人事科二")
    task = the_task(case)
    assert cases.can_handle(other, task) and cases.can_handle(transfer.bureau.personnel, task)
    cases.complete(actor=other, case=case, task=task, decision="approve")
    with pytest.raises(HallError, match="「科室审核」已由人事科二办理，请刷新页面"):
        cases.complete(actor=transfer.bureau.personnel, case=case, task=task, decision="approve")
    case.refresh_from_db()
    assert case.step_index == 2


def test_all_sign_step_waits_for_every_member(transfer):
    second = UserFactory(role=Role.ESTABLISHMENT, full_name="编制科二")
    UserFactory(role=Role.ESTABLISHMENT, is_active=False)  # left the bureau: no task
    case = accepted(transfer)
    sign(case, transfer.bureau.personnel)
    tasks = open_tasks(case)
    assert [t.assignee for t in tasks] == [transfer.bureau.establishment, second]
    assert {t.sign_mode for t in tasks} == {"all"}
    with pytest.raises(HallError, match="您不是该环节的办理人"):
        cases.complete(actor=second, case=case, task=tasks[0], decision="approve")
    sign(case, transfer.bureau.establishment)
    case.refresh_from_db()
    assert case.step_index == 2 and len(open_tasks(case)) == 1
    sign(case, second)
    case.refresh_from_db()
    assert case.step_index == 3 and the_task(case).role == Role.SECTION_CHIEF


def test_one_deny_in_an_all_sign_step_concludes_the_case_as_denied(transfer):
    second = UserFactory(role=Role.ESTABLISHMENT, full_name="编制科二")
    case = accepted(transfer)
    sign(case, transfer.bureau.personnel)
    with pytest.raises(HallError, match="不同意时必须填写办理意见"):
        sign(case, second, decision="deny", opinion="")
    sign(case, second, decision="deny", opinion="编制结构不合理")
    case.refresh_from_db()
    assert case.status == CaseStatus.CONCLUDED and case.outcome == Outcome.DENIED
    assert open_tasks(case) == []
    assert case.tasks.get(assignee=transfer.bureau.establishment).status == "cancelled"
    decision = case.notices.get(kind=NoticeKind.DECISION)
    assert "决定不予办理" in decision.text and "编制结构不合理" in decision.text
    assert "行政复议" in decision.text
    assert line(transfer.b).reserved == 0
    transfer.person.refresh_from_db()
    assert transfer.person.unit == transfer.a


def test_the_wrong_role_cannot_sign_and_the_window_only_does_intake(transfer):
    case = accepted(transfer)
    task = the_task(case)
    for user in (transfer.bureau.window, transfer.bureau.establishment, transfer.clerk):
        with pytest.raises(HallError, match="您不是该环节的办理人"):
            cases.complete(actor=user, case=case, task=task, decision="approve")
        with pytest.raises(HallError, match="只有当前环节的办理人或科长"):
            cases.suspend(actor=user, case=case, reason="鉴定")
    with pytest.raises(HallError, match="不能送达"):
        cases.deliver(actor=transfer.bureau.window, case=case, method="窗口领取")
    assert the_task(case).pk == task.pk


def test_return_to_the_previous_or_a_chosen_step_keeps_the_history(transfer):
    case = accepted(transfer)
    bureau = transfer.bureau
    sign(case, bureau.personnel)
    sign(case, bureau.establishment)
    case.refresh_from_db()
    chief_task = the_task(case)
    assert [s["code"] for _, s in cases.return_targets(case)] == ["review", "cosign"]
    with pytest.raises(HallError, match="退回时必须填写退回理由"):
        cases.return_to(actor=bureau.chief, case=case, task=chief_task, opinion="")
    with pytest.raises(HallError, match="只能退回到本环节之前的审核环节"):
        cases.return_to(actor=bureau.chief, case=case, task=chief_task, to_index=0, opinion="x")
    cases.return_to(actor=bureau.chief, case=case, task=chief_task, opinion="编制意见不明确")
    case.refresh_from_db()
    assert case.step_index == 2 and the_task(case).assignee == bureau.establishment
    sign(case, bureau.establishment, opinion="已明确")
    case.refresh_from_db()
    chief_task = the_task(case)
    cases.return_to(
        actor=bureau.chief, case=case, task=chief_task, to_index=1, opinion="请重新审核材料"
    )
    case.refresh_from_db()
    assert case.step_index == 1 and the_task(case).role == Role.PERSONNEL
    history = list(case.tasks.order_by("pk").values_list("step_code", "status"))
    assert history == [
        ("accept", "done"),
        ("review", "done"),
        ("cosign", "done"),
        ("chief", "returned"),
        ("cosign", "done"),
        ("chief", "returned"),
        ("review", "open"),
    ]
    titles = list(case.events.filter(action="return").values_list("title", flat=True))
    assert titles == ["科长审核退回至编制科会签", "科长审核退回至科室审核"]
    walk_through(case, bureau)
    case.refresh_from_db()
    assert case.outcome == Outcome.APPROVED


def test_recall_before_the_next_step_acted(transfer):
    case = accepted(transfer)
    bureau = transfer.bureau
    sign(case, bureau.personnel)
    review = case.tasks.get(step_code="review")
    with pytest.raises(HallError, match="只能撤回自己同意的环节"):
        cases.recall(actor=bureau.establishment, case=case, task=review)
    cases.recall(actor=bureau.personnel, case=case, task=review)
    case.refresh_from_db()
    assert case.step_index == 1 and the_task(case).assignee == bureau.personnel
    assert case.tasks.get(step_code="cosign").status == "cancelled"
    sign(case, bureau.personnel)
    sign(case, bureau.establishment)  # the next step acted: too late
    case.refresh_from_db()
    review = case.tasks.filter(step_code="review").latest("pk")
    with pytest.raises(HallError, match="该环节已无法撤回"):
        cases.recall(actor=bureau.personnel, case=case, task=review)
    cosign = case.tasks.filter(step_code="cosign").latest("pk")
    with pytest.raises(HallError, match="该环节已无法撤回"):  # 会签 is not recalled
        cases.recall(actor=bureau.establishment, case=case, task=cosign)


def test_recall_after_a_return_round(transfer):
    """The next step's tasks of an earlier round (returned) do not block a recall."""
    case = accepted(transfer)
    bureau = transfer.bureau
    sign(case, bureau.personnel)
    sign(case, bureau.establishment)
    case.refresh_from_db()
    cases.return_to(actor=bureau.chief, case=case, task=the_task(case), opinion="请补充意见")
    sign(case, bureau.establishment)
    case.refresh_from_db()
    cosign = case.tasks.filter(step_code="cosign").latest("pk")
    with pytest.raises(HallError, match="该环节已无法撤回"):
        cases.recall(actor=bureau.establishment, case=case, task=cosign)
    old_review = case.tasks.get(step_code="review")
    with pytest.raises(HallError, match="该环节已无法撤回"):
        cases.recall(actor=bureau.personnel, case=case, task=old_review)


def test_claim_and_delegate_within_the_role(transfer):
    case = accepted(transfer)
    bureau = transfer.bureau
    colleague = UserFactory(role=Role.PERSONNEL, full_name="人事科二")
    task = cases.claim(actor=bureau.personnel, case=case, task=the_task(case))
    assert task.assignee == bureau.personnel
    with pytest.raises(HallError, match="您不是该环节的办理人"):
        cases.claim(actor=colleague, case=case, task=task)
    with pytest.raises(HallError, match="该任务已有办理人"):
        cases.claim(actor=bureau.personnel, case=case, task=task)
    with pytest.raises(HallError, match="只能转办给同一角色的在岗人员"):
        cases.delegate(actor=bureau.personnel, case=case, task=task, to_user=bureau.chief)
    with pytest.raises(HallError, match="不能转办给自己"):
        cases.delegate(actor=bureau.personnel, case=case, task=task, to_user=bureau.personnel)
    task = cases.delegate(
        actor=bureau.personnel, case=case, task=task, to_user=colleague, note="出差"
    )
    assert (task.assignee, task.delegated_from) == (colleague, bureau.personnel)
    with pytest.raises(HallError, match="您不是该环节的办理人"):
        cases.complete(actor=bureau.personnel, case=case, task=task, decision="approve")
    cases.complete(actor=colleague, case=case, task=task, decision="approve")
    assert AuditEvent.objects.filter(action="hall.case.claim").count() == 1
    assert AuditEvent.objects.filter(action="hall.case.delegate").count() == 1


def test_an_all_sign_share_is_not_delegated_to_someone_holding_another(transfer):
    second = UserFactory(role=Role.ESTABLISHMENT, full_name="编制科二")
    case = accepted(transfer)
    sign(case, transfer.bureau.personnel)
    mine = next(t for t in open_tasks(case) if t.assignee == transfer.bureau.establishment)
    with pytest.raises(HallError, match="编制科二已有本环节的会签任务"):
        cases.delegate(actor=transfer.bureau.establishment, case=case, task=mine, to_user=second)


def test_suspension_adds_the_paused_working_days_to_every_deadline(transfer, time_machine):
    case = accepted(transfer)
    bureau = transfer.bureau
    with pytest.raises(HallError, match="请填写中止理由"):
        cases.suspend(actor=bureau.personnel, case=case, reason=" ")
    on(time_machine, datetime.date(2026, 11, 4))  # Wednesday
    cases.suspend(actor=bureau.personnel, case=case, reason="组织专家评审")
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED and case.suspended_on == datetime.date(2026, 11, 4)
    with pytest.raises(HallError, match="办件当前状态为「已中止」，不能办理"):
        sign(case, bureau.personnel)
    with pytest.raises(HallError, match="不能中止"):
        cases.suspend(actor=bureau.personnel, case=case, reason="再次")
    on(time_machine, datetime.date(2026, 11, 10))  # Tuesday: 5, 6, 9, 10 Nov were paused
    cases.resume(actor=bureau.chief, case=case)
    case.refresh_from_db()
    assert (case.status, case.paused_days) == (CaseStatus.IN_PROGRESS, 4)
    assert case.due_date == datetime.date(2026, 11, 27)  # 15 + 4 working days after 2 Nov
    assert case.legal_due_date == datetime.date(2026, 12, 4)  # 20 + 4
    assert the_task(case).due_date == datetime.date(2026, 11, 13)  # 9 Nov + 4
    assert "中止4个工作日，办结日期顺延至2026-11-27" in case.events.get(action="resume").note
    on(time_machine, datetime.date(2026, 11, 12))
    walk_through(case, bureau)
    case.refresh_from_db()
    # 3..12 Nov are 8 working days, 4 of them paused.
    assert case.concluded_workdays == 4


def test_an_extension_is_approved_by_a_chief_who_did_not_ask_for_it(transfer):
    case = accepted(transfer)
    bureau = transfer.bureau
    with pytest.raises(HallError, match="延长期限应为1至10个工作日"):
        cases.request_extension(actor=bureau.personnel, case=case, days=11, reason="需要调查")
    with pytest.raises(HallError, match="请填写延期理由"):
        cases.request_extension(actor=bureau.personnel, case=case, days=5, reason="")
    with pytest.raises(HallError, match="只有当前环节的办理人或科长"):
        cases.request_extension(actor=bureau.window, case=case, days=5, reason="需要调查")
    ext = cases.request_extension(actor=bureau.chief, case=case, days=5, reason="需要外调")
    with pytest.raises(HallError, match="已有待审批的延期申请"):
        cases.request_extension(actor=bureau.personnel, case=case, days=2, reason="另一个")
    with pytest.raises(HallError, match="只有科长或局领导可以审批延期"):
        cases.decide_extension(actor=bureau.personnel, case=case, extension=ext, approve=True)
    with pytest.raises(HallError, match="不能审批自己提出的延期申请"):
        cases.decide_extension(actor=bureau.chief, case=case, extension=ext, approve=True)
    cases.decide_extension(actor=bureau.leader, case=case, extension=ext, approve=True)
    case.refresh_from_db()
    assert case.extended_days == 5 and case.due_date == datetime.date(2026, 11, 30)
    assert case.legal_due_date == datetime.date(2026, 12, 7)
    notice = case.notices.get(kind=NoticeKind.EXTENSION)
    assert notice.number == f"{case.number}-YQ" and "延长5个工作日" in notice.text
    with pytest.raises(HallError, match="该延期申请已审批"):
        cases.decide_extension(actor=bureau.leader, case=case, extension=ext, approve=False)
    second = cases.request_extension(actor=bureau.personnel, case=case, days=5, reason="再调查")
    cases.decide_extension(actor=bureau.chief, case=case, extension=second, approve=False)
    case.refresh_from_db()
    assert case.extended_days == 5 and case.notices.filter(kind=NoticeKind.EXTENSION).count() == 1
    with pytest.raises(HallError, match="延长期限应为1至5个工作日"):
        cases.request_extension(actor=bureau.personnel, case=case, days=6, reason="再调查")
    third = cases.request_extension(actor=bureau.personnel, case=case, days=5, reason="再调查")
    cases.decide_extension(actor=bureau.chief, case=case, extension=third, approve=True)
    numbers = list(case.notices.order_by("pk").values_list("number", flat=True))
    assert numbers == [f"{case.number}-SL", f"{case.number}-YQ", f"{case.number}-YQ2"]


def test_conclusion_delivery_rating_and_follow_up(transfer, time_machine):
    case = accepted(transfer)
    bureau = transfer.bureau
    walk_through(case, bureau)
    case.refresh_from_db()
    decision = case.notices.get(kind=NoticeKind.DECISION)
    assert decision.number == f"{case.number}-JD" and "决定准予办理" in decision.text
    with pytest.raises(HallError, match="只有办事大厅窗口可以登记送达"):
        cases.deliver(actor=bureau.personnel, case=case, method="邮寄")
    with pytest.raises(HallError, match="请选择送达方式"):
        cases.deliver(actor=bureau.window, case=case, method="")
    cases.deliver(actor=bureau.window, case=case, method="窗口领取")
    case.refresh_from_db()
    assert case.status == CaseStatus.DELIVERED and case.delivery_method == "窗口领取"
    with pytest.raises(HallError, match="只有申请单位的经办人可以评价"):
        cases.rate(actor=make_clerk(make_unit("丙单位")), case=case, level=5)
    with pytest.raises(HallError, match="请选择评价等级"):
        cases.rate(actor=transfer.clerk, case=case, level=6)
    with pytest.raises(HallError, match="不满意的评价请写明原因"):
        cases.rate(actor=transfer.clerk, case=case, level="2")
    on(time_machine, datetime.date(2026, 11, 20))
    rating = cases.rate(actor=transfer.clerk, case=case, level="2", comment="窗口态度生硬")
    assert rating.is_bad and rating.follow_up_due == datetime.date(2026, 12, 11)
    with pytest.raises(HallError, match="一事一评"):
        cases.rate(actor=transfer.clerk, case=case, level=5)
    with pytest.raises(HallError, match="只有科长或局领导可以登记整改回访"):
        cases.follow_up(actor=bureau.window, rating=rating, note="已整改")
    with pytest.raises(HallError, match="请填写整改和回访情况"):
        cases.follow_up(actor=bureau.chief, rating=rating, note="")
    rating = cases.follow_up(actor=bureau.chief, rating=rating, note="已约谈窗口人员并回访")
    assert rating.followed_up_by == bureau.chief and rating.followed_up_at
    with pytest.raises(HallError, match="已登记整改回访"):
        cases.follow_up(actor=bureau.leader, rating=rating, note="再次")


def test_a_good_rating_needs_no_follow_up(transfer):
    case = file_transfer(transfer.clerk, transfer.b, transfer.person)
    cases.refuse(actor=transfer.bureau.window, case=case, reasons="不属于本机关职权范围")
    rating = cases.rate(actor=transfer.clerk, case=case, level=4)
    assert not rating.is_bad and rating.follow_up_due is None
    with pytest.raises(HallError, match="该评价不需要整改回访"):
        cases.follow_up(actor=transfer.bureau.chief, rating=rating, note="x")


def test_only_the_applicant_side_withdraws(transfer):
    case = accepted(transfer)
    with pytest.raises(HallError, match="只有申请单位的经办人或办事大厅窗口"):
        cases.withdraw(actor=make_clerk(make_unit("丙单位")), case=case)
    with pytest.raises(HallError, match="只有申请单位的经办人或办事大厅窗口"):
        cases.withdraw(actor=transfer.bureau.personnel, case=case)
    cases.withdraw(actor=transfer.bureau.window, case=case, reason="单位来电撤回")
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN and open_tasks(case) == []
    with pytest.raises(HallError, match="不能撤回申请"):
        cases.withdraw(actor=transfer.clerk, case=case)


def test_a_case_stays_on_its_version_when_a_new_one_is_published(transfer):
    case = accepted(transfer)
    v1 = case.version
    v2 = services.version_draft_from(actor="测试", version=v1)
    steps = [s for s in v1.steps if s["code"] != "cosign"]
    v2 = services.version_update(actor="测试", version=v2, steps=steps, promised_limit_days=3)
    services.version_publish(
        actor="测试", version=services.version_submit(actor="测试", version=v2)
    )
    sign(case, transfer.bureau.personnel)
    case.refresh_from_db()
    assert case.version == v1 and the_task(case).step_code == "cosign"
    assert case.due_date == datetime.date(2026, 11, 23)
    walk_through(case, transfer.bureau)
    assert list(case.tasks.order_by("pk").values_list("step_code", flat=True)) == [
        s["code"] for s in v1.steps
    ]
    newer = file_transfer(
        transfer.clerk, transfer.b, make_person(transfer.a, name="王五", category=INST)
    )
    assert newer.version == v2


def test_every_service_writes_its_audit_row_and_history_line(transfer):
    bureau = transfer.bureau
    case = file_transfer(transfer.clerk, transfer.b, transfer.person)
    missing = [{"name": n} for n in cases.missing_materials(case)]
    cases.request_supplement(actor=bureau.window, case=case, items=missing)
    cases.supply(actor=transfer.clerk, case=case, materials=[m["name"] for m in missing])
    cases.accept(actor=bureau.window, case=case)
    cases.claim(actor=bureau.personnel, case=case, task=the_task(case))
    colleague = UserFactory(role=Role.PERSONNEL)
    cases.delegate(actor=bureau.personnel, case=case, task=the_task(case), to_user=colleague)
    sign(case, colleague)
    cases.recall(actor=colleague, case=case, task=case.tasks.get(step_code="review"))
    sign(case, colleague)
    sign(case, bureau.establishment)
    case.refresh_from_db()
    cases.return_to(actor=bureau.chief, case=case, task=the_task(case), opinion="补充")
    cases.suspend(actor=bureau.chief, case=case, reason="专家评审")
    cases.resume(actor=bureau.chief, case=case)
    ext = cases.request_extension(actor=bureau.chief, case=case, days=2, reason="外调")
    cases.decide_extension(actor=bureau.leader, case=case, extension=ext, approve=True)
    walk_through(case, bureau)
    cases.deliver(actor=bureau.window, case=case, method="邮寄")
    rating = cases.rate(actor=transfer.clerk, case=case, level=1, comment="太慢")
    cases.follow_up(actor=bureau.chief, rating=rating, note="已回访")
    someone = make_person(transfer.a, name="王五", category=INST)
    other = file_transfer(transfer.clerk, transfer.b, someone)
    cases.withdraw(actor=transfer.clerk, case=other)
    third = file_transfer(transfer.clerk, transfer.b, someone)
    cases.refuse(actor=bureau.window, case=third, reasons="重复申请")

    actions = set(
        AuditEvent.objects.filter(action__startswith="hall.case.").values_list("action", flat=True)
    )
    services_run = {
        "file", "supplement_request", "supply", "accept", "claim", "delegate", "sign",
        "recall", "return", "suspend", "resume", "extension_request", "extension_decide",
        "conclude", "deliver", "rate", "follow_up", "withdraw", "refuse",
    }  # fmt: skip
    assert actions == {f"hall.case.{a}" for a in services_run}
    history = set(CaseEvent.objects.values_list("action", flat=True))
    assert services_run - {"extension_decide", "sign"} <= history
    assert {"extend", "sign", "step_done"} <= history
    for event in AuditEvent.objects.filter(action__startswith="hall.case."):
        assert event.object_type == "hall.case" and event.unit_id == transfer.b.pk


def test_the_case_history_cannot_be_changed():
    _a, b, person, clerk = transfer_setup()
    case = file_transfer(clerk, b, person)
    event = case.events.get()
    event.note = "改写"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        CaseEvent.objects.filter(case=case).update(note="改写")
    with pytest.raises(PermissionDenied):
        CaseEvent.objects.filter(case=case).delete()
    assert case.events.get().note == ""


def test_text_messages_leave_only_when_the_step_commits(
    transfer, django_capture_on_commit_callbacks
):
    case = file_transfer(transfer.clerk, transfer.b, transfer.person)
    with django_capture_on_commit_callbacks(execute=True):
        cases.accept(actor=transfer.bureau.window, case=case)
    assert [sms.phone for sms in notify.outbox] == ["13904120002"]
    assert "已受理，承诺11月23日前办结" in notify.outbox[0].text
    notify.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(HallError):
            cases.suspend(actor=transfer.bureau.personnel, case=case, reason="")
        # A failure after the message was queued takes the message back with the step.
        with pytest.raises(HallError), transaction.atomic():
            cases.suspend(actor=transfer.bureau.personnel, case=case, reason="鉴定")
            raise HallError("后续步骤失败")
    assert callbacks == [] and notify.outbox == []


def test_recallable_says_what_recall_would_do(transfer):
    case = accepted(transfer)
    bureau = transfer.bureau
    assert cases.recallable(bureau.personnel, case) is None
    sign(case, bureau.personnel)
    case.refresh_from_db()
    review = case.tasks.get(step_code="review")
    assert cases.recallable(bureau.personnel, case) == review
    assert cases.recallable(bureau.establishment, case) is None
    sign(case, bureau.establishment)
    case.refresh_from_db()
    assert cases.recallable(bureau.personnel, case) is None
    assert cases.recallable(bureau.establishment, case) is None  # 会签 is not recalled


def test_an_all_sign_step_whose_role_has_nobody_waits_for_the_role(transfer):
    case = accepted(transfer)
    transfer.bureau.establishment.is_active = False
    transfer.bureau.establishment.save()
    sign(case, transfer.bureau.personnel)
    (share,) = open_tasks(case)
    assert (share.role, share.assignee, share.sign_mode) == (Role.ESTABLISHMENT, None, "all")
    newcomer = UserFactory(role=Role.ESTABLISHMENT, full_name="新到编制科")
    cases.complete(actor=newcomer, case=case, task=share, decision="approve")
    case.refresh_from_db()
    assert case.step_index == 3


def test_the_id_number_is_kept_masked_and_encrypted(transfer):
    case = file_transfer(transfer.clerk, transfer.b, transfer.person)
    number = decrypt(transfer.person.id_number_cipher)
    assert case.form["id_number"] == mask_id(number)
    assert decrypt(case.form["id_number_cipher"]) == number
    filed = AuditEvent.objects.get(action="hall.case.file")
    assert filed.after["id_number"] == mask_id(number) and "id_number_cipher" not in filed.after
    assert number not in str(case.form) and number not in str(filed.after)


def test_resuming_lets_the_tick_remind_again_for_the_moved_due_dates(transfer, time_machine):
    case = accepted(transfer)
    task = the_task(case)
    CaseTask.objects.filter(pk=task.pk).update(warned_at=timezone.now())
    cases.suspend(actor=transfer.bureau.chief, case=case, reason="鉴定")
    on(time_machine, datetime.date(2026, 11, 4))
    cases.resume(actor=transfer.bureau.chief, case=case)
    task.refresh_from_db()
    assert task.warned_at is None and task.due_date == datetime.date(2026, 11, 11)


@pytest.mark.parametrize("ending", ["conclude", "withdraw"])
def test_a_pending_extension_lapses_when_the_case_closes(transfer, ending):
    case = accepted(transfer)
    ext = cases.request_extension(actor=transfer.bureau.chief, case=case, days=2, reason="外调")
    if ending == "conclude":
        walk_through(case, transfer.bureau)
    else:
        cases.withdraw(actor=transfer.clerk, case=case)
    ext.refresh_from_db()
    assert ext.status == "rejected" and ext.decided_by is None and ext.decided_at
    with pytest.raises(HallError, match="该延期申请已审批"):
        cases.decide_extension(actor=transfer.bureau.leader, case=case, extension=ext, approve=True)


def test_a_task_of_another_case_is_refused(transfer):
    case = accepted(transfer)
    other = file_transfer(transfer.clerk, transfer.b, make_person(transfer.a, name="王五"))
    with pytest.raises(HallError, match="该任务不属于此办件"):
        cases.complete(
            actor=transfer.bureau.window, case=case, task=the_task(other), decision="approve"
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_the_database_refuses_to_rewrite_the_case_history(transfer):
    case = file_transfer(transfer.clerk, transfer.b, transfer.person)
    for sql in ("UPDATE hall_caseevent SET note = 'x'", "DELETE FROM hall_caseevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            connection.cursor().execute(sql)
    assert case.events.get().note == ""
