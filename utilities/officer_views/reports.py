"""Editors' queue of citizens' reports of a wrong place."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..forms import HandleReportForm
from ..models import PlaceReport, PlaceReportStatus
from .common import editor_required

PAGE_SIZE = 50


@editor_required
def queue(request):
    """The open reports, oldest first (the first 50; closing them brings the next)."""
    reports = list(
        PlaceReport.objects.filter(status=PlaceReportStatus.OPEN)
        .select_related("place", "place__unit")
        .defer("place__unit__boundary")
        .order_by("created_at", "pk")[:PAGE_SIZE]
    )
    total = PlaceReport.objects.filter(status=PlaceReportStatus.OPEN).count()
    return render(request, "utilities/officer/reports.html", {"reports": reports, "total": total})


@editor_required
@require_POST
def handle(request, pk):
    form = HandleReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn cách xử lý."))
        return redirect("utilities_officer:reports")
    try:
        services.handle_report(editor=request.user, report_id=pk, status=form.cleaned_data["status"])
    except services.PlaceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xử lý báo cáo."))
    return redirect(
        request.POST.get("next") if request.POST.get("next", "").startswith("/can-bo/") else "utilities_officer:reports"
    )
