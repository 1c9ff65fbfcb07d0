"""Background tasks of the personnel app (django.tasks API; `manage.py db_worker` runs them)."""

from django_tasks import task

from renshi.personnel import import_jobs


@task()
def run_import_job(job_id: int) -> None:
    import_jobs.import_job_run(job_id=job_id)
