"""The agency's queue: tabs, filters and deadline order."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from government.models import AdministrativeUnit
from notices import selectors as notice_selectors

from .. import officer_pagecache, services
from ..models import (
    Answer,
    AnswerStatus,
    Category,
    Report,
    ReportStatus,
)
from ..officer_access import HANDLER_ROLES
from .common import (
    Clock,
    _apply_filters,
    _filter_values,
    _listing,
    _next_url,
    due_page,
    keyset_page,
    pakn_required,
)

QUEUE_TABS = {
    "can-xu-ly": (gettext_lazy("Cần xử lý"), Q(status__in=services.AGENCY_OPEN)),
    "moi": (gettext_lazy("Mới"), Q(status=ReportStatus.ASSIGNED)),
    "dang-xu-ly": (gettext_lazy("Đang xử lý"), Q(status__in=services.ANSWERING)),
    "cho-duyet": (
        gettext_lazy("Chờ duyệt"),
        Q(Exists(Answer.objects.filter(report=OuterRef("pk"), status=AnswerStatus.PENDING)))
        & Q(status__in=services.ANSWERING),
    ),
    "da-tra-loi": (gettext_lazy("Đã trả lời"), Q(status=ReportStatus.ANSWERED)),
    "da-tra-lai": (gettext_lazy("Đã trả lại 1022"), Q(status=ReportStatus.RETURNED)),
    "da-dong": (gettext_lazy("Đã đóng"), Q(status__in=[ReportStatus.CLOSED, ReportStatus.REJECTED])),
}


DUE_TABS = {
    "can-xu-ly": services.AGENCY_OPEN,
    "moi": (ReportStatus.ASSIGNED,),
    "dang-xu-ly": services.ANSWERING,
    "cho-duyet": services.ANSWERING,
}


# Finished work, newest report first: the order of the agency index (agency, status, -created_at).
TAB_ORDER = dict.fromkeys(("da-tra-loi", "da-tra-lai", "da-dong"), ("created_at", True))


def _handling_scope(request):
    return request.pakn.handling_agency_ids


@pakn_required
@officer_pagecache.cached_page(_handling_scope)
def queue(request):
    """The agency's queue: what needs doing first (overdue, then due soon), with filters and tabs."""
    roles = request.pakn
    agencies = roles.handling_agencies
    if not agencies:
        return redirect("feedback_officer:board")
    selected = next((a for a in agencies if str(a.pk) == request.GET.get("co-quan")), None)
    scope = [selected.pk] if selected else [a.pk for a in agencies]
    base = Report.objects.filter(agency_id__in=scope)

    tab = request.GET.get("tab", "can-xu-ly")
    if tab not in QUEUE_TABS:
        tab = "can-xu-ly"
    clock = Clock()
    # The tabs that need work, with overdue and due soon: per state over the open reports only (the
    # finished ones, most of an agency's history, are not counted on every visit), plus the answers
    # waiting for approval. Two small queries.
    per_status = {
        item["status"]: item
        for item in base.filter(status__in=[*services.AGENCY_OPEN, ReportStatus.RETURNED])
        .values("status")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=clock.overdue()), soon=Count("pk", filter=clock.due_soon()))
        .order_by()
    }

    def count(*statuses, measure="n"):
        return sum(per_status[status][measure] for status in statuses if status in per_status)

    counts = {
        "can_xu_ly": count(*services.AGENCY_OPEN),
        "moi": count(ReportStatus.ASSIGNED),
        "dang_xu_ly": count(*services.ANSWERING),
        "cho_duyet": base.filter(QUEUE_TABS["cho-duyet"][1]).count(),
        "da_tra_lai": count(ReportStatus.RETURNED),
        "overdue": count(*services.AGENCY_OPEN, measure="overdue"),
        "due_soon": count(*services.AGENCY_OPEN, measure="soon"),
    }
    tabs = [
        {"key": key, "label": label, "count": counts.get(key.replace("-", "_")), "current": key == tab}
        for key, (label, _condition) in QUEUE_TABS.items()
    ]

    if tab in TAB_ORDER:
        listing = _apply_filters(base.filter(QUEUE_TABS[tab][1]), request.GET, clock)
        field, descending = TAB_ORDER[tab]
        rows, cursor = keyset_page(
            _listing(clock.annotate(listing)), field, descending=descending, cursor=request.GET.get("sau")
        )
    else:
        # The tab's states go to due_page, which filters each clock's group with exactly the states of
        # its partial index; other conditions (pending answers) stay on the queryset.
        statuses = DUE_TABS[tab]
        listing = _apply_filters(base, request.GET, clock, deadline_filter=False)
        if tab == "cho-duyet":
            listing = listing.filter(QUEUE_TABS[tab][1])
        rows, cursor = due_page(
            listing, statuses, clock, cursor=request.GET.get("sau"), window=request.GET.get("han", "")
        )

    # Lazy: the filter form is a cached fragment, so these run only when it is drawn again.
    officers = (
        get_user_model()
        .objects.filter(
            memberships__agency_id__in=scope, memberships__role__in=HANDLER_ROLES, memberships__is_active=True
        )
        .distinct()
        .order_by("full_name", "username")
    )
    return render(
        request,
        "feedback/officer/queue.html",
        {
            "roles": roles,
            "agencies": agencies,
            "selected_agency": selected,
            "scope_key": ",".join(str(pk) for pk in scope),
            "tabs": tabs,
            "tab": tab,
            "counts": counts,
            "rows": rows,
            "next_url": _next_url(request, cursor),
            "categories": Category.objects.filter(is_active=True).select_related("parent"),
            "units": AdministrativeUnit.objects.only("code", "name"),
            "officers": officers,
            "filters": _filter_values(request.GET),
            "unread": notice_selectors.unread_count(request.user),
        },
    )
