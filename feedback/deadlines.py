"""The deadline engine for PAKN reports: how long an agency has to accept and to answer a report.

Rules (DESIGN §3):
- A `DeadlinePolicy` per category × urgency gives the time to accept and the time to answer, in
  working days or working hours of the government calendar (weekends, public holidays incl. Tết,
  make-up working days: `government.calendar`). The most specific policy wins.
- The accept clock starts when a report reaches an agency (routing, 1022 assignment, re-routing);
  the answer clock starts when the agency accepts (tiếp nhận), and again when a citizen reopens.
- A report outside an agency's competence must be sent back within 5 working days of reaching it
  (Nghị định 20/2008/NĐ-CP, điều 12).
- Overdue is never stored: it is computed from the due dates and the clock (`with_deadline_state`
  for querysets, `deadline_state` for one report).

Deadlines counted in days end at the close of office hours of the last working day, counted from
the day after the clock starts ("trong N ngày làm việc kể từ ngày nhận"): a report that reaches an
agency on Monday with one working day to accept is due on Tuesday at 17:00.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.utils import timezone

from government import calendar

from .models import DeadlinePolicy, ReportStatus, TimeUnit

# Nghị định 20/2008/NĐ-CP: a report outside an agency's competence is transferred within 5 working days.
TRANSFER_WITHIN_WORKING_DAYS = 5
# "Due soon": the deadline falls within this many working hours from now (one working day).
DUE_SOON_WORKING_HOURS = 8

# Which clock is running in each state. Waiting for an agency (or 1022) to take it: accept clock;
# being worked on: answer clock; otherwise none.
ACCEPT_CLOCK_STATUSES = (ReportStatus.ASSIGNED, ReportStatus.TRIAGE, ReportStatus.RETURNED)
ANSWER_CLOCK_STATUSES = (ReportStatus.IN_PROGRESS, ReportStatus.REOPENED)


def default_policy():
    """Used when administrators have not set any policy: accept in 1 working day, answer in 10."""
    return DeadlinePolicy(accept_within=1, answer_within=10, unit=TimeUnit.WORKING_DAYS)


def policy_for(report):
    """The most specific DeadlinePolicy for the report's category and urgency.

    Order: each category of the lineage (most specific first) with the urgency, then without; then the
    urgency alone; then the catch-all row; then the built-in default. One query.
    """
    lineage = report.category.lineage_ids() if report.category_id else []
    urgency_id = report.urgency_id
    candidates = DeadlinePolicy.objects.filter(
        Q(category__in=lineage) | Q(category__isnull=True),
        Q(urgency_id=urgency_id) | Q(urgency__isnull=True) if urgency_id else Q(urgency__isnull=True),
    )

    def rank(policy):
        if policy.category_id is not None:
            depth = lineage.index(policy.category_id)
            return (0, depth, 0 if policy.urgency_id else 1)
        return (1, 0, 0 if policy.urgency_id else 1)

    ranked = sorted(candidates, key=rank)
    return ranked[0] if ranked else default_policy()


def _office_close(day):
    """The end of office hours on `day`, as an aware datetime in the local time zone."""
    end_hour, end_minute = settings.WORKING_HOURS[-1][2:4]
    return datetime.datetime.combine(day, datetime.time(end_hour, end_minute), tzinfo=calendar.VIETNAM)


def due_after(start, amount, unit):
    """The moment `amount` working days or working hours after `start` (an aware datetime)."""
    if unit == TimeUnit.WORKING_HOURS:
        return calendar.add_working_hours(start, amount)
    local_day = timezone.localtime(start).date()
    if amount <= 0:
        # Zero days: by the close of the same day, or of the next working day when it is a day off.
        day = local_day if calendar.is_working_day(local_day) else calendar.add_working_days(local_day, 1)
        return _office_close(day)
    return _office_close(calendar.add_working_days(local_day, amount))


def start_accept_clock(report, start=None, *, save=False):
    """Set `report.accept_due_at` from its policy, counting from `start` (default: now).

    Called when a report reaches an agency. The caller saves the field (or passes save=True) while
    holding the row lock.
    """
    policy = policy_for(report)
    report.accept_due_at = due_after(start or timezone.now(), policy.accept_within, policy.unit)
    if save:
        report.save(update_fields=["accept_due_at"])
    return report.accept_due_at


def start_answer_clock(report, start=None, *, save=False):
    """Set `report.answer_due_at` from its policy, counting from `start` (default: now).

    Called when the agency accepts and when a citizen reopens a report (the answer clock restarts).
    """
    policy = policy_for(report)
    report.answer_due_at = due_after(start or timezone.now(), policy.answer_within, policy.unit)
    if save:
        report.save(update_fields=["answer_due_at"])
    return report.answer_due_at


def transfer_deadline(received_at):
    """The last moment an agency may send a report back as outside its competence (5 working days)."""
    return due_after(received_at, TRANSFER_WITHIN_WORKING_DAYS, TimeUnit.WORKING_DAYS)


def active_due_at(report):
    """The deadline of whichever clock is running in the report's state, or None."""
    if report.status in ACCEPT_CLOCK_STATUSES:
        return report.accept_due_at
    if report.status in ANSWER_CLOCK_STATUSES:
        return report.answer_due_at
    return None


