"""What every officer page shares: the access decorators and keyset paging of the queues."""

import datetime as dt

from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone

from government.access import officer_required
from smarthp.text import search_key

from .. import deadlines
from ..models import (
    Report,
)
from ..officer_access import get_report_or_404, reports_for, roles_for

PAGE_SIZE = 25
FAR_FUTURE = dt.datetime(2999, 1, 1, tzinfo=dt.UTC)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


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


def _workspace_report(request, code):
    queryset = reports_for(request.pakn).select_related(
        "category", "category__parent", "urgency", "unit", "agency", "assignee", "reporter", "merged_into"
    )
    return get_report_or_404(request.pakn, code, queryset)
