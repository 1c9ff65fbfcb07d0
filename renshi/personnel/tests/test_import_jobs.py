import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from renshi.core.models import AuditEvent
from renshi.core.roles import Role
from renshi.core.tests.factories import UserFactory
from renshi.personnel import import_jobs, imports, tasks
from renshi.personnel.models import (
    EstablishmentCategory,
    ImportJob,
    ImportJobStatus,
    Person,
    SlotOccupancy,
)
from renshi.personnel.services import establishment
from renshi.personnel.tests.factories import SYSTEM, id_number, make_clerk, make_unit
from renshi.personnel.tests.test_import import person_row, upload, xlsx

pytestmark = pytest.mark.django_db
NAMES = ["甲", "乙", "丙", "丁", "戊"]  # Excel rows 2…6
HIRE = {"编制类别": "事业编制", "入编文号": "鞍人发〔2026〕5号"}


@pytest.fixture(autouse=True)
def _small_chunks(settings, tmp_path, monkeypatch):
    """Five rows make a background job of three chunks."""
    settings.IMPORT_UPLOAD_DIR = str(tmp_path)
    monkeypatch.setattr(import_jobs, "INLINE_ROWS", 2)
    monkeypatch.setattr(import_jobs, "CHUNK_ROWS", 2)


@pytest.fixture
def world():
    education = make_unit("鞍山市教育局")
    school = make_unit("鞍山市第一中学", parent=education, unit_type="public1")
    establishment.establishment_approve(
        actor=SYSTEM,
        unit=school,
        category=EstablishmentCategory.INSTITUTION,
        approved=10,
        document_number="鞍编发〔2026〕1号",
    )
    return {
        "school": school,
        "owner": make_clerk(education),
        "member": UserFactory(role=Role.PERSONNEL, username="renshike"),
        "outsider": make_clerk(make_unit("鞍山市财政局")),
    }


def five_rows(**cells):
    return [person_row(name, id_number(), **cells) for name in NAMES]


def confirm_job(client, captured, data, mode="all"):
    """Upload, confirm, and run what the confirm handed to the task engine."""
    token = upload(client, data).context["token"]
    with captured(execute=True):
        response = client.post(f"/personnel/import/{token}/confirm/", {"mode": mode})
    return response


def fail_for(monkeypatch, name):
    real = imports.people.person_create

    def person_create(**kwargs):
        if kwargs["name"] == name:
            raise imports.PersonnelError("写入时失败")
        return real(**kwargs)

    monkeypatch.setattr(imports.people, "person_create", person_create)


# --- The job ------------------------------------------------------------------------------------


def test_it_writes_a_large_file_in_a_job_and_shows_the_result(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["owner"])
    response = confirm_job(client, django_capture_on_commit_callbacks, xlsx(five_rows()))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/personnel/import/jobs/{job.pk}/"
    assert (job.user, job.mode, job.status) == (world["owner"], "all", ImportJobStatus.DONE)
    assert (job.total, job.processed, job.created, job.updated, job.failed) == (5, 5, 5, 0, 0)
    assert job.finished_at is not None
    assert Person.objects.count() == 5
    page = client.get(response.url)
    assert "导入完成：新增5人，更新0人" in page.content.decode()
    assert 'href="/personnel/people/"' in page.content.decode()
    status = client.get(f"/personnel/import/jobs/{job.pk}/status/").json()
    assert status | {"percent": 100, "finished": True, "created": 5} == status
    assert list(import_jobs.upload_dir().iterdir()) == []


def test_it_moves_the_progress_after_each_chunk(client, world, monkeypatch):
    seen = []
    real = imports.write_rows

    def write_rows(**kwargs):
        job = ImportJob.objects.get()
        seen.append((job.status, job.processed, job.created))
        real(**kwargs)

    monkeypatch.setattr(imports, "write_rows", write_rows)
    job = _queued_job(client, world, xlsx(five_rows()))
    tasks.run_import_job.enqueue(job.pk)
    assert seen == [("running", 0, 0), ("running", 2, 2), ("running", 4, 4)]
    job.refresh_from_db()
    assert (job.status, job.processed, job.percent) == ("done", 5, 100)


