"""The officer site for PAKN reports (/can-bo/phan-anh/): the agency queue, a report's workspace, the
1022 centre's triage queue, city-wide board, phone intake and caller lookup, and the figures.

Views are thin: reads go through feedback.officer_access (what this person may see: anything else is
a 404), writes through feedback.services (which check roles and states again and log every step).
"""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from government.access import officer_required
from government.models import AdministrativeUnit, Agency, AgencyKind, Membership

from . import deadlines, officer_pagecache, services, stats
from . import photos as photo_pipeline
from .models import (
    Answer,
    AnswerStatus,
    AnswerTemplate,
    Category,
    EventKind,
    Notification,
    Report,
    ReportPhoto,
    ReportStatus,
)
from .officer_access import HANDLER_ROLES, get_report_or_404, reports_for, roles_for
from .officer_forms import IntakeForm, LookupForm

PAGE_SIZE = 25
FAR_FUTURE = dt.datetime(2999, 1, 1, tzinfo=dt.UTC)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


# --- Access -------------------------------------------------------------------------------------


def pakn_required(view):
    """Officer pages for PAKN: signed-in officers, leaders or 1022 operators; anyone else a 404."""

    @officer_required
    def wrapped(request, *args, **kwargs):
        request.pakn = roles_for(request.user, request.memberships)
        if not request.pakn.works_pakn:
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def operator_required(view):
    @pakn_required
    def wrapped(request, *args, **kwargs):
        if not request.pakn.is_operator:
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- Keyset paging ------------------------------------------------------------------------------


def _encode_cursor(moment, pk):
    return f"{(moment - EPOCH) // dt.timedelta(microseconds=1)}.{pk}"


def _decode_cursor(text):
    try:
        micro, pk = (int(part) for part in (text or "").split("."))
    except ValueError:
        return None
    return EPOCH + dt.timedelta(microseconds=micro), pk


def keyset_page(queryset, field, *, descending, cursor, size=None):
    """One page of `queryset` ordered by (`field`, id), starting after `cursor`; no OFFSET, so page
    1000 costs what page 1 costs. Returns (rows, next cursor or None)."""
    size = size or PAGE_SIZE
    after = _decode_cursor(cursor)
    if after is not None:
        moment, pk = after
        if descending:
            queryset = queryset.filter(Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "pk__lt": pk}))
        else:
            queryset = queryset.filter(Q(**{f"{field}__gt": moment}) | Q(**{field: moment, "pk__gt": pk}))
    order = (f"-{field}", "-pk") if descending else (field, "pk")
    rows = list(queryset.order_by(*order)[: size + 1])
    if len(rows) <= size:
        return rows, None
    rows = rows[:size]
    return rows, _encode_cursor(getattr(rows[-1], field), rows[-1].pk)


CLOCKS = (
    (deadlines.ACCEPT_CLOCK_STATUSES, "accept_due_at"),
    (deadlines.ANSWER_CLOCK_STATUSES, "answer_due_at"),
)


