"""The agency's figures and their export."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render

from .. import officer_pagecache, stats
from .common import (
    pakn_required,
)


def _figures_scope(request):
    return None if request.pakn.is_operator else request.pakn.handling_agency_ids


def _stats_scope(roles):
    return None if roles.is_operator else roles.handling_agency_ids


def _stats_context(request):
    period = stats.period_from_params(request.GET)
    dimension = request.GET.get("theo", stats.BY_AGENCY)
    if dimension not in stats.DIMENSIONS:
        dimension = stats.BY_AGENCY
    table = stats.figures(dimension=dimension, period=period, agency_ids=_stats_scope(request.pakn))
    return period, dimension, table


@pakn_required
@officer_pagecache.cached_page(_figures_scope)
def figures(request):
    """Received, answered, on time, overdue now, median time to answer, satisfaction and reopen rate
    per agency, category or ward over a period, with server-drawn charts and exports."""
    period, dimension, table = _stats_context(request)
    query = urlencode({"thang": period.param, "theo": dimension})
    return render(
        request,
        "feedback/officer/stats.html",
        {
            "roles": request.pakn,
            "period": period,
            "periods": stats.recent_periods(),
            "dimension": dimension,
            "dimensions": stats.DIMENSIONS,
            "table": table,
            "chart": stats.bar_chart(table.rows, "on_time_rate"),
            "satisfaction_chart": stats.bar_chart(table.rows, "satisfaction_rate"),
            "export_query": query,
        },
    )


@pakn_required
def figures_export(request, fmt):
    period, dimension, table = _stats_context(request)
    name = f"thong-ke-phan-anh-{period.param}-{dimension}"
    if fmt == "xlsx":
        response = HttpResponse(
            stats.to_xlsx(table, period),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(stats.to_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
