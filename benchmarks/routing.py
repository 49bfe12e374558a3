"""Submit → agency assigned, with a real Celery worker, and routing after a broker outage.

    .venv/bin/python -m benchmarks.routing                       # 200 reports at 10/s, then 100 in an outage
    .venv/bin/python -m benchmarks.routing --reports 500 --rate 20 --outage-reports 0
    .venv/bin/python -m benchmarks.routing --outage-seconds 120  # a long outage: the worker's reconnect backs off
    .venv/bin/python -m benchmarks.routing --sweeper loop        # sweep every second instead of beat

DESIGN §5: "Submit → agency assigned: p95 under 2 s with a real worker; after a broker outage, all
routed within 60 s of its return."

Runs against PostgreSQL (DATABASE_URL, default a database of its own, smarthp_bench_routing on
127.0.0.1, created, migrated and given the demo data when empty) and Redis as the cache (REDIS_URL,
default database 12 of the local Redis). The broker is a redis-server of its own that this script
starts on --broker-port (default 6390, no persistence), so that it can take it away: CELERY_BROKER_URL
is always that one. It starts, as subprocesses, a Celery worker (prefork, --concurrency) and the
sweeper: Celery beat with the portal's real CELERY_BEAT_SCHEDULE (default), or `services.sweep()`
every second (--sweeper loop). A child that exits is started again, as docker-compose's `restart:
unless-stopped` does, and the output says so. What earlier runs left undone (their last notices,
lost with their broker) is swept and done before anything is measured.

1. Steady load: --reports reports through `feedback.services.submit_report` at --rate per second
   (from --threads threads, as a web server's workers would); for each, the time from its save
   (`created_at`, a few milliseconds before the commit) to `routed_at`, which the worker writes.
   The database is polled every 50 ms, one query for all reports still pending.
2. Outage: the broker is shut down (`shutdown nosave`: its queue is lost, as in a crash), then
   --outage-reports reports are submitted (each must be saved: the on-commit publish fails, is
   logged, and leaves the report to the sweeper), the broker is started again (after
   --outage-seconds at the least), and the script waits until every one of them is routed: the
   time from the broker's return. The worker's and beat's log lines about the broker and the
   sweeps are shown on the same clock.

Every report is then checked: routed exactly once (one "received" and one "routed"/"triage" event),
none missing. Exits 1 when a budget is missed or a check fails. Every process it started is stopped
at the end, also on errors. Never point it at a database that holds real data.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.stack import Child, celery, create_database, manage, percentile, seconds, wait_for_worker
from benchmarks.stack import RedisServer as Broker

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/smarthp_bench_routing"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
POLL_SECONDS = 0.05
P95_BUDGET = 2.0
OUTAGE_BUDGET = 60.0
# A command for --sweeper loop: what beat does, every second.
SWEEP_LOOP = (
    "import time\n"
    "from django.db import close_old_connections\n"
    "from feedback import services\n"
    "while True:\n"
    "    services.sweep()\n"
    "    close_old_connections()\n"
    "    time.sleep(1)\n"
)


# --- Leftovers of earlier runs --------------------------------------------------------------------


def drain_leftovers(broker_port, timeout=300):
    """Send now what earlier runs left undone (their last notices, lost with their broker), so that
    it does not land in the middle of this run's measurements: everything due, whatever its age
    (the sweeper would take it only once a minute old), batch after batch until none is left.
    Returns (reports, notices) queued."""
    import datetime

    import redis
    from django.conf import settings

    from feedback import services

    client = redis.Redis(port=broker_port)
    queues = settings.CELERY_TASK_QUEUES
    deadline = time.monotonic() + timeout
    routed = notified = 0
    while time.monotonic() < deadline:
        batch = (
            services.sweep_unrouted(older_than=datetime.timedelta(0)),
            services.sweep_unnotified(older_than=datetime.timedelta(0)),
        )
        routed, notified = routed + batch[0], notified + batch[1]
        while any(client.llen(queue.name) for queue in queues) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)  # the last tasks taken from the queue finish
        if not any(batch):
            break
    return routed, notified


# --- Submitting and watching ----------------------------------------------------------------------


@dataclass
class Submission:
    index: int
    pk: int | None = None
    created_at: float | None = None  # the report's save, epoch seconds
    returned_at: float | None = None  # submit_report returned (after the on-commit publish)
    duration: float | None = None
    error: str = ""
    routed_at: float | None = None


@dataclass
class Run:
    label: str
    submissions: list = field(default_factory=list)

    @property
    def saved(self):
        return [s for s in self.submissions if s.pk is not None]

    @property
    def routed(self):
        return [s for s in self.saved if s.routed_at is not None]


def submit_all(run, *, count, rate, threads, make_report, poll):
    """Submit `count` reports at `rate` per second from `threads` threads; poll while they run."""
    run.submissions = [Submission(index=i) for i in range(count)]
    start = time.monotonic() + 0.1

    def work(offset):
        from django.db import connection

        try:
            for submission in run.submissions[offset::threads]:
                delay = start + submission.index / rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                began = time.perf_counter()
                try:
                    report = make_report(submission.index)
                    submission.pk = report.pk
                    submission.created_at = report.created_at.timestamp()
                except Exception as error:  # a lost report: counted and shown, the run goes on
                    submission.error = f"{type(error).__name__}: {error}"
                submission.duration = time.perf_counter() - began
                submission.returned_at = time.time()
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(offset,), daemon=True) for offset in range(threads)]
    for thread in workers:
        thread.start()
    while any(thread.is_alive() for thread in workers):
        poll(run)
        time.sleep(POLL_SECONDS)
    return time.monotonic() - start


def poll_routed(run):
    """One query for every saved report of the run not yet seen routed."""
    from feedback.models import Report

    pending = {s.pk: s for s in run.saved if s.routed_at is None}
    if not pending:
        return 0
    rows = Report.objects.filter(pk__in=list(pending), routed_at__isnull=False).values_list("pk", "routed_at")
    for pk, routed_at in rows:
        pending[pk].routed_at = routed_at.timestamp()
    return len(pending) - len(rows)


class Timeline:
    """What the worker, beat and the sweeper log, stamped when this script saw it (50 ms)."""

    PATTERNS = (
        ("worker", "Connected to redis", "worker connected to the broker"),
        ("worker", "Cannot connect to redis", "worker cannot reach the broker"),
        ("beat", "Sending due task feedback-sweep", "beat sends the sweep"),
        ("beat", "beat: Starting", "beat started"),
        ("worker", "Task feedback.tasks.sweep_reports_task[", "worker runs a sweep"),
        ("worker", "Unrecoverable error", "worker: Unrecoverable error"),
    )

    def __init__(self, children):
        self.children = {child.name: child for child in children}
        self.events = []

    def scan(self):
        seen = time.time()
        for name, child in self.children.items():
            if child.restart_if_exited():
                self.events.append((seen, f"{name} exited with {child.exits[-1][1]}: started again"))
            for line in child.new_lines():
                for source, needle, label in self.PATTERNS:
                    if source == name and needle in line and "succeeded" not in line:
                        self.events.append((seen, label))

    def between(self, start, end=None):
        return [(at, label) for at, label in self.events if at >= start and (end is None or at <= end)]


def wait_routed(run, timeout, timeline):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        timeline.scan()
        if poll_routed(run) == 0:
            return True
        time.sleep(POLL_SECONDS)
    timeline.scan()
    return poll_routed(run) == 0


def check_routed_once(pks):
    """Every report: routed (assigned or in triage), one RECEIVED and one ROUTED/TRIAGE event."""
    from django.db.models import Count, Q

    from feedback.models import EventKind, Report, ReportStatus

    rows = Report.objects.filter(pk__in=pks).annotate(
        received=Count("events", filter=Q(events__kind=EventKind.RECEIVED)),
        placed=Count("events", filter=Q(events__kind__in=[EventKind.ROUTED, EventKind.TRIAGE])),
    )
    problems, statuses, attempts = [], {}, {}
    found = 0
    for report in rows.only("pk", "code", "status", "routing_attempts"):
        found += 1
        statuses[report.status] = statuses.get(report.status, 0) + 1
        attempts[report.routing_attempts] = attempts.get(report.routing_attempts, 0) + 1
        if report.status not in (ReportStatus.ASSIGNED, ReportStatus.TRIAGE):
            problems.append(f"{report.code}: status {report.status}")
        if report.received != 1 or report.placed != 1:
            problems.append(f"{report.code}: {report.received} received, {report.placed} routed/triage events")
    if found != len(set(pks)):
        problems.append(f"{len(set(pks)) - found} reports missing from the database")
    return problems, statuses, attempts


def describe(run, *, since, label):
    latencies = [s.routed_at - since(s) for s in run.routed]
    durations = [s.duration for s in run.submissions if s.duration is not None]
    errors = [s for s in run.submissions if s.error]
    print(f"  saved: {len(run.saved)} of {len(run.submissions)}; routed: {len(run.routed)} of {len(run.saved)}")
    if errors:
        print(f"  submissions that failed: {len(errors)}, e.g. {errors[0].error}")
    if durations:
        print(
            f"  submit_report call: p50 {seconds(statistics.median(durations))}, "
            f"p95 {seconds(percentile(durations, 0.95))}, max {seconds(max(durations))}"
        )
    if latencies:
        print(
            f"  {label}: p50 {seconds(statistics.median(latencies))}, p95 {seconds(percentile(latencies, 0.95))}, "
            f"max {seconds(max(latencies))}"
        )
    return latencies


# --- The run ---------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.routing", description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200, help="reports under steady load (default 200)")
    parser.add_argument("--rate", type=float, default=10.0, help="submissions per second (default 10)")
    parser.add_argument("--threads", type=int, default=8, help="submitting threads (default 8)")
    parser.add_argument("--outage-reports", type=int, default=100, help="reports during the outage (default 100)")
    parser.add_argument(
        "--outage-seconds",
        type=float,
        default=0,
        help="keep the broker down at least this long (default: the submissions)",
    )
    parser.add_argument("--outage-timeout", type=float, default=300, help="longest wait after the outage (s)")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes (prefork; default 2)")
    parser.add_argument("--sweeper", choices=["beat", "loop"], default="beat", help="beat (real schedule) or loop")
    parser.add_argument("--broker-port", type=int, default=6390, help="port of the broker this script starts")
    parser.add_argument("--seed", type=int, default=1, help="random seed for categories and wards")
    parser.add_argument("--keep-logs", action="store_true", help="keep the worker, beat and broker logs")
    parser.add_argument(
        "--backlog",
        type=int,
        default=0,
        help="other tasks queued just before the steady load, as the sweeper queues lost notices after an outage",
    )
    args = parser.parse_args(argv)

    database_url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    broker_url = f"redis://127.0.0.1:{args.broker_port}/0"
    os.environ["CELERY_BROKER_URL"] = broker_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smarthp.settings")
    env = dict(os.environ, PYTHONUNBUFFERED="1")

    scratch = Path(tempfile.mkdtemp(prefix="smarthp-routing-"))
    broker = Broker(args.broker_port, scratch, name="broker")
    if broker.answers():
        parser.error(f"something already answers on port {args.broker_port}: choose another --broker-port")
    children = []
    failed = False
    try:
        if create_database(database_url):
            print(f"created database {urlsplit(database_url).path.lstrip('/')}")
        # Migrations and demo data with tasks run in-process: no message goes to any broker.
        setup_env = dict(env, CELERY_BROKER_URL="")
        manage(setup_env, "migrate", "--noinput")

        from benchmarks.django_setup import setup

        setup()
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.db import connection

        from feedback import services
        from feedback.models import Category, RoutingRule
        from government.models import AdministrativeUnit

        if not RoutingRule.objects.exists():
            print("loading the demo data (load_demo) ...", flush=True)
            manage(setup_env, "load_demo")

        reporter, _ = get_user_model().objects.get_or_create(
            username="bench-routing",
            defaults={"full_name": "Người thử chuyển xử lý", "phone": "+84980999999", "phone_verified": True},
        )
        categories = list(Category.objects.filter(is_active=True, parent__isnull=False))
        units = list(AdministrativeUnit.objects.all())
        rng = random.Random(args.seed)
        picks = [(rng.choice(categories), rng.choice(units)) for _ in range(args.reports + args.outage_reports)]
        run_id = uuid.uuid4().hex[:10]

        def make_report(number):
            category, unit = picks[number]
            report, created = services.submit_report(
                reporter=reporter,
                category=category,
                unit=unit,
                title=f"Phản ánh thử số {number + 1}: {category.name}",
                description=f"Nội dung phản ánh thử để đo thời gian chuyển xử lý ({unit.name}).",
                idempotency_key=f"{run_id}-{number}",
            )
            assert created, "an idempotency key of this run was used twice"
            return report

        broker.start()
        hostname = f"bench-routing-{run_id}@localhost"
        worker = Child(
            "worker",
            celery("worker", "--loglevel=info", f"--concurrency={args.concurrency}", f"--hostname={hostname}"),
            env,
            scratch,
        )
        children.append(worker)
        wait_for_worker(worker, hostname)
        if args.sweeper == "beat":
            sweeper = Child(
                "beat", celery("beat", "--loglevel=info", f"--schedule={scratch / 'beat-schedule'}"), env, scratch
            )
            every = settings.CELERY_BEAT_SCHEDULE["feedback-sweep"]["schedule"]
            sweeper_text = f"Celery beat, the portal's CELERY_BEAT_SCHEDULE (feedback-sweep every {every} s)"
        else:
            sweeper = Child("sweeper", [sys.executable, "manage.py", "shell", "-c", SWEEP_LOOP], env, scratch)
            sweeper_text = "feedback.services.sweep() every second (--sweeper loop)"
        children.append(sweeper)
        timeline = Timeline(children)
        # What this run is made of.
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; broker: {broker_url} (own)")
        print(f"worker: prefork x{args.concurrency}; sweeper: {sweeper_text}")
        print(f"load average at the start: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
        print(
            f"routing rules: {RoutingRule.objects.count()}; categories drawn from {len(categories)}, "
            f"wards from {len(units)}"
        )

        leftovers = drain_leftovers(args.broker_port)
        if any(leftovers):
            print(f"left by earlier runs, queued and done first: {leftovers[0]} routings, {leftovers[1]} notices")

        # 1. Steady load.
        steady = Run("steady")
        print()
        print(f"1. {args.reports} reports at {args.rate:g}/s from {args.threads} threads")

        def poll(run):
            timeline.scan()
            poll_routed(run)

        if args.backlog:
            from smarthp.tasks import worker_heartbeat

            for number in range(args.backlog):  # one query and a cache write each
                worker_heartbeat.delay(f"bench-backlog-{number}")
            print(f"  {args.backlog} other tasks queued first (--backlog)")
        took = submit_all(
            steady, count=args.reports, rate=args.rate, threads=args.threads, make_report=make_report, poll=poll
        )
        wait_routed(steady, 60, timeline)
        print(f"  submitted in {took:.1f} s ({args.reports / took:.1f}/s)")
        latencies = describe(steady, since=lambda s: s.created_at, label="save → routed")
        if not latencies or len(steady.routed) < args.reports:
            failed = True
            print("  NOT every report was routed within 60 s")
        elif percentile(latencies, 0.95) >= P95_BUDGET:
            failed = True
            print(f"  p95 over the budget ({P95_BUDGET:g} s)")
        else:
            print(f"  p95 within the budget ({P95_BUDGET:g} s)")

        # 2. Broker outage.
        outage = Run("outage")
        if args.outage_reports:
            print()
            print(f"2. broker outage: {args.outage_reports} reports at {args.rate:g}/s while it is down")
            broker.stop()
            down_at = time.time()
            timeline.scan()

            def make_offset(number):
                return make_report(args.reports + number)

            took = submit_all(
                outage,
                count=args.outage_reports,
                rate=args.rate,
                threads=args.threads,
                make_report=make_offset,
                poll=poll,
            )
            while time.time() - down_at < args.outage_seconds:
                timeline.scan()
                time.sleep(POLL_SECONDS)
            back_at = broker.start()
            print(f"  broker down for {back_at - down_at:.1f} s; submissions took {took:.1f} s")
            unrouted_then = sum(1 for s in outage.saved if s.routed_at is None)
            print(f"  unrouted when the broker came back: {unrouted_then} of {len(outage.saved)}")
            wait_routed(outage, args.outage_timeout, timeline)
            latencies = describe(outage, since=lambda s: back_at, label="broker back → routed")
            for at, label in timeline.between(down_at):
                print(f"    {at - back_at:+7.1f} s  {label}")
            if len(outage.routed) < args.outage_reports:
                failed = True
                print(f"  NOT every report was routed within {args.outage_timeout:g} s of the broker's return")
            else:
                within = max(latencies) <= OUTAGE_BUDGET
                failed = failed or not within
                verdict = "within" if within else "over"
                print(
                    f"  all routed {max(latencies):.1f} s after the broker's return: "
                    f"{verdict} the budget ({OUTAGE_BUDGET:g} s)"
                )

        for child in children:
            if child.exits:
                print(
                    f"  the {child.name} exited {len(child.exits)} time(s) (exit codes "
                    f"{', '.join(str(code) for _at, code in child.exits)}) and was started again, "
                    "as docker-compose's restart: unless-stopped would"
                )

        print(f"load average at the end: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")

        # Never lost, never twice.
        pks = [s.pk for s in [*steady.saved, *outage.saved]]
        problems, statuses, attempts = check_routed_once(pks)
        submitted = len(steady.submissions) + len(outage.submissions)
        lost = submitted - len(pks)
        print()
        print(
            f"check: {len(pks)} of {submitted} reports saved; statuses {statuses}; "
            f"sweeper re-queues per report {dict(sorted(attempts.items()))}"
        )
        if problems or lost:
            failed = True
            for problem in problems[:20]:
                print(f"  {problem}")
        else:
            print("  every report routed exactly once (one received, one routed or triage event)")
    except BaseException:
        failed = True
        for child in children:
            print(f"--- {child.name} log (end) ---\n{child.tail()}", file=sys.stderr)
        raise
    finally:
        for child in reversed(children):
            child.stop()
        broker.stop()
        if args.keep_logs or failed:
            print(f"logs: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
