"""Issue 4's journey in real browsers: the exam office sets up a session, a site and rooms and
draws the seats in front of witnesses (desktop); a candidate prints the admission ticket on a phone;
the office imports the written scores from an .xlsx file and publishes them; the candidate sees
their own score and rank — and, before the publication moment, only that scores are not out yet.

RENSHI_SCREENSHOTS=<folder> keeps a full-page PNG of every page the journey passes through.
"""

import datetime
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.exams.models import Application, Draw, DrawKind, ExamRoom, Result, Seat, TicketBatch
from renshi.exams.services import seating, tickets
from renshi.exams.tests.candidate_helpers import portrait
from renshi.exams.tests.factories import make_exam, make_position
from renshi.exams.tests.factories_seating import paid_application
from renshi.tests.browser.conftest import PASSWORD, PHONE_DEVICE, STAFF, log_in, overflow, snap

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

WITNESSES = "纪检组 王某某、人大代表 李某某"
# name → (phone, 行政职业能力测验, 申论); 王考生 logs in. Written = half of each, half up.
CANDIDATES = {
    "王考生": ("13904121001", "80", "70.5"),  # 75.25, second
    "赵考生": ("13904121002", "90", "85"),  # 87.50, first
    "钱考生": ("13904121003", "61", "60"),  # 60.50, third
    "孙考生": ("13904121004", "缺考", "缺考"),  # no written score
}


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()  # throttles and captcha counters from an earlier test
    yield
    cache.clear()


@pytest.fixture
def journey(settings):
    """An exam whose ticket window is open, one position in its only area, four approved and
    paid candidates with real photos on disk, and an exam office account."""
    photos = Path(settings.MEDIA_ROOT) / "candidates" / "photos"
    photos.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    with transaction.atomic():
        office = UserFactory(role=Role.EXAM_OFFICE, full_name="孙考务", username="exam_office_a")
        exam = make_exam(
            name="2026年鞍山市公务员考试录用（考务浏览器测试）",
            ticket_opens=now - datetime.timedelta(hours=1),
            ticket_closes=now + datetime.timedelta(days=5),
        )
        position = make_position(
            exam, code="210300200001", hiring_unit_name="鞍山市司法局", title="法律事务岗"
        )
        applications = {}
        for name, (phone, *_scores) in CANDIDATES.items():
            (photos / f"{phone}.jpg").write_bytes(portrait())
            applications[name] = paid_application(
                position, office=office, name=name, phone=phone,
                photo=f"candidates/photos/{phone}.jpg",
            )  # fmt: skip
        Application.objects.filter(exam=exam).update(fee_amount=Decimal("100"))
    return {"exam": exam, "position": position, "office": office, "apps": applications}


def assert_fits(page, what):
    extra = overflow(page)
    assert extra <= 1, f"{what}: the page is {extra}px wider than the phone screen"


