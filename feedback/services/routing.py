"""Routing (DESIGN §4, "never lost, never twice"): each submitted report reaches its agency, or 1022 triage.

- `submit_report` writes the report (status SUBMITTED, routed_at NULL, routing_queued_at now) and
  its photos in one transaction and queues `route_report_task` on commit (`queue_routing`).
- `route_report` locks the row and does nothing when `routed_at` is set, so two deliveries of the
  message route once. It picks the agency from the RoutingRule table (`find_routing_rule`), or
  sends the report to the 1022 centre for triage when no rule matches.
- `sweep` (Celery beat every 10 seconds, or `manage.py sweep_reports` from cron) queues again
  what a lost message or a broker outage left unrouted, and notices and SMS that were never
  sent. A report whose message could not be sent (routing_queued_at NULL) is taken at once; one
  whose message was sent only after ROUTING_RETRY_AFTER, since the message may still be waiting.
"""

import logging

from django.db import DatabaseError, transaction
from django.db.models import F, Q
from kombu.exceptions import OperationalError

from government.models import Agency, AgencyKind

from .. import deadlines
from ..models import (
    EventKind,
    Report,
    ReportEvent,
    ReportStatus,
    RoutingRule,
)
from .common import (
    ROUTING_RETRY_AFTER,
    SWEEP_BATCH,
    lock_report,
    log_event,
    now,
    set_status,
)
from .notices import queue_notification, sweep_unnotified

log = logging.getLogger(__name__)


def queue_routing(report_id):
    """Queue `route_report_task` for a report once the current transaction commits.

    When the broker is down, the report is marked as not queued (`routing_queued_at` NULL): no
    message exists that could still arrive, so the sweeper takes it at its next run instead of
    waiting ROUTING_RETRY_AFTER for it (DESIGN §5: all routed within 60 s of the broker's return).
    """
    from ..tasks import route_report_task

    def send():
        try:
            route_report_task.delay(report_id)
        except OperationalError:
            log.warning("broker unavailable: routing of report %s left to the sweeper", report_id)
            mark_not_queued(report_id)

    transaction.on_commit(send)


def mark_not_queued(report_id):
    """Tell the sweeper that no routing message for this report is on its way."""
    try:
        Report.objects.filter(pk=report_id, routed_at__isnull=True).update(routing_queued_at=None)
    except DatabaseError:
        # The database is unreachable as well: the report waits ROUTING_RETRY_AFTER like any other.
        log.warning("report %s: could not mark it for the sweeper; it waits for the usual retry", report_id)


def hotline_agency():
    """The 1022 centre, which triages what no routing rule places."""
    return Agency.objects.filter(kind=AgencyKind.HOTLINE, is_active=True).order_by("pk").first()


def find_routing_rule(category, unit_id):
    """The most specific active RoutingRule for a category and a unit, or None.

    Order, most specific first:
    1. the category itself, then each parent up the tree (sub-category before its parent); for
       each, a rule for this unit before a rule for any unit;
    2. then a unit-only rule (any category, this unit): a category rule always beats it, so
       "electricity → the power company" wins over "everything in ward X → ward X's committee";
    3. then a catch-all rule (any category, any unit), if administrators made one.
    Rules of inactive agencies are skipped. One query.
    """
    lineage = category.lineage_ids()
    rules = RoutingRule.objects.filter(
        Q(category__in=lineage) | Q(category__isnull=True),
        Q(unit_id=unit_id) | Q(unit__isnull=True),
        is_active=True,
        agency__is_active=True,
    ).select_related("agency")

    def rank(rule):
        specific_unit = 0 if rule.unit_id is not None else 1
        if rule.category_id is not None:
            return (0, lineage.index(rule.category_id), specific_unit)
        return (1, 0, specific_unit)

    ranked = sorted(rules, key=rank)
    return ranked[0] if ranked else None


def route_report(report_id):
    """Send a submitted report to its agency, or to 1022 triage when no rule matches.

    Idempotent: the row is locked and a report already routed is left alone, so a message delivered
    twice (or queued again by the sweeper) routes once. Logs "received" and "sent to agency X" (or
    "sent to 1022"), starts the accept clock, and queues the notices on commit. Returns the report,
    or None when it no longer exists.
    """
    with transaction.atomic():
        try:
            report = lock_report(report_id)
        except Report.DoesNotExist:
            return None
        if report.routed_at is not None:
            return report
        rule = find_routing_rule(report.category, report.unit_id)
        if rule is not None:
            agency, status, kind = rule.agency, ReportStatus.ASSIGNED, EventKind.ROUTED
        else:
            agency, status, kind = hotline_agency(), ReportStatus.TRIAGE, EventKind.TRIAGE
            if agency is None:
                log.error("report %s: no routing rule and no active 1022 agency; left in triage", report.pk)
        received = log_event(report, EventKind.RECEIVED, agency=agency, from_status=report.status)
        report.agency = agency
        report.routed_at = now()
        deadlines.start_accept_clock(report)
        routed = set_status(report, status, kind=kind, agency=agency, fields=["agency", "routed_at", "accept_due_at"])
        # One notice says both "received" and where it went (notice_text); the routing step itself
        # is not announced a second time.
        ReportEvent.objects.filter(pk=routed.pk).update(notified_at=routed.created_at)
        queue_notification(received)
    return report


def unrouted_due(older_than):
    """Unrouted reports with no routing message on its way: never queued (the broker was down), or
    last queued more than `older_than` ago (the message was lost)."""
    return Report.objects.filter(
        Q(routing_queued_at__isnull=True) | Q(routing_queued_at__lt=now() - older_than), routed_at__isnull=True
    )


def sweep_unrouted(*, older_than=ROUTING_RETRY_AFTER, limit=SWEEP_BATCH):
    """Queue routing again for unrouted reports whose message was never sent, or was sent more than
    `older_than` ago and has not arrived.

    Each report is claimed with a conditional UPDATE of its `routing_queued_at` (healthchecks-style):
    if two sweepers run at once, only the one whose UPDATE matched queues it. Stops at the first
    broker error, leaving that report marked as not queued for the next sweep. Returns how many
    were queued.
    """
    from ..tasks import route_report_task

    candidates = list(
        unrouted_due(older_than).order_by("created_at", "pk").values_list("pk", "routing_queued_at")[:limit]
    )
    queued = 0
    for pk, seen in candidates:
        claimed = Report.objects.filter(pk=pk, routed_at__isnull=True, routing_queued_at=seen).update(
            routing_queued_at=now(), routing_attempts=F("routing_attempts") + 1
        )
        if not claimed:
            continue
        try:
            route_report_task.delay(pk)
        except OperationalError:
            mark_not_queued(pk)
            log.warning("sweep: broker unavailable, %s reports left for the next sweep", len(candidates) - queued)
            break
        queued += 1
    return queued


def route_unrouted_here(*, older_than=ROUTING_RETRY_AFTER, limit=SWEEP_BATCH):
    """Route stuck reports in this process, without the broker (`sweep_reports --here`)."""
    ids = list(unrouted_due(older_than).order_by("created_at", "pk").values_list("pk", flat=True)[:limit])
    for pk in ids:
        route_report(pk)
    return len(ids)


def routing_agency_for(category, unit):
    """The agency the routing rules give for this category and unit, or None (→ 1022 triage)."""
    rule = find_routing_rule(category, unit.pk)
    return rule.agency if rule is not None else None


def sweep():
    """What the periodic sweeper does: (reports queued for routing, events queued for notices).
    The SMS of those notices are swept by the notice pipeline (notices.tasks.sweep_task)."""
    return sweep_unrouted(), sweep_unnotified()