def test_it_shows_a_progress_bar_that_polls_until_done(client, world):
    job = _queued_job(client, world, xlsx(five_rows()))
    ImportJob.objects.filter(pk=job.pk).update(status="running", processed=2)
    page = client.get(f"/personnel/import/jobs/{job.pk}/").content.decode()
    assert 'role="progressbar"' in page and 'aria-valuenow="40"' in page
    assert f"/personnel/import/jobs/{job.pk}/status/" in page and "setTimeout(poll, 1000)" in page
    status = client.get(f"/personnel/import/jobs/{job.pk}/status/").json()
    assert (status["status"], status["percent"], status["finished"]) == ("running", 40, False)


def _queued_job(client, world, data, mode="all"):
    """A job confirmed through the page but not yet run (its on_commit callback dropped)."""
    client.force_login(world["owner"])
    token = upload(client, data).context["token"]
    client.post(f"/personnel/import/{token}/confirm/", {"mode": mode})
    return ImportJob.objects.get()


def _snapshot():
    people = sorted(
        Person.objects.values_list(
            "name", "unit_id", "category", "status", "education", "work_start_date", "phone_masked"
        )
    )
    audit = Counter(AuditEvent.objects.values_list("action", flat=True))
    return people, audit, SlotOccupancy.objects.count()


def test_it_writes_the_same_as_the_inline_path(world):
    data = xlsx([*five_rows(), person_row("己", id_number(), **HIRE)])
    actor = world["owner"]
    with transaction.atomic():
        imports.people_import(
            actor=actor, report=imports.import_check(data, actor), only_valid=False, filename="x"
        )
        inline = _snapshot()
        transaction.set_rollback(True)
    assert Person.objects.count() == 0
    result, problem = import_jobs.write_in_chunks(
        actor=actor, report=imports.import_check(data, actor), only_valid=False, filename="x"
    )
    assert (result.created, problem) == (6, "")
    assert _snapshot() == inline


def test_it_stops_an_all_import_at_a_row_refused_while_writing(
    client, world, django_capture_on_commit_callbacks, monkeypatch
):
    fail_for(monkeypatch, "丁")
    client.force_login(world["owner"])
    confirm_job(client, django_capture_on_commit_callbacks, xlsx(five_rows()))
    job = ImportJob.objects.get()
    assert (job.status, job.processed, job.created) == ("failed", 2, 2)
    assert "第5行：写入时失败。第4行起的行未导入（此前已导入2行）" in job.problem
    assert sorted(Person.objects.values_list("name", flat=True)) == ["乙", "甲"]
    assert AuditEvent.objects.get(action="person.import").after == {"created": 2, "updated": 0}
    assert "导入未完成" in client.get(f"/personnel/import/jobs/{job.pk}/").content.decode()


def test_it_skips_and_lists_a_row_refused_while_writing_good_rows(
    client, world, django_capture_on_commit_callbacks, monkeypatch
):
    fail_for(monkeypatch, "丁")
    client.force_login(world["owner"])
    rows = [*five_rows(), person_row("坏人", 民族="火星族")]
    confirm_job(client, django_capture_on_commit_callbacks, xlsx(rows), mode="valid")
    job = ImportJob.objects.get()
    assert (job.mode, job.status, job.created, job.skipped, job.failed) == ("good", "done", 4, 1, 1)
    assert job.errors == [{"row": 5, "message": "写入时失败"}]
    assert "第5行：写入时失败" in client.get(f"/personnel/import/jobs/{job.pk}/").content.decode()


def test_it_starts_no_job_for_an_all_import_of_a_file_with_errors(client, world):
    client.force_login(world["owner"])
    token = upload(client, xlsx([*five_rows(), person_row(民族="火星族")])).context["token"]
    response = client.post(f"/personnel/import/{token}/confirm/", {"mode": "all"})
    assert "改正后才能全部导入" in response.context["problem"]
    assert not ImportJob.objects.exists() and Person.objects.count() == 0


