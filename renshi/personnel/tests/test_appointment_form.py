import datetime
import zoneinfo
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.personnel.services import events
from renshi.personnel.services import people as people_services
from renshi.personnel.tests.factories import SYSTEM, make_clerk, make_person, make_unit
from renshi.personnel.views.appointment_form import resume

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 15, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def add(person, record_type, **fields):
    return people_services.record_add(
        actor=SYSTEM, person=person, record_type=record_type, **fields
    )


@pytest.fixture
def person():
    with time_machine.travel(NOW, tick=False):
        unit = make_unit("鞍山市财政局")
        p = make_person(
            unit,
            "张三",
            post_name="科员",
            native_place="辽宁海城",
            birthplace="辽宁鞍山",
            speciality="财政预算管理",
            party_join_date=datetime.date(2005, 6, 1),
            work_start_date=datetime.date(2010, 7, 1),
            political_status="01",
        )
        events.person_appoint(
            actor=SYSTEM,
            person=p,
            post_name="预算科副科长",
            post_level="142",
            date=datetime.date(2016, 3, 1),
            document_number="鞍财党发〔2016〕4号",
        )
        add(
            p,
            "education",
            education="21",
            school="东北大学",
            major="会计学",
            start_date=datetime.date(2006, 9, 1),
            end_date=datetime.date(2010, 7, 1),
        )
        add(p, "degree", degree="4", grantor="东北大学", major="管理学")
        add(
            p,
            "education",
            education="14",
            school="辽宁大学",
            major="公共管理",
            study_mode="service",
            start_date=datetime.date(2012, 9, 1),
            end_date=datetime.date(2015, 7, 1),
        )
        add(p, "degree", degree="3", grantor="辽宁大学", major="公共管理")
        for year, result in ((2022, "2"), (2023, "2"), (2024, "1"), (2025, "1")):
            add(p, "appraisal", year=year, result=result)
        add(
            p,
            "reward",
            kind="reward",
            name="嘉奖",
            reason="预算编制工作成绩突出",
            start_date=datetime.date(2019, 12, 1),
        )
        add(
            p,
            "family",
            relation="12",
            name="王芳",
            birth_date=datetime.date(1987, 4, 2),
            political_status="01",
            work_unit_post="鞍山市第一中学教师",
        )
    return p


def url(person):
    return reverse("personnel:appointment_form", args=[person.pk])


def test_it_fills_the_form_from_the_records(client, person):
    client.force_login(UserFactory(role=Role.PERSONNEL, full_name="李填表"))
    with time_machine.travel(NOW, tick=False):
        response = client.get(url(person), {"appoint": "预算科科长", "dismiss": "预算科副科长"})
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "干部任免审批表",
        "张三",
        "1985.03<br>（41岁）",
        "辽宁海城",
        "辽宁鞍山",
        "2005.06",
        "2010.07",
        "财政预算管理",
        "大学本科毕业<br>管理学学士",
        "东北大学会计学专业",
        "硕士研究生毕业<br>公共管理硕士",
        "鞍山市财政局预算科副科长",
        "预算科科长",
        "2019.12　获嘉奖（预算编制工作成绩突出）",
        "2023年度考核称职；2024年度考核优秀；2025年度考核优秀",
        "王芳",
        "中共党员",
        "鞍山市第一中学教师",
        "填表人：李填表",
        'id="af-print"',
    ):
        assert text in html, text
    assert "2022年度" not in html
    resume_lines = [(line.period, line.text) for line in response.context["resume"]]
    assert resume_lines == [
        ("2006.09--2010.07", "东北大学会计学专业学习"),
        ("2010.07--2016.03", "鞍山市财政局科员"),
        ("2016.03--", "鞍山市财政局预算科副科长"),
    ]
    assert "（其间：2012.09--2015.07　辽宁大学公共管理专业在职学习）" in html
    assert response.context["gaps"] == []


def test_it_shows_the_form_to_the_units_clerk(client, person):
    client.force_login(make_clerk(person.unit))
    assert client.get(url(person)).status_code == 200


@pytest.mark.parametrize("role", [Role.AUDIT_ADMIN, Role.EXAM_OFFICE])
def test_it_is_not_found_for_admin_roles(client, person, role):
    client.force_login(UserFactory(role=role))
    assert client.get(url(person)).status_code == 404


def test_it_is_not_found_for_another_units_clerk(client, person):
    client.force_login(make_clerk(make_unit("鞍山市水务局")))
    assert client.get(url(person)).status_code == 404


def test_it_flags_a_gap_in_the_resume():
    unit = SimpleNamespace(name="鞍山市水务局")
    posts = [
        SimpleNamespace(
            unit=unit,
            post_name="科员",
            start_date=datetime.date(2010, 7, 1),
            end_date=datetime.date(2012, 1, 1),
        ),
        SimpleNamespace(
            unit=unit, post_name="副科长", start_date=datetime.date(2012, 9, 1), end_date=None
        ),
    ]
    lines, gaps = resume([], posts)
    assert [line.period for line in lines] == ["2010.07--2012.01", "2012.09--"]
    assert gaps == ["2012.01至2012.09"]