def due_page(queryset, statuses, clock, *, cursor, window="", size=None):
    """One page of the reports of `queryset` in `statuses`, the running deadline first (overdue, then
    due soon, then later). Every state listed must be one where a clock runs.

    The deadline is accept_due_at for reports waiting to be accepted and answer_due_at for reports
    being answered. Rather than sorting every open report by a computed value, each group is read in
    the order of its own column, ids only, from a small partial index (feedback.models), and the two
    short lists are merged; then the page's rows are read by id. The cost of a page does not grow
    with the number of open reports. A report whose clock never started comes after the dated ones.
    `window` "qua-han" keeps the overdue reports only, "sap-den-han" those due soon.
    """
    size = size or PAGE_SIZE
    after = _decode_cursor(cursor)
    moment, after_pk = after if after is not None else (None, None)
    keys = []
    for clock_statuses, field in CLOCKS:
        wanted = [status for status in clock_statuses if status in statuses]
        if not wanted:
            continue
        part = queryset.filter(status__in=wanted)
        if window == "qua-han":
            part = part.filter(**{f"{field}__lt": clock.now})
        elif window == "sap-den-han":
            part = part.filter(**{f"{field}__gte": clock.now, f"{field}__lt": clock.soon})
        if moment == FAR_FUTURE:
            part = part.filter(**{f"{field}__isnull": True, "pk__gt": after_pk})
        elif moment is not None:
            part = part.filter(
                Q(**{f"{field}__gt": moment})
                | Q(**{field: moment, "pk__gt": after_pk})
                | Q(**{f"{field}__isnull": True})
            )
        ordered = part.order_by(F(field).asc(nulls_last=True), "pk").values_list(field, "pk")[: size + 1]
        keys += [(due or FAR_FUTURE, pk) for due, pk in ordered]
    keys.sort()
    following = _encode_cursor(*keys[size - 1]) if len(keys) > size else None
    keys = keys[:size]
    rows = {row.pk: row for row in clock.annotate(_listing(Report.objects.filter(pk__in=[pk for _due, pk in keys])))}
    return [rows[pk] for _due, pk in keys if pk in rows], following


def _next_url(request, cursor):
    if not cursor:
        return ""
    params = request.GET.copy()
    params["sau"] = cursor
    return "?" + params.urlencode()


class Clock:
    """ "Now" and "due soon from now", read once per request (the calendar costs a query)."""

    def __init__(self):
        self.now = timezone.now()
        self.soon = deadlines.due_soon_threshold(self.now)

    def overdue(self):
        return deadlines.overdue_q(self.now)

    def due_soon(self):
        return deadlines.due_soon_q(self.now, soon=self.soon)

    def annotate(self, queryset):
        return deadlines.with_deadline_state(queryset, self.now, soon=self.soon)


# --- Agency queue -------------------------------------------------------------------------------

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


def _apply_filters(queryset, params, clock, *, deadline_filter=True):
    """The queue's filters; each is ignored when empty or malformed. Lists read through `due_page`
    leave the deadline filter to it (deadline_filter=False)."""
    category = params.get("linh-vuc", "")
    if category.isdigit():
        queryset = queryset.filter(Q(category_id=category) | Q(category__parent_id=category))
    unit = params.get("phuong", "")
    if unit.isdigit():
        queryset = queryset.filter(unit_id=unit)
    officer = params.get("can-bo", "")
    if officer == "chua-giao":
        queryset = queryset.filter(assignee__isnull=True)
    elif officer.isdigit():
        queryset = queryset.filter(assignee_id=officer)
    deadline = params.get("han", "") if deadline_filter else ""
    if deadline == "qua-han":
        queryset = queryset.filter(clock.overdue())
    elif deadline == "sap-den-han":
        queryset = queryset.filter(clock.due_soon())
    query = params.get("q", "").strip()
    if query:
        from smarthp.text import search_key

        queryset = queryset.filter(search_key__contains=search_key(query))
    return queryset


def _filter_values(params):
    """The filters as the form shows them back (the query keys are Vietnamese slugs)."""
    return {
        "category": params.get("linh-vuc", ""),
        "unit": params.get("phuong", ""),
        "officer": params.get("can-bo", ""),
        "deadline": params.get("han", ""),
        "q": params.get("q", ""),
    }


def _listing(queryset):
    """What a list row shows, and no more (a ward's boundary can weigh hundreds of kilobytes)."""
    return queryset.select_related("category", "category__parent", "unit", "agency", "assignee").defer(
        "description", "search_key", "unit__boundary", "unit__search_key"
    )


def _handling_scope(request):
    return request.pakn.handling_agency_ids


def _city_scope(request):
    return None


def _figures_scope(request):
    return None if request.pakn.is_operator else request.pakn.handling_agency_ids


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
            "unread": Notification.objects.filter(user=request.user, read_at__isnull=True).count(),
        },
    )


# --- 1022 centre --------------------------------------------------------------------------------

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


