"""Background tasks of the exams app (django.tasks API; `manage.py db_worker` runs them)."""

from django_tasks import task

from renshi.exams.services.tick import exams_tick


@task()
def exams_tick_task() -> dict:
    return exams_tick(say=lambda text: None)
