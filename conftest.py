import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 at production strength costs ~0.5 s a password; tests hash hundreds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_staff_2fa_by_default(settings):
    """Most tests log in with force_login; the two-factor tests switch it back on."""
    settings.REQUIRE_STAFF_2FA = False


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    """Background tasks run in the test's own thread; one test enqueues on the database backend."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _messages_kept_in_memory(settings):
    """SMS and e-mail go to in-memory outboxes (renshi.core.notify.outbox, django.core.mail)."""
    settings.SMS_BACKEND = "renshi.core.notify.LocmemSMSBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from renshi.core import notify

    notify.outbox.clear()


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_directory(settings, tmp_path):
    """Uploaded photos and proofs land in the test's own directory, never in media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Cached counts, fragments and pages never leak from one test into the next."""
    from django.core.cache import cache

    from renshi.core import pagecache, workdays
    from renshi.exams.views import apply

    cache.clear()
    pagecache.forget()
    apply._positions.clear()
    workdays.clear_cache()


@pytest.fixture(autouse=True)
def _reference_data_after_a_flush(request):
    """A transactional test ends by emptying every table, the migrations' reference data with
    them (code tables, the official working calendar). A transactional test that follows one
    gets them back, whatever order the tests run in. (Not Django's serialized rollback: after a
    plain transactional test's flush has re-created the content types under new ids, restoring
    the serialized database fails on them, and the browser tests ran without code tables.)"""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return
    request.getfixturevalue("transactional_db")
    from renshi.core import codes, work_calendar
    from renshi.core.codetables import load
    from renshi.core.models import CodeItem, CodeTable, WorkCalendarDay

    if not CodeItem.objects.exists():
        load(CodeTable, CodeItem)
        codes.clear_cache()
    if not WorkCalendarDay.objects.exists():
        work_calendar.load_years((2024, 2025, 2026))  # as core.0006 seeds them