# --- Workspace ----------------------------------------------------------------------------------


def _workspace_report(request, code):
    queryset = reports_for(request.pakn).select_related(
        "category", "category__parent", "urgency", "unit", "agency", "assignee", "reporter", "merged_into"
    )
    return get_report_or_404(request.pakn, code, queryset)


def _transfer_deadline(report, events):
    """The 5-working-day limit to send the report back, from when it reached its agency."""
    if report.status not in (ReportStatus.ASSIGNED, ReportStatus.IN_PROGRESS):
        return None
    received = report.routed_at or report.created_at
    for event in events:
        if event.kind in (EventKind.ROUTED, EventKind.TRANSFERRED) and event.agency_id == report.agency_id:
            received = event.created_at
    return deadlines.transfer_deadline(received)


@pakn_required
def workspace(request, code):
    """One report: its content, deadlines, timeline (internal steps included), and the actions this
    person may take in its present state."""
    roles = request.pakn
    report = _workspace_report(request, code)
    photos = list(ReportPhoto.objects.filter(report=report))
    answers = list(Answer.objects.filter(report=report).select_related("author", "approved_by"))
    for answer in answers:
        answer.photo_list = [photo for photo in photos if photo.answer_id == answer.pk]
    events = list(report.events.select_related("actor", "agency"))
    handler = roles.works_at(report.agency_id)
    leader = roles.leads(report.agency_id)
    working = next((a for a in reversed(answers) if a.status in (AnswerStatus.DRAFT, AnswerStatus.SENT_BACK)), None)
    pending = next((a for a in answers if a.status == AnswerStatus.PENDING), None)

    answer_text = working.text if working else ""
    templates = []
    if handler and report.status in services.ANSWERING:
        templates = list(
            AnswerTemplate.objects.filter(
                Q(category_id__in=[report.category_id, report.category.parent_id]) | Q(category__isnull=True),
                Q(agency=report.agency) | Q(agency__isnull=True),
            )
        )
        chosen = next((t for t in templates if str(t.pk) == request.GET.get("mau")), None)
        if chosen is not None:
            answer_text = chosen.body
    officers = []
    if leader and report.status in services.AGENCY_OPEN:
        officers = list(
            {
                m.user_id: m.user
                for m in Membership.objects.active()
                .filter(agency=report.agency, role__in=HANDLER_ROLES)
                .select_related("user")
                .order_by("user__full_name", "user__username")
            }.values()
        )
    agencies = []
    if roles.is_operator and report.status in services.CENTRE_OPEN:
        agencies = list(
            Agency.objects.filter(is_active=True).exclude(kind=AgencyKind.HOTLINE).only("pk", "name").order_by("name")
        )
    state = deadlines.deadline_state(report)
    open_for_agency = handler and report.merged_into_id is None
    return render(
        request,
        "feedback/officer/workspace.html",
        {
            "roles": roles,
            "report": report,
            "report_photos": [p for p in photos if p.answer_id is None],
            "answers": answers,
            "working_answer": working,
            "pending_answer": pending,
            "answer_text": answer_text,
            "templates": templates,
            "events": events,
            "officers": officers,
            "agencies": agencies,
            "deadline": state,
            "transfer_due_at": _transfer_deadline(report, events) if handler else None,
            "shows_identity": roles.sees_identity(report),
            "needs_answer_photo": services._needs_answer_photo(report.category),
            "photo_accept": photo_pipeline.ACCEPT_ATTRIBUTE,
            "can": {
                "accept": open_for_agency and report.status == ReportStatus.ASSIGNED,
                "assign": leader and report.merged_into_id is None and report.status in services.AGENCY_OPEN,
                "answer": open_for_agency and report.status in services.ANSWERING and pending is None,
                "approve": leader and pending is not None and report.status in services.ANSWERING,
                "reject": report.merged_into_id is None
                and (
                    (roles.is_operator and report.status in services.CENTRE_OPEN)
                    or (handler and report.status in services.AGENCY_OPEN)
                ),
                "return": open_for_agency and report.status in (ReportStatus.ASSIGNED, ReportStatus.IN_PROGRESS),
                "route": roles.is_operator and report.status in services.CENTRE_OPEN and report.merged_into_id is None,
                "merge": report.merged_into_id is None and report.status in services.CENTRE_OPEN,
                "correct": report.merged_into_id is None and report.status in services.CENTRE_OPEN,
                "close": report.status == ReportStatus.ANSWERED,
            },
        },
    )


