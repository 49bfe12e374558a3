"""What the chaos run (benchmarks.chaos) counts at the end, and how it prints what clients saw.

`sms_problems()` is the SMS check: every notice that asks for an SMS must have exactly one message.
"""

import time
from collections import Counter, defaultdict

from benchmarks.stack import percentile, seconds


def sms_problems():
    """Notices whose SMS was sent twice or never: {"twice": [...], "never": [...]} of notice ids, and
    "asked": how many notices asked for one (none at all after a run means this reads the wrong rows).

    Every notice that asks for an SMS (notices.Notice.sms_queued_at set) must have exactly one
    citizens.OutboundSms. The notice links the message it sent (`sms`), but a second message sent
    for it would not be linked, so messages are matched by the recipient's phone and the text the
    notice turns into (notices.services.sms_text): each report notice names its report's code, so
    no two notices of a run share both."""
    from citizens.models import OutboundSms
    from notices.models import Notice
    from notices.services import sms_text

    sent = Counter(OutboundSms.objects.values_list("phone", "text"))
    problems = {"twice": [], "never": [], "asked": 0}
    for notice in Notice.objects.filter(sms_queued_at__isnull=False).select_related("user"):
        problems["asked"] += 1
        phone = notice.user.phone if notice.user_id else notice.phone
        count = sent[(phone, sms_text(notice))]
        if count == 0:
            problems["never"].append(notice.pk)
        elif count > 1:
            problems["twice"].append(notice.pk)
    return problems


def sms_pending():
    """How many notices still wait for their SMS (asked for, not yet claimed by a sender): the drain
    waits for none. Reads the same rows as `sms_problems()`, and changes with it."""
    from notices.models import Notice

    return Notice.objects.filter(sms_queued_at__isnull=False, sms_sent_at__isnull=True).count()


def retrying(query, attempts=20):
    """Run `query()` on a fresh connection, again while PostgreSQL is not back yet."""
    from django.db import OperationalError, connection

    for attempt in range(attempts):
        connection.close()
        try:
            return query()
        except OperationalError:
            if attempt == attempts - 1:
                raise
            time.sleep(1)


def pending_work(report_ids):
    """(unrouted reports, "received" steps not yet announced, SMS not yet sent) of this run."""
    from feedback.models import EventKind, Report, ReportEvent

    unrouted = Report.objects.filter(pk__in=report_ids, routed_at__isnull=True).count()
    unnotified = ReportEvent.objects.filter(
        report_id__in=report_ids, kind=EventKind.RECEIVED, notified_at__isnull=True
    ).count()
    return unrouted, unnotified, sms_pending()


def run_reports(citizen_ids):
    from feedback.models import Report

    return list(Report.objects.filter(reporter_id__in=citizen_ids).values_list("pk", flat=True))


def check_reports(forms, citizens):
    """Lost, duplicated, routed twice, unrouted, and what a citizen who saw an error filed anyway."""
    from django.db.models import Count, Q

    from feedback.models import EventKind, Report

    ids = [user.pk for user, *_ in citizens]
    keyed = Counter(
        Report.objects.filter(reporter_id__in=ids, idempotency_key__isnull=False).values_list(
            "idempotency_key", flat=True
        )
    )
    result = {"lost": [], "duplicated": [], "filed after an error": 0}
    for form in forms:
        key = f"{citizens[form.citizen][0].pk}:{form.key}"[:64]
        rows = keyed.get(key, 0)
        if form.accepted and rows == 0:
            result["lost"].append(form.key)
        if rows > 1:
            result["duplicated"].append(form.key)
        if rows and not form.accepted:
            result["filed after an error"] += 1
    reports = Report.objects.filter(reporter_id__in=ids).annotate(
        received=Count("events", filter=Q(events__kind=EventKind.RECEIVED)),
        placed=Count("events", filter=Q(events__kind__in=[EventKind.ROUTED, EventKind.TRIAGE])),
    )
    result["routed twice"] = [r.code for r in reports if r.received > 1 or r.placed > 1]
    result["unrouted"] = [r.code for r in reports if r.routed_at is None]
    result["reports"] = reports.count()
    result["statuses"] = dict(Counter(r.status for r in reports))
    result["routing attempts"] = dict(sorted(Counter(r.routing_attempts for r in reports).items()))
    return result


def print_answers(outcomes, faults):
    """Answers by kind and status, then the errors by phase, then latencies. Returns (answers 500,
    requests with no answer, 503s outside the PostgreSQL restart)."""
    by_kind = defaultdict(Counter)
    by_phase = defaultdict(Counter)
    for outcome in outcomes:
        label = outcome.status or "no answer"
        by_kind[outcome.kind][label] += 1
        if outcome.status >= 500 or outcome.status == 0:
            by_phase[faults.phase(outcome.scheduled + outcome.latency)][label] += 1
    print(f"  {'kind':<14} {'answers':>8}  statuses")
    for kind in sorted(by_kind):
        counts = by_kind[kind]
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(counts.items(), key=str))
        print(f"  {kind:<14} {sum(counts.values()):>8}  {statuses}")
    print("  5xx and no answer, by phase (when the answer came):")
    if not by_phase:
        print("    none")
    for phase in ("normal", "Redis down", "PostgreSQL restart"):
        if by_phase.get(phase):
            print(f"    {phase:<20} {dict(by_phase[phase])}")
    print("  time to answer, by phase (page loads: from the time each was due; submit: each POST):")
    for phase in ("normal", "Redis down", "PostgreSQL restart"):
        for label, rows in (
            ("page loads", [o.latency for o in outcomes if o.kind != "submit" and faults.phase(o.scheduled) == phase]),
            ("submit", [o.latency for o in outcomes if o.kind == "submit" and faults.phase(o.scheduled) == phase]),
        ):
            if rows:
                print(
                    f"    {phase:<20} {label:<10} {len(rows):>5}: p50 {seconds(percentile(rows, 0.5))}, "
                    f"p95 {seconds(percentile(rows, 0.95))}, max {seconds(max(rows))}"
                )
    errors = sum(count for counts in by_kind.values() for status, count in counts.items() if status == 500)
    unanswered = sum(counts.get("no answer", 0) for counts in by_kind.values())
    unexpected_503 = sum(
        1 for o in outcomes if o.status == 503 and faults.phase(o.scheduled + o.latency) != "PostgreSQL restart"
    )
    return errors, unanswered, unexpected_503
