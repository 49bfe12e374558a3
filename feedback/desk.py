"""PAKN's part of the officer desk (government.desk): what waits in each agency's queue, the answers
waiting for a leader's approval, the 1022 centre's triage, and the links of the navigation bar.

The figures are the queue's and the triage queue's own (the same states, the same deadline rules:
overdue is computed from the due dates, never stored), so a count on the desk is the length of the
list its link opens. They are kept for PAKN_OFFICER_PAGE_CACHE_SECONDS under the agency's generation
(feedback.officer_pagecache), so an officer's own action shows on the next visit.
"""

import hashlib
import time

from django.core.cache import cache
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from government.desk import Item, Link, Section
from government.models import Role
from smarthp.links import url

from . import deadlines, officer_pagecache
from .models import Answer, AnswerStatus, Report, ReportStatus
from .officer_access import roles_for

ROLES = (Role.OFFICER, Role.LEADER, Role.OPERATOR)


def _cached(name, scope, compute):
    """compute(), kept while the generations of `scope` (agency ids, or None for the city) stand and
    within the page cache's time slot, which bounds how late a deadline turning shows."""
    ttl = officer_pagecache.seconds()
    if ttl <= 0:
        return compute()
    # The generations the officer pages are kept under: any saved report or answer of these agencies changes them.
    generation_keys = officer_pagecache.generation_keys(scope)
    slot = int(time.time() // ttl)
    what = f"{name}:{','.join(map(str, scope or ['city']))}:{slot}"
    key = "feedback:desk:" + hashlib.sha256(what.encode()).hexdigest()
    found = cache.get_many([*generation_keys, key])
    generations = ",".join(str(found.get(generation, "0")) for generation in generation_keys)
    stored = found.get(key)
    if stored is not None and stored[0] == generations:
        return stored[1]
    value = compute()
    cache.set(key, (generations, value), ttl)
    return value


def agency_counts(agency_ids):
    """{agency id: {"open", "new", "due_soon", "overdue", "pending"}} over the agencies' open reports:
    what the queue's "Cần xử lý" and "Mới" tabs list, how many of those are overdue or due soon now,
    and how many wait for a leader to approve their answer (the "Chờ duyệt" tab). Three queries."""
    from . import services

    now = timezone.now()
    soon = deadlines.due_soon_threshold(now)
    counts = {pk: dict.fromkeys(("open", "new", "due_soon", "overdue", "pending"), 0) for pk in agency_ids}
    rows = (
        Report.objects.filter(agency_id__in=agency_ids, status__in=services.AGENCY_OPEN)
        .values("agency_id", "status")
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=deadlines.overdue_q(now)),
            due_soon=Count("pk", filter=deadlines.due_soon_q(now, soon=soon)),
        )
        .order_by()
    )
    for row in rows:
        agency = counts[row["agency_id"]]
        agency["open"] += row["n"]
        agency["overdue"] += row["overdue"]
        agency["due_soon"] += row["due_soon"]
        if row["status"] == ReportStatus.ASSIGNED:
            agency["new"] += row["n"]
    pending = (
        Answer.objects.filter(
            status=AnswerStatus.PENDING,
            report__agency_id__in=agency_ids,
            report__status__in=services.ANSWERING,
        )
        .values("report__agency_id")
        .annotate(n=Count("report_id", distinct=True))
        .order_by()
    )
    for row in pending:
        counts[row["report__agency_id"]]["pending"] = row["n"]
    return counts


def centre_counts():
    """{"triage", "returned"}: the 1022 triage queue's two tabs. One query."""
    counts = Report.objects.filter(status__in=[ReportStatus.TRIAGE, ReportStatus.RETURNED]).aggregate(
        triage=Count("pk", filter=Q(status=ReportStatus.TRIAGE)),
        returned=Count("pk", filter=Q(status=ReportStatus.RETURNED)),
    )
    return {key: value or 0 for key, value in counts.items()}


def _queue_url(agency_id, several, **params):
    if several:
        params["co-quan"] = agency_id
    query = urlencode(params)
    return reverse("feedback_officer:queue") + (f"?{query}" if query else "")


def _agency_section(agency, figures, *, leads, several):
    items = [
        Item(_("Quá hạn"), _queue_url(agency.pk, several, han="qua-han"), figures["overdue"], "overdue"),
        Item(_("Sắp đến hạn"), _queue_url(agency.pk, several, han="sap-den-han"), figures["due_soon"], "soon"),
        Item(_("Mới, chờ tiếp nhận"), _queue_url(agency.pk, several, tab="moi"), figures["new"], "new"),
    ]
    if leads:
        approvals = _queue_url(agency.pk, several, tab="cho-duyet")
        items.append(Item(_("Trả lời chờ bạn duyệt"), approvals, figures["pending"], "new"))
    items.append(Item(_("Tất cả việc cần xử lý"), _queue_url(agency.pk, several), figures["open"]))
    return Section(title=agency.name, items=tuple(items), note=_("Phản ánh, kiến nghị của cơ quan"))


def sections(request, memberships):
    roles = roles_for(request.user, memberships)
    result = []
    agencies = roles.handling_agencies
    if agencies:
        scope = [agency.pk for agency in agencies]
        counts = _cached("agencies", scope, lambda: agency_counts(scope))
        for agency in agencies:
            result.append(
                _agency_section(agency, counts[agency.pk], leads=roles.leads(agency.pk), several=len(agencies) > 1)
            )
    if roles.is_operator:
        counts = _cached("centre", None, centre_counts)
        triage = reverse("feedback_officer:triage")
        result.append(
            Section(
                title=_("Trung tâm 1022"),
                note=_("Phản ánh qua tổng đài và phản ánh chưa có cơ quan xử lý"),
                items=(
                    Item(_("Chờ phân loại"), triage, counts["triage"], "new"),
                    Item(_("Bị cơ quan trả lại"), f"{triage}?tab=bi-tra-lai", counts["returned"], "new"),
                    Item(_("Nhập phản ánh qua điện thoại"), reverse("feedback_officer:intake")),
                    Item(_("Tra cứu người gọi"), reverse("feedback_officer:lookup")),
                    Item(_("Thời hạn toàn thành phố"), reverse("feedback_officer:board")),
                ),
            )
        )
    if roles.works_pakn:
        result.append(
            Section(
                title=_("Số liệu"),
                items=(Item(_("Thống kê phản ánh, kiến nghị"), reverse("feedback_officer:stats")),),
            )
        )
    return result


def nav(request, memberships):
    roles = roles_for(request.user, memberships)
    links = []
    if roles.handling_agency_ids:
        links.append(Link(_("Phản ánh của cơ quan"), url("feedback_officer:queue")))
    if roles.is_operator:
        links += [
            # Short labels: an operator has six links, and the bar must stay short on a phone.
            Link(_("Chờ phân loại"), url("feedback_officer:triage")),
            Link(_("Toàn thành phố"), url("feedback_officer:board")),
            Link(_("Nhập phản ánh"), url("feedback_officer:intake")),
            Link(_("Tra cứu người gọi"), url("feedback_officer:lookup")),
        ]
    if roles.works_pakn:
        links.append(Link(_("Thống kê"), url("feedback_officer:stats")))
    return links
