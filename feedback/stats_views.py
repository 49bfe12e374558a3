"""The public PAKN statistics page (/phan-anh/thong-ke/): each agency's on-time rate and citizens'
satisfaction, with the same figures as the officers' page (feedback.stats), counted every few minutes
and saying when."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import stats

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def public_stats(request):
    period = stats.period_from_params(request.GET)
    table = stats.public_figures(period)
    return render(
        request,
        "feedback/stats_public.html",
        {
            "period": period,
            "periods": stats.recent_periods(),
            "table": table,
            "dimension_label": stats.DIMENSIONS[stats.BY_AGENCY],
            "on_time_chart": stats.bar_chart(table.rows, "on_time_rate"),
            "satisfaction_chart": stats.bar_chart(table.rows, "satisfaction_rate"),
            "refresh_minutes": stats.refresh_minutes(),
        },
    )


@require_GET
def public_stats_export(request, fmt):
    period = stats.period_from_params(request.GET)
    table = stats.public_figures(period)
    if fmt == "xlsx":
        response = HttpResponse(stats.to_xlsx(table, period), content_type=XLSX)
    else:
        response = HttpResponse(stats.to_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="thong-ke-phan-anh-{period.param}.{fmt}"'
    return response