def test_it_checks_again_when_the_job_runs_and_writes_nothing_if_the_file_no_longer_passes(
    client, world
):
    job = _queued_job(client, world, xlsx(five_rows()))
    world["school"].__class__.objects.filter(pk=world["school"].pk).update(is_active=False)
    tasks.run_import_job.enqueue(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "未导入任何数据" in job.problem
    assert Person.objects.count() == 0


def test_it_runs_a_job_only_once(client, world):
    job = _queued_job(client, world, xlsx(five_rows()))
    import_jobs.import_job_run(job_id=job.pk)
    import_jobs.import_job_run(job_id=job.pk)
    assert Person.objects.count() == 5
    assert AuditEvent.objects.filter(action="person.import").count() == 1


def test_it_keeps_small_files_inline(client, world, monkeypatch):
    monkeypatch.setattr(import_jobs, "INLINE_ROWS", 200)
    client.force_login(world["owner"])
    token = upload(client, xlsx(five_rows())).context["token"]
    response = client.post(f"/personnel/import/{token}/confirm/", {"mode": "all"})
    assert response.context["result"].created == 5 and not ImportJob.objects.exists()


def test_it_enqueues_the_job_on_the_database_backend(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(world["owner"])
    confirm_job(client, django_capture_on_commit_callbacks, xlsx(five_rows()))
    job = ImportJob.objects.get()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "renshi.personnel.tasks.run_import_job"
    assert (queued.status, queued.args_kwargs["args"]) == ("READY", [job.pk])
    assert (job.status, Person.objects.count()) == ("queued", 0)
    # What `manage.py db_worker` does with the row it claims:
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id="test",
        excluded_queue_names=[],
    )
    worker.run_task(queued)
    job.refresh_from_db()
    assert (job.status, job.created, Person.objects.count()) == ("done", 5, 5)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


# --- Who ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_it_shows_a_job_only_to_its_owner(client, world, who):
    job = _queued_job(client, world, xlsx(five_rows()))
    assert client.get(f"/personnel/import/jobs/{job.pk}/").status_code == 200
    client.force_login(world[who])
    assert client.get(f"/personnel/import/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/personnel/import/jobs/{job.pk}/status/").status_code == 404
    assert job.filename not in client.get("/personnel/import/").content.decode()


def test_it_lists_the_owners_recent_jobs_on_the_upload_page(client, world):
    job = _queued_job(client, world, xlsx(five_rows()), mode="valid")
    page = client.get("/personnel/import/").content.decode()
    assert f'href="/personnel/import/jobs/{job.pk}/"' in page and "排队中" in page


def test_it_does_not_start_a_second_job_from_the_same_upload(client, world):
    client.force_login(world["owner"])
    token = upload(client, xlsx(five_rows())).context["token"]
    client.post(f"/personnel/import/{token}/confirm/", {"mode": "all"})
    response = client.post(f"/personnel/import/{token}/confirm/", {"mode": "all"})
    assert response.status_code == 404 and ImportJob.objects.count() == 1


# --- The command --------------------------------------------------------------------------------


def run_command(tmp_path, rows, *args):
    path = tmp_path / "人员.xlsx"
    path.write_bytes(xlsx(rows))
    out = io.StringIO()
    call_command("import_people", str(path), "--unit-scope-user", "renshike", *args, stdout=out)
    return out.getvalue()


def test_the_command_checks_without_writing(world, tmp_path):
    out = run_command(tmp_path, five_rows())
    assert "共5行，新增5，更新0，无变化0，有错误的行0" in out and "未写入任何数据" in out
    assert Person.objects.count() == 0


def test_the_command_reports_errors_by_row_and_column_and_fails(world, tmp_path):
    with pytest.raises(CommandError, match="文件中有1处错误"):
        run_command(tmp_path, [*five_rows(), person_row("坏人", 民族="火星族")])
    assert Person.objects.count() == 0


def test_the_command_writes_with_progress_lines(world, tmp_path):
    out = run_command(tmp_path, five_rows(), "--commit")
    assert "已写入 2/5 行（新增2，更新0，失败0）" in out
    assert "已写入 5/5 行（新增5，更新0，失败0）" in out and "完成：新增5人" in out
    assert Person.objects.count() == 5
    event = AuditEvent.objects.get(action="person.import")
    assert event.actor == world["member"] and event.after == {"created": 5, "updated": 0}


def test_the_command_writes_only_good_rows_when_asked(world, tmp_path):
    with pytest.raises(CommandError, match="改正后才能全部导入"):
        run_command(tmp_path, [*five_rows(), person_row("坏人", 民族="火星族")], "--commit")
    out = run_command(
        tmp_path, [*five_rows(), person_row("坏人", 民族="火星族")], "--commit", "--good-only"
    )
    assert "跳过1行" in out and Person.objects.count() == 5


@pytest.mark.parametrize("username", ["nobody", "bianzhi"])
def test_the_command_refuses_a_user_who_does_not_import(world, tmp_path, username):
    UserFactory(role=Role.ESTABLISHMENT, username="bianzhi")
    path = tmp_path / "人员.xlsx"
    path.write_bytes(xlsx(five_rows()))
    with pytest.raises(CommandError):
        call_command("import_people", str(path), "--unit-scope-user", username)
