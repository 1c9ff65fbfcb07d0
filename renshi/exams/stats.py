"""Registration figures for the exam office: totals, fees, and submissions per day."""

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate

from renshi.exams.models import Application, ApplicationStatus, FeeStatus


def registration_stats(exam) -> dict:
    apps = Application.objects.filter(exam=exam)
    totals = apps.aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(status=ApplicationStatus.SUBMITTED)),
        approved=Count("pk", filter=Q(status=ApplicationStatus.APPROVED)),
        rejected=Count("pk", filter=Q(status=ApplicationStatus.REJECTED)),
        withdrawn=Count("pk", filter=Q(status=ApplicationStatus.WITHDRAWN)),
        cancelled=Count("pk", filter=Q(status=ApplicationStatus.CANCELLED)),
        paid=Count("pk", filter=Q(fee_status=FeeStatus.PAID)),
        waived=Count("pk", filter=Q(fee_status=FeeStatus.WAIVED)),
        amount=Sum("fee_amount", filter=Q(fee_status=FeeStatus.PAID)),
    )
    daily = (
        apps.annotate(day=TruncDate("submitted_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    return {
        "totals": totals,
        "chart": {
            "days": [f"{row['day']:%m-%d}" for row in daily],
            "submitted": [row["n"] for row in daily],
            "status": [
                {"name": label, "value": totals[key], "itemStyle": {"color": color}}
                for key, label, color in [
                    ("submitted", "待审核", "#f0ad4e"),
                    ("approved", "审核通过", "#2e7d32"),
                    ("rejected", "审核不通过", "#b3261e"),
                    ("withdrawn", "已撤销", "#9e9e9e"),
                    ("cancelled", "职位取消", "#6f42c1"),
                ]
                if totals[key]
            ],
        },
    }