def local_input(moment) -> str:
    """A datetime-local input's value for an aware datetime (the site's time zone)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- The exam office: session, site, rooms, the draw ---------------------------------------


def add_session(office, exam):
    from playwright.sync_api import expect

    office.goto(reverse("exams:seating_exam", args=[exam.pk]))
    expect(office.locator("main")).to_contain_text("尚未设置场次")
    expect(office.locator("main")).to_contain_text("尚未设置考点")
    snap(office, "a01-seating-empty")
    office.get_by_role("link", name="新增", exact=True).click()
    day = timezone.localtime() + datetime.timedelta(days=30)
    office.locator("#id_code").fill("AM")
    office.locator("#id_name").fill("上午")
    office.locator("#id_starts_at").fill(local_input(day.replace(hour=9, minute=0)))
    office.locator("#id_ends_at").fill(local_input(day.replace(hour=11, minute=0)))
    for subject in ("行政职业能力测验", "申论"):
        office.get_by_label(subject).check()
    snap(office, "a02-session-form")
    office.get_by_role("button", name="提交").click()
    expect(office.locator(".alert-success")).to_contain_text("已新增场次")
    row = office.locator("tr", has_text="上午")
    expect(row).to_contain_text("行政职业能力测验、申论")
    expect(row).to_contain_text("09:00–11:00")


def add_site_and_rooms(office, exam):
    from playwright.sync_api import expect

    area_row = office.locator("tr", has_text="鞍山考区")
    expect(area_row).to_contain_text("未编排")
    area_row.get_by_role("link", name="新增考点").click()
    expect(office.locator("#id_area")).to_have_value(str(exam.areas.get().pk))  # preselected
    office.locator("#id_code").fill("01")
    office.locator("#id_name").fill("鞍山市第一中学考点")
    office.locator("#id_school").fill("鞍山市第一中学")
    office.locator("#id_address").fill("鞍山市铁东区胜利南路1号")
    snap(office, "a03-site-form")
    office.get_by_role("button", name="提交").click()
    expect(office.locator("h1")).to_contain_text("鞍山市第一中学考点")
    expect(office.locator("main")).to_contain_text("尚无考场")

    office.locator("#id_count").fill("2")
    office.locator("#id_capacity").fill("2")  # four candidates fill both rooms
    office.get_by_role("button", name="增加", exact=True).click()
    expect(office.locator(".alert-success")).to_contain_text("已增加2个考场（01–02）")
    expect(office.locator("main")).to_contain_text("考场（2个）")
    snap(office, "a04-site-rooms")


def draw_seats(office, exam):
    from playwright.sync_api import expect

    office.get_by_role("link", name="考场与准考证").click()
    snap(office, "a05-seating-ready")
    office.get_by_role("link", name="随机编排考场座位").click()
    expect(office.locator("main")).to_contain_text("请在监督人员在场时操作")
    # No witnesses: refused, nothing drawn.
    office.get_by_role("button", name="生成种子并编排").click()
    expect(office.locator("main [role=alert]")).to_contain_text("请填写现场监督人员姓名")
    assert not Draw.objects.filter(exam=exam, kind=DrawKind.SEATS).exists()
    office.locator("#id_witnesses").fill(WITNESSES)
    snap(office, "a06-assign-form")
    office.get_by_role("button", name="生成种子并编排").click()

    expect(office).to_have_url(re.compile(r"/exams/seating/draws/\d+/"))
    draw = Draw.objects.get(exam=exam, kind=DrawKind.SEATS)
    expect(office.locator(".rs-seed")).to_have_text(draw.seed)
    expect(office.locator("main")).to_contain_text(WITNESSES)
    expect(office.locator("tbody tr, table tr").filter(has_text=draw.input_digest)).to_have_count(1)
    snap(office, "a07-draw-seed")

    office.get_by_role("button", name="重现核验").click()
    expect(office.locator(".alert-success")).to_contain_text("核验一致")
    snap(office, "a08-draw-verified")
    return draw


def office_sees_the_seats(office, exam, draw):
    from playwright.sync_api import expect

    office.get_by_role("link", name="返回考场与准考证").click()
    area_row = office.locator("tr", has_text="新增考点")
    expect(area_row).to_contain_text(f"种子 {draw.seed}")
    record = office.locator("tr", has_text=WITNESSES)  # the draw's record, by area name
    expect(record).to_contain_text("01 鞍山考区")
    expect(record.get_by_text("有效")).to_be_visible()
    office.get_by_role("link", name="鞍山市第一中学考点").click()
    office.get_by_role("link", name="01", exact=True).click()
    expect(office.locator("h1")).to_contain_text("第01考场")
    snap(office, "a09-room")

    # The whole exam's tickets as one zip (the task runs at commit in tests).
    office.goto(reverse("exams:seating_exam", args=[exam.pk]))
    office.get_by_role("button", name="批量生成准考证").click()
    expect(office.locator("#batch-state")).to_have_text("已生成全部准考证。")
    expect(office.locator("#batch-done")).to_have_text("4")
    snap(office, "a10-ticket-batch")
    batch = TicketBatch.objects.get(exam=exam)
    assert (batch.status, batch.done, batch.total) == ("done", 4, 4)


def office_checks_a_qr_code(office, seat):
    from playwright.sync_api import expect

    office.goto(reverse("exams:ticket_verify"))
    office.get_by_label("扫描得到的二维码内容").fill(tickets.qr_text(seat))
    office.get_by_role("button", name="核验").click()
    expect(office.locator(".alert-success")).to_contain_text("有效")
    expect(office.locator(".alert-success")).to_contain_text(seat.ticket_number)
    snap(office, "a11-ticket-verify")


# --- The candidate on a phone -----------------------------------------------------------------


def candidate_logs_in(page, phone):
    page.goto("/exams/me/login/")
    page.fill("#id_identifier", phone)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/exams/me/login/" not in page.url, "the candidate could not log in"


def pdf_text(data: bytes, folder: Path) -> str | None:
    """The PDF's text by poppler's pdftotext, when installed."""
    pdftotext = shutil.which("pdftotext")
    if not pdftotext:
        return None
    path = folder / "ticket.pdf"
    path.write_bytes(data)
    run = subprocess.run([pdftotext, str(path), "-"], capture_output=True, check=True)  # noqa: S603
    return run.stdout.decode()


def candidate_prints_the_ticket(page, application, seat, tmp_path):
    from playwright.sync_api import expect

    page.goto(reverse("exams:application_detail", args=[application.pk]))
    link = page.get_by_role("link", name="打印准考证")
    expect(link).to_be_visible()
    assert_fits(page, "application page with the ticket link")
    snap(page, "c01-application-ticket")
    href = link.get_attribute("href")
    assert href == reverse("exams:ticket_download", args=[application.pk])
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    text = pdf_text(body, tmp_path)
    if text is not None:
        assert seat.ticket_number in text
        assert "王考生" in text and "鞍山市第一中学考点" in text
    return href


def candidate_sees_scores_not_yet_published(page, application):
    from playwright.sync_api import expect

    page.goto(reverse("exams:application_detail", args=[application.pk]))
    page.get_by_role("link", name="查询成绩").click()
    expect(page.locator("#not-published")).to_contain_text("尚未公布")
    expect(page.locator("#written")).to_have_count(0)
    assert_fits(page, "scores before publication")
    snap(page, "c02-scores-not-published")


def candidate_sees_the_score(page, application):
    from playwright.sync_api import expect

    page.reload()
    expect(page.locator("#not-published")).to_have_count(0)
    expect(page.locator("#written")).to_have_text("75.25")
    expect(page.locator("#rank")).to_have_text("第2名 / 3人")
    expect(page.locator("main")).to_contain_text("已达到")
    expect(page.locator("main")).to_contain_text("70.50")
    assert_fits(page, "published scores")
    snap(page, "c03-scores-published")
    # The review form is there within the window; a phone-sized page still.
    expect(page.get_by_role("button", name="提交复核申请")).to_be_visible()


# --- The exam office: rules, import, publication ----------------------------------------------


def set_rules(office, exam):
    from playwright.sync_api import expect

    office.goto(reverse("exams:scores_exam", args=[exam.pk]))
    expect(office.locator("main")).to_contain_text("尚未设置计分规则")
    snap(office, "a12-scores-empty")
    office.get_by_role("link", name="设置", exact=True).click()
    office.locator("#id_min_written").fill("60")
    office.locator("#id_interview_ratio").fill("3")
    office.locator("#id_weight_01").fill("0.5")
    office.locator("#id_weight_02").fill("0.5")
    snap(office, "a13-scores-rules")
    office.get_by_role("button", name="提交").click()
    expect(office.locator(".alert-success")).to_contain_text("已保存计分规则")
    expect(office.locator("main")).to_contain_text("行政职业能力测验×0.5 + 申论×0.5")


def import_scores(office, exam, tmp_path):
    from playwright.sync_api import expect

    with office.expect_download() as download:
        office.get_by_role("link", name="下载导入模板（含准考证号）").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    book = openpyxl.load_workbook(template)
    sheet = book.active
    assert [c.value for c in sheet[1]] == ["准考证号", "姓名", "行政职业能力测验", "申论"]
    tickets_in_file = {}
    for row in sheet.iter_rows(min_row=2):
        _phone, first, second = CANDIDATES[row[1].value]
        row[2].value = first if first == "缺考" else float(first)
        row[3].value = second if second == "缺考" else float(second)
        tickets_in_file[row[1].value] = row[0].value
    scores = tmp_path / "scores.xlsx"
    book.save(scores)

    office.get_by_role("link", name="导入笔试成绩 (.xlsx)").click()
    office.get_by_label("成绩文件（.xlsx）").set_input_files(str(scores))
    snap(office, "a14-scores-import")
    office.get_by_role("button", name="上传并检查").click()
    expect(office.locator("#count-good")).to_have_text("4")
    expect(office.locator("#count-absent")).to_have_text("1")
    expect(office.locator("#count-error")).to_have_text("0")
    expect(office.locator("main")).to_contain_text("尚未写入任何数据")
    snap(office, "a15-scores-dry-run")
    assert not Result.objects.filter(application__exam=exam).exists()  # a dry run

    office.get_by_role("button", name="全部导入").click()
    expect(office.locator(".alert-success")).to_contain_text("成绩已导入")
    expect(office.locator("#count-scored")).to_have_text("3")
    expect(office.locator("#count-passed")).to_have_text("3")
    snap(office, "a16-scores-imported")
    return tickets_in_file


def publish_scores(office, exam):
    from playwright.sync_api import expect

    office.locator("#id_published_at").fill(
        local_input(timezone.now() - datetime.timedelta(minutes=1))
    )
    office.once("dialog", lambda dialog: dialog.accept())
    office.get_by_role("button", name="设定发布时间").click()
    expect(office.locator(".alert-success")).to_contain_text("已设定成绩发布时间")
    expect(office.locator("main")).to_contain_text("成绩已发布")
    snap(office, "a17-scores-published")

    office.get_by_role("link", name="210300200001").click()
    expect(office.locator("tbody tr", has_text="赵考生")).to_contain_text("87.50")
    snap(office, "a18-scores-position")


def test_seats_are_drawn_the_ticket_printed_and_scores_published_and_seen(
    new_page, journey, tmp_path
):
    exam, apps = journey["exam"], journey["apps"]
    mine, other = apps["王考生"], apps["赵考生"]

    office = new_page(STAFF)
    log_in(office, journey["office"].username)
    add_session(office, exam)
    add_site_and_rooms(office, exam)
    draw = draw_seats(office, exam)

    seats = Seat.objects.filter(application__exam=exam).select_related("room__site")
    assert seats.count() == 4 and {s.draw_id for s in seats} == {draw.pk}
    assert {s.room.site.code for s in seats} == {"01"}
    assert {s.room.code for s in seats} == {"01", "02"}  # rooms filled in code order
    assert ExamRoom.objects.filter(site__exam=exam).count() == 2
    seat = seats.get(application=mine)
    area = exam.areas.get()
    expected = seating.ticket_number(exam.code, area.code, "01", seat.room.code, seat.number)
    assert seat.ticket_number == expected
    office_sees_the_seats(office, exam, draw)
    office_checks_a_qr_code(office, seat)

    page = new_page(**PHONE_DEVICE)
    candidate_logs_in(page, CANDIDATES["王考生"][0])
    ticket_url = candidate_prints_the_ticket(page, mine, seat, tmp_path)
    # Someone else's ticket is not there at all for another candidate.
    stranger = new_page(**PHONE_DEVICE)
    candidate_logs_in(stranger, CANDIDATES["赵考生"][0])
    assert stranger.request.get(ticket_url).status == 404
    own = reverse("exams:ticket_download", args=[other.pk])
    assert stranger.request.get(own).body().startswith(b"%PDF")

    set_rules(office, exam)
    in_file = import_scores(office, exam, tmp_path)
    assert in_file == {s.application.candidate.name: s.ticket_number for s in seats}
    candidate_sees_scores_not_yet_published(page, mine)  # imported, not yet published

    publish_scores(office, exam)
    candidate_sees_the_score(page, mine)

    results = {
        r.application.candidate.name: r
        for r in Result.objects.filter(application__exam=exam).select_related(
            "application__candidate"
        )
    }
    assert results["王考生"].written == Decimal("75.25")
    assert results["赵考生"].written == Decimal("87.50")
    assert results["钱考生"].written == Decimal("60.50")
    assert [results[n].written_rank for n in ("赵考生", "王考生", "钱考生")] == [1, 2, 3]
    assert results.get("孙考生") is None or results["孙考生"].written is None


# --- After the written exam: a candidate's records, the hiring notice -------------------------


@pytest.fixture
def hired(settings):
    """A violation recorded against one candidate, and a published proposed-hire notice for the
    position (scores, interview, composite, physical and inspection done by the services)."""
    from renshi.exams.models import ExamSession, HireStep
    from renshi.exams.services import hiring, incidents
    from renshi.exams.tests.factories_scores import seat as give_seat
    from renshi.exams.tests.test_hiring import interviewed

    now = timezone.now()
    with transaction.atomic():
        office = UserFactory(role=Role.EXAM_OFFICE, full_name="孙考务", username="exam_office_b")
        exam = make_exam(name="2026年鞍山市公务员考试录用（公示浏览器测试）")
        position = make_position(
            exam, code="210300200002", hiring_unit_name="鞍山市司法局", title="法律事务岗"
        )
        first, second = interviewed(position, [(90, 88), (85, 80)])
        session = ExamSession.objects.create(
            exam=exam, code="AM", name="上午", starts_at=now - datetime.timedelta(hours=3),
            ends_at=now - datetime.timedelta(hours=1),
        )  # fmt: skip
        give_seat(second)
        incidents.incident_record(
            actor=office, application=second, session=session, kind="violation",
            description="开考后发现其桌斗内放有与考试内容相关的复习资料，当场收缴。",
            decision="本场考试成绩无效",
        )  # fmt: skip
        hiring.composite_compute(actor=office, exam=exam)
        hiring.physical_list_make(actor=office, exam=exam)
        step = HireStep.objects.get(application=first)
        hiring.step_record(actor=office, step_id=step.pk, stage="physical", outcome="passed")
        hiring.step_record(actor=office, step_id=step.pk, stage="inspection", outcome="passed")
        notice = hiring.notice_create(actor=office, exam=exam)
        hiring.notice_publish(actor=office, notice_id=notice.pk)
    return {"exam": exam, "office": office, "notice": notice, "first": first, "second": second}


def test_a_candidate_sees_their_record_and_everyone_the_hiring_notice_on_a_phone(new_page, hired):
    from playwright.sync_api import expect

    from renshi.core import crypto

    exam, notice, first = hired["exam"], hired["notice"], hired["first"]
    office = new_page(STAFF)
    log_in(office, hired["office"].username)
    office.goto(reverse("exams:interviews_hiring", args=[exam.pk]))
    expect(office.locator("main")).to_contain_text(first.candidate.name)
    snap(office, "a19-hiring")
    office.goto(reverse("exams:interviews_notice", args=[notice.pk]))
    expect(office.locator("main")).to_contain_text(first.candidate.name)
    snap(office, "a20-hire-notice")
    office.goto(reverse("exams:incident_list", args=[exam.pk]))
    expect(office.locator("main")).to_contain_text("本场考试成绩无效")
    snap(office, "a21-incidents")

    # The public notice: anyone, on a phone, no ID numbers.
    public = new_page(**PHONE_DEVICE)
    public.goto(reverse("exams:interviews_public_notices"))
    public.get_by_role("link", name=re.compile(re.escape(notice.title))).click()
    expect(public.locator("main")).to_contain_text(first.candidate.name)
    expect(public.locator("main")).not_to_contain_text(first.candidate.id_number_masked)
    assert_fits(public, "public hiring notice")
    snap(public, "c04-public-notice")

    # The candidate with the violation sees it and its decision.
    second = hired["second"]
    page = new_page(**PHONE_DEVICE)
    candidate_logs_in(page, crypto.decrypt(second.candidate.phone_cipher))
    page.goto(reverse("exams:candidate_incidents"))
    expect(page.locator("main")).to_contain_text("违纪")
    expect(page.locator("main")).to_contain_text("本场考试成绩无效")
    assert_fits(page, "candidate's records")
    snap(page, "c05-my-incidents")
