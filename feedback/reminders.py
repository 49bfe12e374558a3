"""Deadline reminders for officers (Celery beat, feedback.tasks.send_deadline_reminders_task).

- Due soon (within one working day): a notice to the assigned officer, or to the agency's officers
  and leaders while nobody is assigned.
- Overdue: a notice to the agency's leaders for each report, and one digest a day to the 1022
  operators with the city-wide count (they see the list on the city-wide board).

A reminder names the deadline it is about, and the same notice (person, report, text) is never
created twice, so running the task every half hour reminds once per deadline; a new deadline (the
clock restarted) reminds again.
"""

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from government.models import Membership, Role
from notices import services as notice_pipeline
from notices.models import Notice, key_of

from . import deadlines
from .models import Report, ReportStatus
from .services.notices import OFFICER_NOTICE_KIND

BATCH = 2000


def _deadline_word(report):
    if report.status in deadlines.ACCEPT_CLOCK_STATUSES:
        return _("tiếp nhận")
    return _("trả lời")


def _members_by_agency(agency_ids, roles):
    members = defaultdict(set)
    for agency_id, user_id in (
        Membership.objects.active()
        .filter(agency_id__in=agency_ids, role__in=roles, user__is_active=True)
        .values_list("agency_id", "user_id")
    ):
        members[agency_id].add(user_id)
    return members


def _create_once(wanted):
    """Create the (user_id, report, text) notices that do not exist yet; return how many were new."""
    if not wanted:
        return 0
    reports = {report.pk: report for _user, report, _text in wanted}
    existing = set(
        Notice.objects.filter(
            target__in=[key_of(report) for report in reports.values()],
            text__in={text for *_rest, text in wanted},
        ).values_list("user_id", "target", "text")
    )
    created = 0
    for user_id, report, text in wanted:
        if (user_id, key_of(report), text) in existing:
            continue
        existing.add((user_id, key_of(report), text))
        created += len(
            notice_pipeline.notify(
                user_ids=[user_id],
                text=text,
                kind=OFFICER_NOTICE_KIND,
                url=reverse("feedback_officer:workspace", args=[report.code]),
                target=report,
            )
        )
    return created


def _due(report):
    return timezone.localtime(deadlines.active_due_at(report)).strftime("%H:%M %d/%m/%Y")


def remind_due_soon(now=None):
    now = now or timezone.now()
    reports = list(
        Report.objects.filter(deadlines.due_soon_q(now), merged_into__isnull=True)
        .exclude(status__in=[ReportStatus.TRIAGE, ReportStatus.RETURNED])
        .only("pk", "code", "status", "agency_id", "assignee_id", "accept_due_at", "answer_due_at")
        .order_by("pk")[:BATCH]
    )
    unassigned = {report.agency_id for report in reports if report.assignee_id is None}
    handlers = _members_by_agency(unassigned, [Role.OFFICER, Role.LEADER])
    wanted = []
    for report in reports:
        text = _("Phản ánh %(code)s sắp đến hạn %(deadline)s (%(due)s).") % {
            "code": report.code,
            "deadline": _deadline_word(report),
            "due": _due(report),
        }
        recipients = {report.assignee_id} if report.assignee_id else handlers.get(report.agency_id, set())
        wanted.extend((user_id, report, text) for user_id in recipients)
    return _create_once(wanted)


def remind_overdue(now=None):
    now = now or timezone.now()
    reports = list(
        Report.objects.filter(deadlines.overdue_q(now), merged_into__isnull=True)
        .exclude(status__in=[ReportStatus.TRIAGE, ReportStatus.RETURNED])
        .only("pk", "code", "status", "agency_id", "accept_due_at", "answer_due_at")
        .order_by("pk")[:BATCH]
    )
    leaders = _members_by_agency({report.agency_id for report in reports}, [Role.LEADER])
    wanted = []
    for report in reports:
        text = _("Phản ánh %(code)s đã quá hạn %(deadline)s (hạn %(due)s).") % {
            "code": report.code,
            "deadline": _deadline_word(report),
            "due": _due(report),
        }
        wanted.extend((user_id, report, text) for user_id in leaders.get(report.agency_id, set()))
    created = _create_once(wanted)
    created += _operator_digest(now)
    return created


def _operator_digest(now):
    """One notice a day to each 1022 operator with the number of overdue reports city-wide."""
    count = Report.objects.filter(deadlines.overdue_q(now), merged_into__isnull=True).count()
    if not count:
        return 0
    today = timezone.localdate(now).strftime("%d/%m/%Y")
    prefix = _("Ngày %(day)s:") % {"day": today}
    text = _("Ngày %(day)s: %(count)s phản ánh quá hạn trên toàn thành phố.") % {"day": today, "count": count}
    operators = set(
        get_user_model()
        .objects.filter(memberships__role=Role.OPERATOR, memberships__is_active=True, is_active=True)
        .values_list("pk", flat=True)
    )
    already = set(
        Notice.objects.filter(
            user_id__in=operators, kind=OFFICER_NOTICE_KIND, target="", text__startswith=prefix
        ).values_list("user_id", flat=True)
    )
    board = reverse("feedback_officer:board")
    return len(notice_pipeline.notify(user_ids=operators - already, text=text, kind=OFFICER_NOTICE_KIND, url=board))


def send_deadline_reminders(now=None):
    """Both kinds of reminder, in the portal's first language. Returns (due soon, overdue) created."""
    with translation.override(settings.LANGUAGE_CODE):
        return remind_due_soon(now), remind_overdue(now)
