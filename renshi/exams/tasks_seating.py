"""Background tasks of seating and tickets (django.tasks API; `manage.py db_worker` runs them)."""

from django_tasks import task

from renshi.exams.services import tickets


@task()
def run_ticket_batch(batch_id: int) -> None:
    tickets.ticket_batch_run(batch_id=batch_id)
