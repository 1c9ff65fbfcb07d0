from django.http import HttpResponse
from django.shortcuts import redirect, render

from renshi.core import roles
from renshi.core.work_calendar import missing_next_year


def home(request):
    # Visitors who are not logged in land on the public site (人事人才网); staff log in from there.
    if not request.user.is_authenticated:
        return redirect("portal:home")
    context = {}
    if request.user.role in roles.MANAGE_CONFIG:
        context["calendar_missing_year"] = missing_next_year()
    return render(request, "core/home.html", context)


def healthz(request):
    """Liveness for the load balancer; also the benchmarks' yardstick of a minimal view."""
    return HttpResponse("ok", content_type="text/plain")
