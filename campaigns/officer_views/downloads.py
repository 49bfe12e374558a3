"""The downloads: the official lists (XLSX, CSV; large ones by a worker), the chairman's summary,
the monthly report (Phụ lục 01) and its reasons. Every list with names and phones is logged."""

import tempfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import exports, figures, services
from ..access import campaign_required, unit_for
from ..forms import MonthlyReasonsForm
from ..models import ExportJob, JobStatus, MonthlyReport
from .pages import _spec_from_query

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(write, filename):
    """Write into a temporary file (on disk past 1 MB), then stream it: the workbook is never held
    whole in memory, and the file goes when the response is closed."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)


@campaign_required
def export_list(request, code, fmt):
    unit = unit_for(request, code, need="names")
    spec, kind, target = _spec_from_query(request, unit)
    if spec is None or fmt not in ("xlsx", "csv"):
        raise Http404
    named, _others = exports.counts(spec)
    if named > services.sync_rows():
        job = services.request_export_job(
            user=request.user, unit=unit, kind=kind, target_id=target, fmt=fmt, label=spec.heading, total=named
        )
        return redirect("campaigns_officer:job", code, job.pk)
    services.log_export(user=request.user, unit=unit, kind=kind, label=spec.heading, fmt=fmt, named=named)
    filename = f"danh-sach-cai-dat-{code}-{kind}-{target or 0}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(exports.list_csv_lines(spec), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return _xlsx_response(lambda handle: exports.write_list_xlsx(handle, spec), filename)


@campaign_required
def job(request, code, job_id):
    unit = unit_for(request, code, need="names")
    found = get_object_or_404(ExportJob, pk=job_id, unit=unit, user=request.user)
    return render(request, "campaigns/officer/job.html", {"unit": unit, "job": found})


@campaign_required
def job_file(request, code, job_id):
    unit = unit_for(request, code, need="names")
    found = get_object_or_404(ExportJob, pk=job_id, unit=unit, user=request.user, status=JobStatus.DONE)
    try:
        handle = open(services.export_file(found), "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        raise Http404 from None
    filename = f"danh-sach-cai-dat-{code}-{found.pk}.{found.fmt}"
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=XLSX if found.fmt == "xlsx" else "text/csv"
    )


@campaign_required
def summary(request, code):
    """The chairman's summary: figures only (no names), so city staff may have it too."""
    unit = unit_for(request, code)
    data = figures.ward_figures(unit)
    filename = f"tong-hop-cai-dat-{code}-{timezone.localdate():%Y%m%d}.xlsx"
    return _xlsx_response(lambda handle: exports.write_summary_xlsx(handle, data), filename)


def _month(request):
    text = request.GET.get("thang", "")
    try:
        year, month = (int(part) for part in text.split("-"))
        import datetime as dt

        return dt.date(year, month, 1)
    except ValueError:
        return services.report_month()


@campaign_required
def monthly(request, code):
    unit = unit_for(request, code, need="names")
    month = _month(request)
    report = MonthlyReport.objects.filter(unit=unit, month=month).first()
    reasons = report.reasons if report else {}
    live = figures.ward_figures(unit)
    rows = report.rows if report and report.confirmed_at else exports.monthly_rows(live, reasons)
    if request.method == "POST":
        form = MonthlyReasonsForm(request.POST, rows=rows, reasons=reasons)
        if form.is_valid():
            try:
                services.save_monthly_reasons(unit=unit, month=month, reasons=form.reasons())
                if request.POST.get("confirm"):
                    services.confirm_monthly_report(unit=unit, month=month, user=request.user)
                    messages.success(request, _("Đã xác nhận báo cáo tháng %(month)s.") % {"month": f"{month:%m/%Y}"})
                else:
                    messages.success(request, _("Đã lưu lý do."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect(f"{request.path}?thang={month:%Y-%m}")
    else:
        form = MonthlyReasonsForm(rows=rows, reasons=reasons)
    return render(
        request,
        "campaigns/officer/monthly.html",
        {"unit": unit, "month": month, "report": report, "form": form, "rows": rows},
    )


@campaign_required
def monthly_xlsx(request, code):
    unit = unit_for(request, code, need="names")
    month = _month(request)
    report = MonthlyReport.objects.filter(unit=unit, month=month).first()
    if report and report.confirmed_at:
        rows = report.rows
    else:
        rows = exports.monthly_rows(figures.ward_figures(unit), report.reasons if report else {})
    filename = f"phu-luc-01-{code}-{month:%Y-%m}.xlsx"
    return _xlsx_response(
        lambda handle: exports.write_monthly_xlsx(
            handle, unit_name=unit.name, month=month, rows=rows, confirmed_at=report.confirmed_at if report else None
        ),
        filename,
    )


def back_to_ward(code):
    return redirect("campaigns_officer:ward", code)
