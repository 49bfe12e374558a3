"""The 1022 centre: triage queue, city-wide board, phone intake and caller lookup."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import officer_pagecache, services
from ..models import (
    Report,
    ReportStatus,
)
from ..officer_forms import IntakeForm, LookupForm
from .common import (
    Clock,
    _apply_filters,
    _listing,
    _next_url,
    due_page,
    operator_required,
)


def _city_scope(request):
    return None


TRIAGE_TABS = {
    "cho-phan-loai": (gettext_lazy("Chờ phân loại"), [ReportStatus.TRIAGE]),
    "bi-tra-lai": (gettext_lazy("Bị trả lại"), [ReportStatus.RETURNED]),
}


@operator_required
@officer_pagecache.cached_page(_city_scope)
def triage(request):
    """The 1022 triage queue: reports no rule could route and reports agencies returned, the centre's
    own deadline first. (Reports still being routed are the sweeper's business, not the centre's.)"""
    tab = request.GET.get("tab", "cho-phan-loai")
    if tab not in TRIAGE_TABS:
        tab = "cho-phan-loai"
    counts = Report.objects.filter(status__in=[s for _l, group in TRIAGE_TABS.values() for s in group]).aggregate(
        **{
            key.replace("-", "_"): Count("pk", filter=Q(status__in=group))
            for key, (_label, group) in TRIAGE_TABS.items()
        }
    )
    tabs = [
        {"key": key, "label": label, "count": counts[key.replace("-", "_")], "current": key == tab}
        for key, (label, _group) in TRIAGE_TABS.items()
    ]
    clock = Clock()
    listing = _apply_filters(Report.objects.all(), request.GET, clock, deadline_filter=False)
    rows, cursor = due_page(listing, TRIAGE_TABS[tab][1], clock, cursor=request.GET.get("sau"))
    return render(
        request,
        "feedback/officer/triage.html",
        {"roles": request.pakn, "tabs": tabs, "tab": tab, "rows": rows, "next_url": _next_url(request, cursor)},
    )


BOARD_CACHE_KEY = "pakn-board-summary:v1"


def _board_summary(open_statuses, clock):
    """Open, overdue and due-soon reports per agency: one GROUP BY over every open report in the
    city, so the board shares it for a minute (PAKN_BOARD_CACHE_SECONDS) instead of recounting."""
    return list(
        Report.objects.filter(status__in=open_statuses)
        .values("agency_id", "agency__name")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=clock.overdue()),
            due_soon=Count("pk", filter=clock.due_soon()),
        )
        .order_by("-overdue", "-due_soon", "agency__name")
    )


@operator_required
@officer_pagecache.cached_page(_city_scope)
def board(request):
    """The city-wide board: every agency's open, due-soon and overdue reports, then the overdue list."""
    open_statuses = [*services.AGENCY_OPEN, ReportStatus.TRIAGE, ReportStatus.RETURNED]
    clock = Clock()
    summary = cache.get(BOARD_CACHE_KEY)
    if summary is None:
        summary = _board_summary(open_statuses, clock)
        cache.set(BOARD_CACHE_KEY, summary, getattr(settings, "PAKN_BOARD_CACHE_SECONDS", 60))
    totals = {key: sum(row[key] for row in summary) for key in ("open", "overdue", "due_soon")}

    deadline = request.GET.get("han", "qua-han")
    listing = Report.objects.all()
    agency = request.GET.get("co-quan", "")
    if agency.isdigit():
        listing = listing.filter(agency_id=agency)
    if deadline not in ("qua-han", "sap-den-han"):
        deadline = "tat-ca"
    rows, cursor = due_page(listing, open_statuses, clock, cursor=request.GET.get("sau"), window=deadline)
    return render(
        request,
        "feedback/officer/board.html",
        {
            "roles": request.pakn,
            "summary": summary,
            "totals": totals,
            "rows": rows,
            "deadline": deadline,
            "agency_filter": agency,
            "next_url": _next_url(request, cursor),
        },
    )


@operator_required
def intake(request):
    """A 1022 operator enters a phoned-in report for a caller; the caller gets the code by SMS."""
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.intake_phone_report(
                actor=request.user,
                caller_name=data["caller_name"],
                caller_phone=data["caller_phone"],
                category=data["category"],
                unit=data["unit"],
                urgency=data.get("urgency"),
                title=data["title"],
                description=data["description"],
                address=data["address"],
                is_public=data["is_public"],
                hide_identity=data["hide_identity"],
                idempotency_key=data.get("idempotency_key") or None,
            )
        except services.ReportActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Đã ghi nhận phản ánh %(code)s; mã theo dõi đã được gửi tin nhắn cho người gọi.")
                % {"code": report.code},
            )
            return redirect("feedback_officer:workspace", code=report.code)
    return render(request, "feedback/officer/intake.html", {"roles": request.pakn, "form": form})


@operator_required
def lookup(request):
    """Look up a caller's earlier reports by phone number."""
    form = LookupForm(request.GET or None)
    rows = None
    if form.is_valid():
        phone = form.cleaned_data["phone"]
        rows = list(
            _listing(Report.objects.filter(Q(contact_phone=phone) | Q(reporter__phone=phone))).order_by(
                "-created_at", "-pk"
            )[:50]
        )
    return render(request, "feedback/officer/lookup.html", {"roles": request.pakn, "form": form, "rows": rows})