def _version(request):
    value = request.POST.get("version", "")
    if not value.isdigit():
        raise services.ReportActionError(_("Biểu mẫu đã cũ. Vui lòng tải lại trang."))
    return int(value)


def _act_accept(request, report):
    services.accept_report(report_id=report.pk, actor=request.user, expected_version=_version(request))
    return _("Đã tiếp nhận phản ánh.")


def _act_assign(request, report):
    services.assign_officer(
        report_id=report.pk,
        actor=request.user,
        officer_id=request.POST.get("officer", ""),
        expected_version=_version(request),
    )
    return _("Đã giao cán bộ xử lý.")


def _act_note(request, report):
    services.add_internal_note(report_id=report.pk, actor=request.user, text=request.POST.get("text", ""))
    return _("Đã thêm ghi chú nội bộ.")


def _act_answer(request, report):
    submit = request.POST.get("submit") == "1"
    answer = services.save_answer(
        report_id=report.pk,
        actor=request.user,
        text=request.POST.get("text", ""),
        photos=request.FILES.getlist("photos"),
        submit=submit,
        expected_version=_version(request),
    )
    if not submit:
        return _("Đã lưu bản nháp trả lời.")
    if answer.status == AnswerStatus.PENDING:
        return _("Đã gửi trả lời cho lãnh đạo duyệt.")
    return _("Đã công bố trả lời.")


def _act_approve(request, report):
    services.approve_answer(
        report_id=report.pk,
        actor=request.user,
        text=request.POST.get("text"),
        expected_version=_version(request),
    )
    return _("Đã duyệt và công bố trả lời.")


def _act_send_back(request, report):
    services.send_back_answer(
        report_id=report.pk,
        actor=request.user,
        reason=request.POST.get("reason", ""),
        expected_version=_version(request),
    )
    return _("Đã trả lại bản trả lời để sửa.")


def _act_reject(request, report):
    services.reject_report(
        report_id=report.pk,
        actor=request.user,
        reason=request.POST.get("reason", ""),
        expected_version=_version(request),
    )
    return _("Đã từ chối tiếp nhận phản ánh.")


def _act_return(request, report):
    services.return_to_centre(
        report_id=report.pk,
        actor=request.user,
        reason=request.POST.get("reason", ""),
        expected_version=_version(request),
    )
    return _("Đã trả lại phản ánh cho Trung tâm 1022.")


def _act_route(request, report):
    services.route_to_agency(
        report_id=report.pk,
        actor=request.user,
        agency_id=request.POST.get("agency", ""),
        reason=request.POST.get("reason", ""),
        expected_version=_version(request),
    )
    return _("Đã chuyển phản ánh cho cơ quan xử lý.")


def _act_merge(request, report):
    services.merge_duplicate(
        report_id=report.pk,
        actor=request.user,
        original_code=request.POST.get("original", ""),
        expected_version=_version(request),
    )
    return _("Đã gộp phản ánh trùng.")


def _act_hide_photo(request, report):
    services.set_photo_hidden(
        report_id=report.pk,
        actor=request.user,
        photo_id=int(request.POST["photo"]) if request.POST.get("photo", "").isdigit() else 0,
        hidden=request.POST.get("hidden") == "1",
        expected_version=_version(request),
    )
    return _("Đã cập nhật ảnh.")


