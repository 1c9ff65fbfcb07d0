import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renshi.core.crypto import decrypt
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.hall import cases
from renshi.hall.models import Case, CaseMaterial, CaseStatus, NoticeKind, Rating, TaskStatus
from renshi.hall.tests.cases_helpers import (
    INST,
    Bureau,
    file_transfer,
    load_items,
    transfer_setup,
    walk_through,
)
from renshi.personnel.tests.factories import make_clerk, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _items():
    load_items()


@pytest.fixture
def world():
    a, b, person, clerk = transfer_setup()
    return {"a": a, "b": b, "person": person, "clerk": clerk, "bureau": Bureau()}


def url(name, *args):
    return reverse(f"hall:{name}", args=args)


def text(response):
    return response.content.decode()


def errors_of(response):
    return [str(m) for m in response.wsgi_request._messages]


def filing_data(person, **overrides):
    data = {
        "token": "t-1",
        "applicant_name": "王经办",
        "applicant_phone": "13904120002",
        "f_name": person.name,
        "f_id_number": decrypt(person.id_number_cipher),
        "f_category": INST,
        "f_post_name": "科员",
        "note": "",
    }
    data.update(overrides)
    return data


def test_it_files_online_with_one_file_per_material(client, world):
    client.force_login(world["clerk"])
    page = client.get(url("case_file", "RS-003"))
    assert page.status_code == 200 and "调入人员身份证号码" in text(page)
    data = filing_data(world["person"])
    data["m_0"] = SimpleUploadedFile("商调表.pdf", b"%PDF-1.4 test", "application/pdf")
    response = client.post(url("case_file", "RS-003"), data)
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == url("case_detail", case.pk)
    assert case.unit == world["b"] and case.channel == "online"
    material = CaseMaterial.objects.get(case=case)
    assert material.name == "事业单位人员商调表" and material.file
    detail = text(client.get(url("case_detail", case.pk)))
    assert "待受理" in detail and case.number in detail
    # The ID number is masked on the page; the file downloads for the unit.
    assert decrypt(world["person"].id_number_cipher) not in detail
    download = client.get(url("material_file", case.pk, material.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == (
        b"%PDF-1.4 test"
    )


def test_it_refuses_a_wrong_id_checksum_and_a_double_post_files_once(client, world):
    client.force_login(world["clerk"])
    number = decrypt(world["person"].id_number_cipher)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    response = client.post(
        url("case_file", "RS-003"), filing_data(world["person"], f_id_number=wrong)
    )
    assert response.status_code == 200 and "校验" in text(response)
    assert Case.objects.count() == 0
    data = filing_data(world["person"], token="same")
    assert client.post(url("case_file", "RS-003"), data).status_code == 302
    again = client.post(url("case_file", "RS-003"), data)
    assert "请勿重复提交" in text(again)
    assert Case.objects.count() == 1


def test_the_window_registers_a_walk_in_with_ticked_materials(client, world):
    client.force_login(world["bureau"].window)
    data = filing_data(world["person"], unit=world["b"].pk, m_0="on", m_1="on")
    response = client.post(url("case_file", "RS-003"), data)
    case = Case.objects.get()
    assert response.status_code == 302 and case.channel == "window"
    assert set(case.materials.values_list("name", flat=True)) == {
        "事业单位人员商调表",
        "空编使用通知书",
    }


def test_the_whole_case_through_the_pages(client, world):
    bureau, clerk = world["bureau"], world["clerk"]
    case = file_transfer(clerk, world["b"], world["person"])
    client.force_login(bureau.window)
    assert case.number in text(client.get(url("intake_queue")))
    detail = text(client.get(url("case_detail", case.pk)))
    assert "现实表现鉴定" in detail and "一次性告知补正" in detail
    form = text(client.get(url("case_supplement", case.pk)))
    assert 'value="现实表现鉴定"' in form
    missing = cases.missing_materials(case)
    client.post(
        url("case_supplement", case.pk),
        {
            "name": [*missing, "其他说明材料", ""],
            "reason": ["未提交"] * len(missing) + ["补充", ""],
        },
    )
    notice = case.notices.get(kind=NoticeKind.SUPPLEMENT)
    assert len(notice.items) == len(missing) + 1
    printed = text(client.get(url("notice_print", case.pk, notice.pk)))
    assert "补正材料通知书" in printed and notice.number in printed and "@media print" in printed

    client.force_login(clerk)
    upload = SimpleUploadedFile("鉴定.pdf", b"%PDF", "application/pdf")
    client.post(url("case_supply", case.pk), {"material": missing, "file_0": upload})
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED

    client.force_login(bureau.window)
    client.post(url("case_accept", case.pk))
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS

    client.force_login(bureau.personnel)
    tasks = text(client.get(url("task_list") + "?tab=role"))
    assert case.number in tasks
    task = case.tasks.get(status=TaskStatus.OPEN)
    client.post(url("task_claim", case.pk, task.pk))
    assert case.number in text(client.get(url("task_list")))
    client.post(url("task_complete", case.pk, task.pk), {"decision": "approve", "opinion": "同意"})
    walk_through(case, bureau)
    case.refresh_from_db()
    assert case.status == CaseStatus.CONCLUDED

    client.force_login(bureau.window)
    client.post(url("case_deliver", case.pk), {"method": "窗口领取"})
    client.force_login(clerk)
    client.post(url("case_rate", case.pk), {"level": "1", "comment": "太慢"})
    assert Rating.objects.get(case=case).follow_up_due

    client.force_login(bureau.chief)
    assert case.number in text(client.get(url("follow_ups")))
    rating = Rating.objects.get(case=case)
    client.post(url("follow_up", rating.pk), {"note": "已回访"})
    rating.refresh_from_db()
    assert rating.followed_up_at


def test_a_second_click_on_a_done_step_gets_a_message_and_changes_nothing(client, world):
    bureau = world["bureau"]
    case = file_transfer(world["clerk"], world["b"], world["person"])
    cases.accept(actor=bureau.window, case=case)
    task = case.tasks.get(status=TaskStatus.OPEN)
    client.force_login(bureau.personnel)
    path = url("task_complete", case.pk, task.pk)
    client.post(path, {"decision": "approve"})
    case.refresh_from_db()
    step, events = case.step_index, case.events.count()
    response = client.post(path, {"decision": "approve"}, follow=True)
    assert any("刷新页面" in m for m in errors_of(response))
    case.refresh_from_db()
    assert (case.step_index, case.events.count()) == (step, events)

    client.force_login(bureau.window)
    response = client.post(url("case_accept", case.pk), follow=True)
    assert any("不能受理" in m for m in errors_of(response))


def test_refuse_without_reasons_and_an_empty_supplement_list_change_nothing(client, world):
    case = file_transfer(world["clerk"], world["b"], world["person"])
    client.force_login(world["bureau"].window)
    response = client.post(url("case_refuse", case.pk), {"reasons": "  "}, follow=True)
    assert "不予受理必须说明理由" in errors_of(response)
    response = client.post(url("case_supplement", case.pk), {"name": ["", ""], "reason": ["x", ""]})
    assert "请列出需要补正的全部材料" in text(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and not case.notices.exists()
    assert not case.supplement_requested


def test_staff_actions_return_delegate_suspend_extend(client, world):
    bureau = world["bureau"]
    case = file_transfer(world["clerk"], world["b"], world["person"])
    cases.accept(actor=bureau.window, case=case)
    other = UserFactory(role=Role.PERSONNEL, full_name="人事科二")
    task = case.tasks.get(status=TaskStatus.OPEN)
    client.force_login(bureau.personnel)
    client.post(url("task_delegate", case.pk, task.pk), {"to_user": other.pk})
    task.refresh_from_db()
    assert task.assignee == other
    client.force_login(other)
    client.post(url("task_complete", case.pk, task.pk), {"decision": "approve"})
    client.force_login(bureau.establishment)  # the current step's role
    client.post(url("case_suspend", case.pk), {"reason": "专家评审"})
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED
    client.force_login(bureau.chief)
    client.post(url("case_resume", case.pk))
    est_task = case.tasks.get(status=TaskStatus.OPEN)
    client.force_login(bureau.establishment)
    response = client.post(url("task_return", case.pk, est_task.pk), {"opinion": ""}, follow=True)
    assert "退回时必须填写退回理由" in errors_of(response)
    client.post(url("task_return", case.pk, est_task.pk), {"opinion": "材料有误", "to_index": "1"})
    case.refresh_from_db()
    assert case.step_index == 1
    client.force_login(bureau.personnel)
    client.post(url("extension_request", case.pk), {"days": "3", "reason": "需要调查"})
    ext = case.extensions.get()
    client.force_login(bureau.chief)
    client.post(url("extension_decide", case.pk, ext.pk), {"approve": "1"})
    ext.refresh_from_db()
    assert ext.status == "approved" and case.notices.filter(kind=NoticeKind.EXTENSION).exists()


def test_outsiders_get_404_and_anonymous_goes_to_login(client, world):
    case = file_transfer(world["clerk"], world["b"], world["person"])
    pages = [
        url("home"),
        url("unit_cases"),
        url("case_detail", case.pk),
        url("task_list"),
        url("intake_queue"),
        url("case_file", "RS-003"),
    ]
    assert client.get(pages[2]).status_code == 302
    for role in (Role.CANDIDATE, Role.PROCTOR, Role.EXAMINER, Role.AUDIT_ADMIN):
        client.force_login(UserFactory(role=role))
        for page in pages:
            assert client.get(page).status_code == 404, (role, page)
    # Another unit's clerk: the case does not exist for them, nor do its actions.
    client.force_login(make_clerk(make_unit("丙单位")))
    assert client.get(url("case_detail", case.pk)).status_code == 404
    assert client.post(url("case_withdraw", case.pk)).status_code == 404
    assert case.number not in text(client.get(url("unit_cases")))
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    # The unit clerk cannot act as the window.
    client.force_login(world["clerk"])
    assert client.post(url("case_accept", case.pk)).status_code == 404
    assert client.get(url("task_list")).status_code == 404


def test_the_clerk_of_a_parent_unit_sees_its_sub_units_cases(client, world):
    from renshi.personnel.models import Person

    parent = make_unit("上级单位")
    child = make_unit("下级单位", parent=parent)
    from renshi.personnel.services import establishment

    establishment.establishment_approve(
        actor="测试", unit=child, category=INST, approved=1, document_number="x"
    )
    person = Person.objects.get(pk=world["person"].pk)
    case = file_transfer(make_clerk(child), child, person)
    client.force_login(make_clerk(parent))
    assert client.get(url("case_detail", case.pk)).status_code == 200
    assert case.number in text(client.get(url("unit_cases")))
    client.force_login(world["clerk"])
    assert client.get(url("case_detail", case.pk)).status_code == 404


def test_progress_lookup_shows_the_public_timeline_and_is_rate_limited(client, world):
    case = file_transfer(world["clerk"], world["b"], world["person"])
    cases.accept(actor=world["bureau"].window, case=case)
    response = client.post(url("progress"), {"number": case.number, "code": case.check_code})
    page = text(response)
    assert response.status_code == 200 and "受理" in page and "承诺办结" in page
    number = decrypt(world["person"].id_number_cipher)
    assert number not in page and number[-4:] in page  # masked
    assert "科室审核：同意" not in page  # internal events stay inside
    wrong_code = client.post(url("progress"), {"number": case.number, "code": "000000x"})
    wrong_number = client.post(url("progress"), {"number": "1" * 19, "code": case.check_code})
    assert wrong_code.status_code == wrong_number.status_code == 400
    assert "办件编号或查询码不正确" in text(wrong_code) and "办件编号或查询码不正确" in text(
        wrong_number
    )
    for _ in range(8):
        client.post(url("progress"), {"number": case.number, "code": "bad"})
    limited = client.post(url("progress"), {"number": case.number, "code": case.check_code})
    assert "查询过于频繁" in text(limited) and limited.status_code == 400


def _many_cases(world, n):
    bureau = world["bureau"]
    for i in range(n):
        case = file_transfer(world["clerk"], world["b"], world["person"], note=str(i))
        if i % 2:
            cases.accept(actor=bureau.window, case=case)
    return bureau


@pytest.mark.parametrize("n", [2, 8])
def test_list_pages_run_a_fixed_number_of_queries(client, world, n, django_assert_max_num_queries):
    from renshi.personnel.services import establishment

    establishment.establishment_approve(
        actor="测试", unit=world["b"], category=INST, approved=10, document_number="x"
    )
    bureau = _many_cases(world, n)
    client.force_login(world["clerk"])
    with django_assert_max_num_queries(12):
        assert client.get(url("unit_cases")).status_code == 200
    client.force_login(bureau.personnel)
    for tab in ("mine", "role", "due"):
        with django_assert_max_num_queries(12):
            assert client.get(url("task_list") + f"?tab={tab}").status_code == 200
    client.force_login(bureau.window)
    with django_assert_max_num_queries(12):
        assert client.get(url("intake_queue")).status_code == 200


def test_every_page_renders_for_its_role(client, world):
    bureau, clerk = world["bureau"], world["clerk"]
    case = file_transfer(clerk, world["b"], world["person"])
    cases.accept(actor=bureau.window, case=case)
    notice = case.notices.get()
    pages = {
        clerk: [
            "/",
            url("home"),
            url("case_file", "RS-003"),
            url("unit_cases") + "?status=in_progress&item=RS-003&overdue=1",
            url("case_detail", case.pk),
            url("notice_print", case.pk, notice.pk),
        ],
        bureau.window: [
            "/",
            url("home"),
            url("case_file", "RS-003"),
            url("intake_queue"),
            url("case_detail", case.pk),
        ],
        bureau.personnel: [
            "/",
            url("task_list"),
            url("task_list") + "?tab=role",
            url("task_list") + "?tab=due",
            url("unit_cases"),
            url("case_detail", case.pk),
        ],
        bureau.chief: [url("follow_ups"), url("case_detail", case.pk)],
        bureau.leader: [url("task_list"), url("follow_ups")],
    }
    for user, paths in pages.items():
        client.force_login(user)
        for path in paths:
            assert client.get(path).status_code == 200, (user.role, path)
    client.force_login(clerk)
    assert "办事大厅" in text(client.get("/"))
    client.logout()
    assert client.get(url("progress")).status_code == 200
    assert client.get(url("item_list")).status_code == 200


def test_the_unit_list_pages_a_subtree_newest_first_with_filters(client, world):
    from renshi.personnel.services import establishment

    parent = make_unit("上级局")
    child = make_unit("下属中心", parent=parent)
    for unit in (parent, child):
        establishment.establishment_approve(
            actor="测试", unit=unit, category=INST, approved=30, document_number="x"
        )
    clerk = make_clerk(parent)
    filed = []
    for i in range(25):
        unit = child if i % 3 else parent
        filer = make_clerk(unit) if i < 2 else clerk
        case = file_transfer(filer, unit, world["person"], note=str(i))
        filed.append(case)
    cases.accept(actor=world["bureau"].window, case=filed[4])
    client.force_login(clerk)
    first = client.get(url("unit_cases")).context["page"]
    second = client.get(url("unit_cases") + "?page=2").context["page"]
    shown = [c.pk for c in first] + [c.pk for c in second]
    newest_first = [c.pk for c in sorted(filed, key=lambda c: (c.received_at, c.pk), reverse=True)]
    assert shown == newest_first and first.has_next and not second.has_next
    only = client.get(url("unit_cases") + "?status=in_progress&item=RS-003").context["page"]
    assert [c.pk for c in only] == [filed[4].pk]
    assert list(client.get(url("unit_cases") + "?overdue=1").context["page"]) == []
    # The bureau sees every unit's cases, newest filed first.
    client.force_login(world["bureau"].personnel)
    staff = client.get(url("unit_cases")).context["page"]
    assert [c.pk for c in staff] == sorted((c.pk for c in filed), reverse=True)[:20]


def test_the_due_tab_merges_my_tasks_and_my_roles_in_deadline_order(client, world, time_machine):
    import datetime

    from renshi.personnel.services import establishment

    establishment.establishment_approve(
        actor="测试", unit=world["b"], category=INST, approved=10, document_number="x"
    )
    bureau = world["bureau"]
    tasks = []
    for i in range(5):
        time_machine.move_to(datetime.datetime(2026, 11, 2 + i, 10, tzinfo=datetime.UTC))
        case = file_transfer(world["clerk"], world["b"], world["person"], note=str(i))
        cases.accept(actor=bureau.window, case=case)
        tasks.append(case.tasks.get(status=TaskStatus.OPEN))
    for task in tasks[1::2]:
        cases.claim(actor=bureau.personnel, case=task.case, task=task)
    time_machine.move_to(datetime.datetime(2026, 11, 25, 10, tzinfo=datetime.UTC))
    client.force_login(bureau.personnel)
    response = client.get(url("task_list") + "?tab=due")
    shown = [t.pk for t in response.context["page"]]
    assert shown == [t.pk for t in sorted(tasks, key=lambda t: (t.due_date, t.pk))]
    assert {t["key"]: t["count"] for t in response.context["tabs"]} == {
        "mine": 2,
        "role": 3,
        "due": 5,
    }
    assert "超期" in text(response)


def test_a_parent_units_clerk_picks_the_sub_unit_to_file_for(client, world):
    from renshi.personnel.services import establishment

    parent = make_unit("主管局")
    child = make_unit("所属中心", parent=parent)
    establishment.establishment_approve(
        actor="测试", unit=child, category=INST, approved=1, document_number="x"
    )
    client.force_login(make_clerk(parent))
    page = text(client.get(url("case_file", "RS-003")))
    assert "所属中心" in page and "申请单位" in page
    client.post(url("case_file", "RS-003"), filing_data(world["person"], unit=child.pk))
    assert Case.objects.get().unit == child
    # A unit outside the subtree is not a choice.
    response = client.post(
        url("case_file", "RS-003"), filing_data(world["person"], unit=world["a"].pk, token="t2")
    )
    assert response.status_code == 200 and Case.objects.count() == 1


def test_recall_and_who_may_open_materials(client, world):
    bureau = world["bureau"]
    case = file_transfer(world["clerk"], world["b"], world["person"])
    CaseMaterial.objects.filter(case=case).update(file="hall/x.pdf")
    material = case.materials.first()
    client.force_login(UserFactory(role=Role.EXAM_OFFICE))
    page = text(client.get(url("case_detail", case.pk)))
    assert case.number in page and url("material_file", case.pk, material.pk) not in page
    assert client.get(url("material_file", case.pk, material.pk)).status_code == 404

    cases.accept(actor=bureau.window, case=case)
    task = case.tasks.get(status=TaskStatus.OPEN)
    client.force_login(bureau.personnel)
    client.post(url("task_complete", case.pk, task.pk), {"decision": "approve"})
    page = text(client.get(url("case_detail", case.pk)))
    assert url("task_recall", case.pk, task.pk) in page
    client.post(url("task_recall", case.pk, task.pk))
    case.refresh_from_db()
    assert case.step_index == 1
    assert case.tasks.get(status=TaskStatus.OPEN).assignee == bureau.personnel
