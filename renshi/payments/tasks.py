"""Background tasks of the payments app (django.tasks API; `manage.py db_worker` runs them)."""

import contextlib

from django_tasks import default_task_backend, task
from django_tasks.exceptions import InvalidTaskError

from renshi.payments import services
from renshi.payments.models import SimNotification
from renshi.payments.sim import notices


@task()
def query_stale_orders(minutes: int | None = None) -> dict:
    """Orders still paying after a few minutes are asked about at the gateway (lost notices)."""
    counts = services.query_stale_orders(minutes=minutes)
    counts["refunds"] = services.refund_follow_up()
    return counts


@task()
def refund_submit(refund_id: int) -> None:
    services.refund_submit(refund_id)


@task()
def sim_deliver(notification_id: int) -> None:
    """The simulated provider sends one notification; a failed one is tried again on schedule."""
    note = SimNotification.objects.select_related("trade").get(pk=notification_id)
    if notices.deliver(note) or note.next_attempt_at is None:
        return
    if default_task_backend.supports_defer:
        # Otherwise `manage.py paysim_deliver` (or the sim_deliver_due task) sweeps what is due.
        with contextlib.suppress(InvalidTaskError):
            sim_deliver.using(run_after=note.next_attempt_at).enqueue(note.pk)


@task()
def sim_deliver_due() -> int:
    return notices.deliver_due()