def _act_blur_photo(request, report):
    photo = request.POST.get("photo", "")
    services.blur_photo(
        report_id=report.pk,
        actor=request.user,
        photo_id=int(photo) if photo.isdigit() else 0,
        box=[request.POST.get(key, "") for key in ("left", "top", "width", "height")],
        expected_version=_version(request),
    )
    return _("Đã làm mờ vùng đã chọn của ảnh.")


def _act_close(request, report):
    services.close_report(report_id=report.pk, actor=request.user, expected_version=_version(request))
    return _("Đã đóng phản ánh.")


ACTIONS = {
    "tiep-nhan": _act_accept,
    "giao-can-bo": _act_assign,
    "ghi-chu": _act_note,
    "tra-loi": _act_answer,
    "duyet": _act_approve,
    "yeu-cau-sua": _act_send_back,
    "tu-choi": _act_reject,
    "tra-lai-1022": _act_return,
    "chuyen-co-quan": _act_route,
    "gop": _act_merge,
    "an-anh": _act_hide_photo,
    "lam-mo-anh": _act_blur_photo,
    "dong": _act_close,
}


def _after_action(request, report):
    """Back to the workspace, or to the queue when the report has left this person's sight."""
    if reports_for(request.pakn).filter(pk=report.pk).exists():
        return redirect("feedback_officer:workspace", code=report.code)
    return redirect("feedback_officer:queue")


@require_POST
@pakn_required
def act(request, code, action):
    """Run one workspace action. A refusal (stale screen, wrong state, bad input) is shown as a
    message on the fresh workspace, and nothing has changed."""
    report = _workspace_report(request, code)
    handler = ACTIONS[action]
    try:
        done = handler(request, report)
    except services.ReportActionError as exc:
        messages.error(request, exc.message)
        return redirect("feedback_officer:workspace", code=report.code)
    messages.success(request, done)
    return _after_action(request, report)


@pakn_required
def correct(request, code):
    """Correct a report's category or place; the routing rules may send it to another agency."""
    report = _workspace_report(request, code)
    if report.merged_into_id or report.status not in services.CENTRE_OPEN:
        raise Http404
    if request.method == "POST":
        try:
            services.correct_report(
                report_id=report.pk,
                actor=request.user,
                category_id=request.POST.get("category") or None,
                unit_code=request.POST.get("unit") or None,
                address=request.POST.get("address"),
                reason=request.POST.get("reason", ""),
                expected_version=_version(request),
            )
        except services.ReportActionError as exc:
            messages.error(request, exc.message)
            return redirect("feedback_officer:correct", code=report.code)
        messages.success(request, _("Đã sửa thông tin phản ánh."))
        return _after_action(request, report)
    return render(
        request,
        "feedback/officer/correct.html",
        {
            "roles": request.pakn,
            "report": report,
            "categories": Category.objects.filter(is_active=True).select_related("parent"),
            "units": AdministrativeUnit.objects.only("code", "name"),
        },
    )


@pakn_required
def redact(request, code):
    """Edit the public text of a report and hide or blur its photos before publication."""
    report = _workspace_report(request, code)
    if request.method == "POST":
        try:
            services.redact_report(
                report_id=report.pk,
                actor=request.user,
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
                reason=request.POST.get("reason", ""),
                expected_version=_version(request),
            )
        except services.ReportActionError as exc:
            messages.error(request, exc.message)
            return redirect("feedback_officer:redact", code=report.code)
        messages.success(request, _("Đã biên tập nội dung phản ánh."))
        return redirect("feedback_officer:workspace", code=report.code)
    return render(
        request,
        "feedback/officer/redact.html",
        {"roles": request.pakn, "report": report, "photos": list(ReportPhoto.objects.filter(report=report))},
    )


@pakn_required
def photo(request, code, pk, size="full"):
    """A report or answer photo for the officers who may see the report, hidden or draft ones too."""
    report = _workspace_report(request, code)
    item = ReportPhoto.objects.filter(report=report, pk=pk).first()
    if item is None:
        raise Http404
    return photo_pipeline.serve(item, size)


# --- Figures ------------------------------------------------------------------------------------


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
