from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import OutageForm, OutageImportForm
from .common import form_error, utility_required

MAX_CSV_BYTES = 1024 * 1024


def _ids(request):
    return [agency.pk for agency in request.companies]


@utility_required
def outages(request):
    past = request.GET.get("da-qua") == "1"
    return render(
        request,
        "news/officer/outages.html",
        {"outages": selectors.company_outages(_ids(request), include_past=past), "past": past, "now": timezone.now()},
    )


def _arguments(data):
    return {
        "company_id": data["company"],
        "utility": data["utility"],
        "kind": data["kind"],
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "area": data["area"],
        "ward_codes": data["wards"],
        "places": data["places"],
        "reason": data["reason"],
    }


@utility_required
def outage_new(request):
    form = OutageForm(request.POST or None, companies=request.companies)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_outage(staff=request.user, **_arguments(form.cleaned_data))
        except services.NewsError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Đã đăng lịch. Người dân khu vực sẽ được báo trước một ngày."))
            return redirect("news_officer:outages")
    return render(request, "news/officer/outage_form.html", {"form": form, "outage": None})


@utility_required
def outage_edit(request, pk):
    outage = selectors.outage_for_staff(_ids(request), pk)
    if request.method == "POST":
        form = OutageForm(request.POST, companies=request.companies)
        if form.is_valid():
            try:
                services.save_outage(staff=request.user, outage_id=pk, **_arguments(form.cleaned_data))
            except services.NewsError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Đã lưu lịch."))
                return redirect("news_officer:outages")
    else:
        local = timezone.localtime
        form = OutageForm(
            companies=request.companies,
            initial={
                "company": outage.company_id,
                "utility": outage.utility,
                "kind": outage.kind,
                "starts_at": local(outage.starts_at),
                "ends_at": local(outage.ends_at),
                "area": outage.area,
                "wards": list(outage.wards.values_list("code", flat=True)),
                "places": outage.places,
                "reason": outage.reason,
            },
        )
    return render(request, "news/officer/outage_form.html", {"form": form, "outage": outage})


@utility_required
@require_POST
def outage_cancel(request, pk):
    selectors.outage_for_staff(_ids(request), pk)
    services.cancel_outage(staff=request.user, outage_id=pk)
    messages.success(request, _("Đã hủy lịch."))
    return redirect("news_officer:outages")


@utility_required
def outage_import(request):
    form = OutageImportForm(request.POST or None, request.FILES or None, companies=request.companies)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            form.add_error("file", _("Tệp quá lớn (tối đa 1 MB)."))
        else:
            try:
                created = services.import_outages(
                    staff=request.user, company_id=form.cleaned_data["company"], data=upload.read()
                )
            except services.NewsError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Đã nhập %(n)s lịch.") % {"n": len(created)})
                return redirect("news_officer:outages")
    return render(request, "news/officer/outage_import.html", {"form": form, "columns": services.outages.CSV_COLUMNS})
