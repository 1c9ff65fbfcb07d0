from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from renshi.core import roles
from renshi.core.work_calendar import missing_next_year


@login_required
def home(request):
    context = {}
    if request.user.role in roles.MANAGE_CONFIG:
        context["calendar_missing_year"] = missing_next_year()
    return render(request, "core/home.html", context)


def healthz(request):
    """Liveness for the load balancer; also the benchmarks' yardstick of a minimal view."""
    return HttpResponse("ok", content_type="text/plain")
