"""Statistics of the service hall (办件统计): bureau roles only, everyone else gets 404."""

from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone

from renshi.core.decorators import role_required
from renshi.hall import queries, statistics


@role_required(queries.SEE_ALL_CASES)
def stats(request):
    today = timezone.localdate()
    asked = request.GET.get("period", "")
    period = statistics.Period.parse(asked, today)
    if asked and period.key != asked:
        messages.warning(
            request,
            f"统计期间“{asked[:20]}”无效，应为年月（如2026-11）或年份（如2026），已显示{period.label}",
        )
    data = statistics.collect(period, today)
    return render(
        request,
        "hall/stats/stats.html",
        {
            **data,
            "charts": [t.as_json() for t in data["tables"].values() if t.rows],
            "choices": statistics.period_choices(today),
        },
    )
