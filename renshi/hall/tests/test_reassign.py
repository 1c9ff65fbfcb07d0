"""改派: a section chief or the bureau leader moves an open task away from a deactivated (or away)
account, to another active person of its role or back to the role's list."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.core.tests.races import race
from renshi.hall import cases, queries
from renshi.hall.errors import HallError
from renshi.hall.models import Case, CaseEvent, CaseTask, Reminder, TaskStatus
from renshi.hall.tests.cases_helpers import accepted_transfer, load_items
from renshi.hall.tests.engine_helpers import counts, open_tasks, sign, the_task
from renshi.hall.tick import tick

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _items():
    load_items()


def accepted(bureau=None):
    """An accepted transfer-in, with its bureau and clerk at hand."""
    case, case.bureau, case.clerk = accepted_transfer(bureau)
    return case


def deactivate(user):
    user.is_active = False
    user.save(update_fields=["is_active"])


@pytest.fixture
def stuck():
    """An accepted case whose review task is held by a deactivated 人事科 account."""
    case = accepted()
    cases.claim(actor=case.bureau.personnel, case=case, task=the_task(case))
    deactivate(case.bureau.personnel)
    case.colleague = UserFactory(role=Role.PERSONNEL, full_name="人事科二")
    return case


def all_sign_step(case, members=2):
    """Sign the review step: the 会签 step opens one share per establishment member."""
    case.members = [case.bureau.establishment] + [
        UserFactory(role=Role.ESTABLISHMENT, full_name=f"编制科{n}") for n in range(2, members + 2)
    ]
    sign(case, case.bureau.personnel)
    return {t.assignee: t for t in open_tasks(case)}


def reassign(case, task, to_user, actor=None, reason="原办理人已调离"):
    return cases.reassign(
        actor=actor or case.bureau.chief, case=case, task=task, to_user=to_user, reason=reason
    )


# --- The service -----------------------------------------------------------------------------


def test_it_moves_a_stuck_task_to_an_active_colleague_with_event_and_audit(stuck):
    task = reassign(stuck, the_task(stuck), stuck.colleague)
    assert (task.assignee, task.delegated_from) == (stuck.colleague, None)
    event = CaseEvent.objects.get(case=stuck, action="reassign")
    assert (event.title, event.note, event.public) == (
        "科室审核：改派给人事科二",
        "原办理人已调离",
        False,
    )
    assert event.actor == stuck.bureau.chief
    audit = AuditEvent.objects.get(action="hall.case.reassign")
    assert audit.actor == stuck.bureau.chief and audit.note == "原办理人已调离"
    assert audit.before == {"assignee": stuck.bureau.personnel.pk}
    assert audit.after == {"assignee": stuck.colleague.pk}
    sign(stuck, stuck.colleague)
    stuck.refresh_from_db()
    assert stuck.step_index == 2


def test_the_bureau_leader_may_reassign_too(stuck):
    reassign(stuck, the_task(stuck), stuck.colleague, actor=stuck.bureau.leader)
    assert the_task(stuck).assignee == stuck.colleague


@pytest.mark.parametrize("who", ["personnel", "window", "establishment", "clerk"])
def test_only_chiefs_and_leaders_reassign(stuck, who):
    actor = stuck.clerk if who == "clerk" else getattr(stuck.bureau, who)
    if who == "personnel":
        actor = stuck.colleague  # an active member of the task's own role
    before = counts(stuck)
    with pytest.raises(HallError, match="只有科长或局领导可以改派任务"):
        reassign(stuck, the_task(stuck), stuck.colleague, actor=actor)
    assert counts(stuck) == before


def test_a_deactivated_chief_may_not_reassign(stuck):
    deactivate(stuck.bureau.chief)
    with pytest.raises(HallError, match="只有科长或局领导"):
        reassign(stuck, the_task(stuck), stuck.colleague)


def test_the_target_must_be_an_active_member_of_the_task_role(stuck):
    gone = UserFactory(role=Role.PERSONNEL, full_name="人事科三", is_active=False)
    before = counts(stuck)
    for target in (gone, stuck.bureau.chief, stuck.bureau.establishment):
        with pytest.raises(HallError, match=r"只能改派给「.+」角色的在岗人员") as e:
            reassign(stuck, the_task(stuck), target)
        assert e.value.field == "to_user"
    assert counts(stuck) == before


def test_it_refuses_the_current_assignee(stuck):
    task = reassign(stuck, the_task(stuck), stuck.colleague)
    with pytest.raises(HallError, match="该任务的办理人已是人事科二，无需改派"):
        reassign(stuck, task, stuck.colleague)


def test_a_reason_is_required_and_nothing_changes_without_one(stuck):
    before = counts(stuck)
    for reason in ("", "   ", None):
        with pytest.raises(HallError, match="请填写改派理由") as e:
            reassign(stuck, the_task(stuck), stuck.colleague, reason=reason)
        assert e.value.field == "reason"
    assert counts(stuck) == before
    assert not AuditEvent.objects.filter(action="hall.case.reassign").exists()


def test_a_task_already_signed_gets_the_stale_message(stuck):
    task = the_task(stuck)
    reassign(stuck, task, stuck.colleague)
    sign(stuck, stuck.colleague)
    with pytest.raises(HallError, match="「科室审核」已由人事科二办理，请刷新页面") as e:
        reassign(stuck, CaseTask.objects.get(pk=task.pk), stuck.bureau.personnel)
    assert e.value.field == "stale"


def test_a_task_reassigned_since_the_page_was_read_gets_the_stale_message(stuck):
    seen = the_task(stuck)  # held by the deactivated account, as the second chief saw it
    reassign(stuck, CaseTask.objects.get(pk=seen.pk), stuck.colleague)
    third = UserFactory(role=Role.PERSONNEL, full_name="人事科三")
    before = counts(stuck)
    with pytest.raises(HallError, match="「科室审核」已改由人事科二办理，请刷新页面查看最新进度"):
        reassign(stuck, seen, third, actor=stuck.bureau.leader)
    assert counts(stuck) == before


def another_case(case):
    """A second accepted case, of other units, handled by the same bureau."""
    return accepted(case.bureau)


def test_a_task_of_another_case_is_refused(stuck):
    other = another_case(stuck)
    with pytest.raises(HallError, match="该任务不属于此办件"):
        reassign(stuck, the_task(other), stuck.colleague)


def test_a_task_goes_back_to_its_role_and_anyone_of_the_role_can_claim_it(stuck):
    task = reassign(stuck, the_task(stuck), None)
    assert task.assignee is None
    assert CaseEvent.objects.get(case=stuck, action="reassign").title == "科室审核：退回角色待办"
    assert AuditEvent.objects.get(action="hall.case.reassign").after == {"assignee": None}
    assert queries.tasks_role(stuck.colleague).filter(pk=task.pk).exists()
    with pytest.raises(HallError, match="该任务已在角色待办中"):
        reassign(stuck, task, None)
    cases.claim(actor=stuck.colleague, case=stuck, task=task)
    sign(stuck, stuck.colleague)


# --- 会签 -------------------------------------------------------------------------------------


def test_an_all_sign_share_does_not_go_to_someone_holding_another(db):
    case = accepted()
    shares = all_sign_step(case, members=2)
    first, second, third = case.members
    deactivate(third)
    before = counts(case)
    with pytest.raises(HallError, match="编制科2已有本环节的会签任务，不能再改派给他"):
        reassign(case, shares[third], second)
    assert counts(case) == before
    fourth = UserFactory(role=Role.ESTABLISHMENT, full_name="编制科4")
    reassign(case, shares[third], fourth)
    for member in (first, second, fourth):
        sign(case, member)
    case.refresh_from_db()
    assert case.step_index == 3  # every share signed: on to the chief


def test_only_one_all_sign_share_goes_back_to_the_role(db):
    case = accepted()
    shares = all_sign_step(case, members=2)
    _first, second, third = case.members
    reassign(case, shares[third], None)
    with pytest.raises(HallError, match="本环节已有一份未认领的会签任务，不能再退回角色待办"):
        reassign(case, shares[second], None)
    assert CaseTask.objects.filter(case=case, status=TaskStatus.OPEN, assignee=None).count() == 1


# --- The list of stuck tasks -----------------------------------------------------------------


def test_chiefs_list_the_open_tasks_of_deactivated_accounts(stuck):
    chief, colleague = stuck.bureau.chief, stuck.colleague
    task = the_task(stuck)
    assert list(queries.tasks_stuck(chief)) == [task]
    assert list(queries.tasks_stuck(stuck.bureau.leader)) == [task]
    assert not queries.tasks_stuck(colleague).exists()
    assert "stuck" in queries.tabs_for(chief) and "stuck" not in queries.tabs_for(colleague)
    assert queries.task_counts(chief)["stuck"] == 1
    assert "stuck" not in queries.task_counts(colleague)
    reassign(stuck, task, colleague)
    assert not queries.tasks_stuck(chief).exists()


# --- The tick --------------------------------------------------------------------------------


def test_the_reminder_of_a_deactivated_assignee_goes_to_the_section_chiefs_once(stuck):
    due = datetime.date(2026, 10, 8)
    Case.objects.filter(pk=stuck.pk).update(due_date=due)
    CaseTask.objects.filter(case=stuck, status=TaskStatus.OPEN).update(due_date=due)
    assert tick(today=datetime.date(2026, 10, 9))["red_tasks"] == 1
    reminder = Reminder.objects.get(case=stuck, task__isnull=False)
    assert (reminder.role, reminder.user) == (Role.SECTION_CHIEF, None)
    assert reminder.text.startswith("【超期】办件" + stuck.number)
    assert "（办理人人事科已停用，请改派）" in reminder.text
    assert reminder in queries.reminders(stuck.bureau.chief)
    assert tick(today=datetime.date(2026, 10, 12))["red_tasks"] == 0
    assert Reminder.objects.filter(task__isnull=False).count() == 1


def test_an_active_assignee_still_hears_of_their_own_task(stuck):
    reassign(stuck, the_task(stuck), stuck.colleague)
    CaseTask.objects.filter(case=stuck).update(due_date=datetime.date(2026, 10, 8))
    tick(today=datetime.date(2026, 10, 9))
    reminder = Reminder.objects.get(task__isnull=False)
    assert (reminder.role, reminder.user) == ("", stuck.colleague)
    assert "停用" not in reminder.text


# --- The pages -------------------------------------------------------------------------------


def url(name, *args):
    return reverse(f"hall:{name}", args=args)


def messages_of(response):
    """The messages queued so far (the redirect is not followed, so they pile up)."""
    return [str(m) for m in response.wsgi_request._messages]


def test_a_chief_finds_the_stuck_task_reassigns_it_and_the_colleague_signs(client, stuck):
    task = the_task(stuck)
    client.force_login(stuck.bureau.chief)
    page = client.get(url("task_list") + "?tab=stuck").content.decode()
    assert "停用人员名下的待办" in page and stuck.number in page and "已停用" in page
    detail = client.get(url("case_detail", stuck.pk)).content.decode()
    assert "改派任务" in detail and "改派给 人事科二" in detail and "退回角色待办" in detail
    assert f'action="{url("task_reassign", stuck.pk, task.pk)}"' in detail
    response = client.post(
        url("task_reassign", stuck.pk, task.pk),
        {"to_user": stuck.colleague.pk, "assignee": stuck.bureau.personnel.pk, "reason": "离职"},
    )
    assert response.status_code == 302
    assert messages_of(response) == ["已改派给人事科二。"]
    assert stuck.number not in client.get(url("task_list") + "?tab=stuck").content.decode()

    client.force_login(stuck.colleague)
    assert stuck.number in client.get(url("task_list") + "?tab=mine").content.decode()
    response = client.post(url("task_complete", stuck.pk, task.pk), {"decision": "approve"})
    assert messages_of(response) == ["已同意，办件转入下一环节。"]
    stuck.refresh_from_db()
    assert stuck.step_index == 2


def test_the_page_gives_a_task_back_to_the_role(client, stuck):
    task = the_task(stuck)
    client.force_login(stuck.bureau.chief)
    data = {"to_user": "", "assignee": stuck.bureau.personnel.pk, "reason": "离职"}
    response = client.post(url("task_reassign", stuck.pk, task.pk), data)
    assert messages_of(response) == ["已退回角色待办。"]
    task.refresh_from_db()
    assert task.assignee is None


def test_the_page_reports_refusals_and_changes_nothing(client, stuck):
    task = the_task(stuck)
    client.force_login(stuck.bureau.chief)
    before = counts(stuck)
    post = url("task_reassign", stuck.pk, task.pk)
    seen = stuck.bureau.personnel.pk
    no_reason = {"to_user": stuck.colleague.pk, "assignee": seen, "reason": " "}
    assert messages_of(client.post(post, no_reason)) == ["请填写改派理由"]
    unknown = {"to_user": "999999", "assignee": seen, "reason": "离职"}
    assert messages_of(client.post(post, unknown))[-1] == "请从列表中选择改派给谁（或退回角色待办）"
    stale = {"to_user": stuck.colleague.pk, "assignee": "", "reason": "离职"}
    assert "请刷新页面查看最新进度" in messages_of(client.post(post, stale))[-1]
    assert counts(stuck) == before


def test_non_chiefs_and_outsiders_get_404(client, stuck):
    task = the_task(stuck)
    post = url("task_reassign", stuck.pk, task.pk)
    data = {"to_user": stuck.colleague.pk, "assignee": stuck.bureau.personnel.pk, "reason": "x"}
    nobody = UserFactory(role="", full_name="无角色")
    for user in (stuck.colleague, stuck.bureau.window, stuck.clerk, nobody):
        client.force_login(user)
        assert client.post(post, data).status_code == 404
    client.logout()
    assert client.post(post, data).status_code == 302  # to the login page
    client.force_login(stuck.colleague)
    page = client.get(url("task_list") + "?tab=stuck").content.decode()
    assert "停用人员名下的待办" not in page
    assert "改派任务" not in client.get(url("case_detail", stuck.pk)).content.decode()
    assert the_task(stuck).assignee == stuck.bureau.personnel


def test_a_task_of_another_case_is_404(client, stuck):
    other = another_case(stuck)
    client.force_login(stuck.bureau.chief)
    post = url("task_reassign", stuck.pk, the_task(other).pk)
    assert client.post(post, {"to_user": stuck.colleague.pk, "reason": "x"}).status_code == 404


def test_the_chief_task_list_runs_a_fixed_number_of_queries(
    client, stuck, django_assert_max_num_queries
):
    client.force_login(stuck.bureau.chief)
    for tab in ("mine", "role", "due", "stuck"):
        with django_assert_max_num_queries(12):
            assert client.get(url("task_list") + f"?tab={tab}").status_code == 200


# --- Two chiefs at once (PostgreSQL row locks) -----------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_two_chiefs_reassigning_the_same_task_at_once_one_wins():
    case, bureau, _clerk = accepted_transfer()
    cases.claim(actor=bureau.personnel, case=case, task=the_task(case))
    deactivate(bureau.personnel)
    second_chief = UserFactory(role=Role.SECTION_CHIEF, full_name="科长二")
    targets = [UserFactory(role=Role.PERSONNEL, full_name=f"人事科{n}") for n in (2, 3)]
    seen = [the_task(case), the_task(case)]  # each chief's page, read before either posts
    jobs = [
        lambda chief=chief, task=task, to=to: cases.reassign(
            actor=chief, case=case, task=task, to_user=to, reason="离职"
        )
        for chief, task, to in zip((bureau.chief, second_chief), seen, targets, strict=True)
    ]
    done, refused = race(jobs, HallError)
    assert len(done) == 1 and len(refused) == 1
    winner = done[0].assignee
    assert refused[0].message == f"「科室审核」已改由{winner}办理，请刷新页面查看最新进度"
    assert refused[0].field == "stale"
    assert the_task(case).assignee == winner
    assert CaseEvent.objects.filter(case=case, action="reassign").count() == 1
    assert AuditEvent.objects.filter(action="hall.case.reassign").count() == 1