def due_soon_threshold(now=None):
    return calendar.add_working_hours(now or timezone.now(), DUE_SOON_WORKING_HOURS)


@dataclass(frozen=True)
class DeadlineState:
    due_at: datetime.datetime | None
    overdue: bool
    due_soon: bool


def deadline_state(report, now=None, *, soon=None):
    """Overdue / due soon for one report, computed now (never stored)."""
    now = now or timezone.now()
    due = active_due_at(report)
    if due is None:
        return DeadlineState(None, False, False)
    soon = soon or due_soon_threshold(now)
    return DeadlineState(due, due < now, now <= due < soon)


def with_deadline_state(queryset, now=None, *, soon=None):
    """Annotate `active_due_at`, `is_overdue` and `is_due_soon` on a Report queryset (in SQL), so lists
    can sort and filter on them: overdue first, then due soon, then the rest.

    `deadline_rank`: 0 overdue, 1 due soon, 2 running, 3 no clock.
    """
    now = now or timezone.now()
    soon = soon or due_soon_threshold(now)
    return queryset.annotate(
        active_due_at=Case(
            When(status__in=ACCEPT_CLOCK_STATUSES, then=F("accept_due_at")),
            When(status__in=ANSWER_CLOCK_STATUSES, then=F("answer_due_at")),
            default=Value(None),
            output_field=DateTimeField(),
        ),
    ).annotate(
        deadline_rank=Case(
            When(active_due_at__isnull=True, then=Value(3)),
            When(active_due_at__lt=now, then=Value(0)),
            When(active_due_at__lt=soon, then=Value(1)),
            default=Value(2),
        ),
    )


def overdue_q(now=None, prefix=""):
    """A Q() for reports overdue now, for filters and counts (uses the indexed due-date columns)."""
    now = now or timezone.now()
    return Q(**{f"{prefix}status__in": ACCEPT_CLOCK_STATUSES, f"{prefix}accept_due_at__lt": now}) | Q(
        **{f"{prefix}status__in": ANSWER_CLOCK_STATUSES, f"{prefix}answer_due_at__lt": now}
    )


def due_soon_q(now=None, prefix="", *, soon=None):
    now = now or timezone.now()
    soon = soon or due_soon_threshold(now)
    return Q(
        **{f"{prefix}status__in": ACCEPT_CLOCK_STATUSES, f"{prefix}accept_due_at__gte": now},
        **{f"{prefix}accept_due_at__lt": soon},
    ) | Q(
        **{f"{prefix}status__in": ANSWER_CLOCK_STATUSES, f"{prefix}answer_due_at__gte": now},
        **{f"{prefix}answer_due_at__lt": soon},
    )
