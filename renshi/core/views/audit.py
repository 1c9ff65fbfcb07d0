import datetime

from django.core.paginator import Paginator
from django.shortcuts import render

from renshi.core.decorators import role_required
from renshi.core.models import AuditEvent
from renshi.core.roles import VIEW_AUDIT


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@role_required(VIEW_AUDIT)
def audit_list(request):
    """The audit administrator's search over the trail (read-only; nobody can change it)."""
    events = AuditEvent.objects.select_related(None).order_by("-at", "-id")
    q = request.GET
    if q.get("actor"):
        events = events.filter(actor_name__icontains=q["actor"])
    if q.get("action"):
        events = events.filter(action__startswith=q["action"])
    if q.get("object"):
        events = events.filter(object_label__icontains=q["object"])
    if q.get("object_type"):
        events = events.filter(object_type=q["object_type"])
    if start := _date(q.get("start")):
        events = events.filter(at__date__gte=start)
    if end := _date(q.get("end")):
        events = events.filter(at__date__lte=end)
    page = Paginator(events, 50).get_page(q.get("page"))
    actions = (
        AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()[:200]
    )
    return render(request, "core/audit_list.html", {"page": page, "q": q, "actions": actions})
