import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.exams.models import Examiner, ExaminerScore, InterviewPanel, PanelMember
from renshi.exams.services import panels
from renshi.exams.tests.factories import make_exam, make_position
from renshi.exams.tests.factories_interviews import DAY, drawn_panel, make_pool

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client):
    client.force_login(UserFactory(role=Role.EXAM_OFFICE))
    return client


def _xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "examiners.xlsx"
    return buffer


def test_it_adds_an_examiner_with_a_login(office):
    login = UserFactory(role=Role.EXAMINER, username="kaoguan1")
    response = office.post(
        reverse("exams:interviews_examiner_create"),
        {"name": "王考官", "certificate_level": 2, "unit_name": "营口市人社局", "city": "营口市",
         "login": "kaoguan1"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Examiner.objects.get().user == login


def test_a_login_without_the_examiner_role_is_refused(office):
    UserFactory(role=Role.PERSONNEL, username="renshi1")
    response = office.post(
        reverse("exams:interviews_examiner_create"),
        {"name": "王考官", "certificate_level": 2, "unit_name": "营口市人社局", "city": "营口市",
         "login": "renshi1"},
    )  # fmt: skip
    assert "找不到角色为“面试考官”的账号" in response.content.decode()
    assert not Examiner.objects.exists()


def test_the_import_reports_errors_by_row_and_column_and_imports_nothing(office):
    upload = _xlsx(
        [
            ["姓名", "考官资格等级", "工作单位", "所在城市"],
            ["王考官", "二级", "营口市人社局", "营口市"],
            ["", "十级", "鞍山市财政局", "鞍山市"],
        ]
    )
    response = office.post(reverse("exams:interviews_examiner_import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert "第3行" in page and "A（姓名）" in page and "B（考官资格等级）" in page
    assert not Examiner.objects.exists()


def test_the_import_writes_a_clean_file_or_only_the_good_rows(office):
    rows = [
        ["姓名", "考官资格等级", "工作单位", "所在城市"],
        ["王考官", "二级", "营口市人社局", "营口市"],
    ]
    response = office.post(reverse("exams:interviews_examiner_import"), {"file": _xlsx(rows)})
    assert response.status_code == 302
    assert Examiner.objects.get().certificate_level == 2
    rows.append(["李考官", "x", "鞍山市财政局", "鞍山市"])
    office.post(
        reverse("exams:interviews_examiner_import"), {"file": _xlsx(rows), "good_only": "on"}
    )
    assert Examiner.objects.count() == 2


def test_a_broken_file_is_refused(office):
    broken = io.BytesIO(b"not a workbook")
    broken.name = "x.xlsx"
    response = office.post(reverse("exams:interviews_examiner_import"), {"file": broken})
    assert "不是有效的Excel" in response.content.decode()


def test_the_office_sets_up_panels_and_draws_them(office):
    exam = make_exam()
    make_pool(20)
    position = make_position(exam)
    response = office.post(
        reverse("exams:interviews_panel_create", args=[exam.pk]),
        {"date": DAY.isoformat(), "code": "01", "room": "201", "positions": [position.pk]},
    )
    assert response.status_code == 302
    office.post(
        reverse("exams:interviews_draw", args=[exam.pk]),
        {"date": DAY.isoformat(), "seed": "123", "witnesses": "纪检 张某"},
    )
    panel = InterviewPanel.objects.get()
    assert panel.draw.seed == "123" and panel.draw.witnesses == "纪检 张某"
    assert PanelMember.objects.filter(panel=panel).count() == 7
    page = office.get(reverse("exams:interviews_exam", args=[exam.pk])).content.decode()
    assert "已抽签：种子 123" in page
    assert office.get(reverse("exams:interviews_panel", args=[panel.pk])).status_code == 200


def test_an_impossible_draw_is_explained_and_changes_nothing(office):
    exam = make_exam()
    make_pool(5)
    position = make_position(exam)
    office.post(
        reverse("exams:interviews_panel_create", args=[exam.pk]),
        {"date": DAY.isoformat(), "code": "01", "positions": [position.pk]},
    )
    response = office.post(
        reverse("exams:interviews_draw", args=[exam.pk]), {"date": DAY.isoformat()}, follow=True
    )
    assert "考官库可用考官5人，不足1个考官组×每组7人" in response.content.decode()
    assert not PanelMember.objects.exists()


def test_the_examiner_sees_order_numbers_never_names_and_scores_once(client):
    panel = drawn_panel()
    member = panel.members.first().examiner
    client.force_login(member.user)
    url = reverse("exams:interviews_my_panel", args=[panel.pk])
    page = client.get(url).content.decode()
    assert "1号" in page
    for slot in panel.slots.select_related("application__candidate"):
        assert slot.application.candidate.name not in page
    slot = panel.slots.get(order=1)
    client.post(url, {"slot": slot.pk, "score": "88.5"})
    response = client.post(url, {"slot": slot.pk, "score": "99"}, follow=True)
    assert "评分提交后不可修改" in response.content.decode()
    assert ExaminerScore.objects.get().score == 88.5
    assert client.get(reverse("exams:interviews_my_panels")).status_code == 200


def test_an_examiner_of_another_panel_gets_404(client):
    panel = drawn_panel()
    outsider = drawn_panel().members.first().examiner
    client.force_login(outsider.user)
    assert client.get(reverse("exams:interviews_my_panel", args=[panel.pk])).status_code == 404
    response = client.post(
        reverse("exams:interviews_my_panel", args=[panel.pk]),
        {"slot": panel.slots.first().pk, "score": "80"},
    )
    assert response.status_code == 404 and not ExaminerScore.objects.exists()


@pytest.mark.parametrize("role", [Role.UNIT_CLERK, Role.CANDIDATE, Role.PROCTOR, Role.EXAMINER])
def test_outsiders_get_404_on_office_pages(client, role):
    panel = drawn_panel()
    client.force_login(UserFactory(role=role))
    for url in [
        reverse("exams:interviews_examiners"),
        reverse("exams:interviews_exam", args=[panel.exam_id]),
        reverse("exams:interviews_panel", args=[panel.pk]),
        reverse("exams:interviews_hiring", args=[panel.exam_id]),
    ]:
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("exams:interviews_draw", args=[panel.exam_id]), {"date": "2026-05-17"}
    )
    assert response.status_code == 404


def test_office_staff_are_not_examiners(office):
    panel = drawn_panel()
    assert office.get(reverse("exams:interviews_my_panel", args=[panel.pk])).status_code == 404


def test_the_panel_page_shows_counts_then_the_sheet_when_complete(office):
    panel = drawn_panel(candidates=(80,))
    slot = panel.slots.get()
    users = [m.examiner.user for m in panel.members.select_related("examiner__user")]
    panels.score_enter(actor=users[0], slot_id=slot.pk, score="71.5")
    page = office.get(reverse("exams:interviews_panel", args=[panel.pk])).content.decode()
    assert "1/5" in page and "71.5" not in page
    for user, score in zip(users[1:], ["80", "81", "82", "90"], strict=True):
        panels.score_enter(actor=user, slot_id=slot.pk, score=score)
    page = office.get(reverse("exams:interviews_panel", args=[panel.pk])).content.decode()
    assert "考官评分表" in page and "71.50" in page and "81.00" in page


def test_verify_draw_reproduces_examiner_and_order_draws():
    panel = drawn_panel()
    out = io.StringIO()
    call_command("verify_draw", "--exam", str(panel.exam_id), stdout=out)
    text = out.getvalue()
    assert text.count("结果一致") == 2 and "面试考官抽签" in text and "面试顺序抽签" in text
