"""A mixed workload at a fixed rate on the portal as docker-compose runs it: p50/p95/p99, errors.

    .venv/bin/python -m benchmarks.load                               # 50 requests/s for 10 minutes
    .venv/bin/python -m benchmarks.load --rate 30 --duration 60
    .venv/bin/python -m benchmarks.load --mix feed=50,report=50       # visitors only
    .venv/bin/python -m benchmarks.load --find-max 30,40,50,60,70 --duration 60   # the highest rate that holds

Serves the portal with docker-compose's web command (gunicorn, 3 sync workers, no threads, timeout
30 s) plus one Celery worker and Celery beat, on 127.0.0.1: PostgreSQL at DATABASE_URL (default a
database of its own, smarthp_bench_load on the local server, created, migrated and given the demo
data when empty) and one redis-server of its own for the cache, the sessions and the broker
(--redis-port, default 6391, no persistence), DEBUG off.

Requests arrive at --rate per second for --duration seconds (after --warmup seconds not counted),
whether or not earlier ones have finished (open loop: when the server falls behind, its queue shows
in the latencies, which count from the moment each request was due). --mix weighs the kinds:

    feed      the public feed, /phan-anh/ (a visitor)
    search    /phan-anh/?q=... (a visitor)
    report    a public report's page (a visitor)
    account   /tai-khoan/, signed in as one of 24 citizens
    mine      the citizen's own reports, /phan-anh/cua-toi/
    officer   the officer queue /can-bo/phan-anh/ (an officer or a leader of UBND Phường Lê Chân) or
              the 1022 triage queue (the operator)
    submit    a report through the real form (CSRF token, idempotency key, one JPEG photo)

Sessions are made directly in the session store, as django.contrib.auth.login() makes them (see
benchmarks.stack.session_cookie: the officer site checks that an officer has a TOTP authenticator;
the code itself is asked by allauth at sign-in, which this skips). A request is an error when it
gets no answer or another status than expected (200; a redirect to the new report for a submission).

Target (issue 13): p99 under --p99 (1 s) and errors under --max-errors (0.1 %); exits 1 when missed.
The load generator runs on the same machine as the server and takes CPU from it: the output says
how much.
"""

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import threading
import uuid
from collections import defaultdict
from pathlib import Path

from benchmarks.stack import (
    Child,
    OpenLoop,
    RedisServer,
    bench_citizens,
    celery,
    create_database,
    demo_photo,
    form_token,
    free_port,
    gunicorn_command,
    http_outcome,
    load_average,
    manage,
    percentile,
    port_in_use,
    portal_environment,
    seconds,
    session_cookie,
    wait_for_http,
    wait_for_worker,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/smarthp_bench_load"
DEFAULT_MIX = "feed=30,search=15,report=20,account=9,mine=9,officer=15,submit=2"
KINDS = ("feed", "search", "report", "account", "mine", "officer", "submit")
SEARCHES = ["duong", "den duong", "rac thai", "ngap nuoc", "lach tray", "cong thoat nuoc", "tiếng ồn", "hè phố"]
OFFICERS = {
    "canbo.lechan": "/can-bo/phan-anh/",
    "lanhdao.lechan": "/can-bo/phan-anh/",
    "dieuphoi.1022": "/can-bo/phan-anh/1022/",
}


def parse_mix(text):
    weights = {}
    for part in text.split(","):
        name, _, weight = part.partition("=")
        name = name.strip()
        if name not in KINDS:
            raise argparse.ArgumentTypeError(f"unknown kind {name!r}: choose from {', '.join(KINDS)}")
        try:
            weights[name] = float(weight)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"{part!r}: write kind=weight, e.g. feed=30") from exc
    if not any(weights.values()):
        raise argparse.ArgumentTypeError("the mix needs at least one kind with a weight above 0")
    return weights


def group_cpu_seconds(pgid):
    """CPU time (user + system) of every live process in a process group, from /proc: a gunicorn
    master and its workers, a Celery worker and its pool."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state ppid pgrp ... utime(11) stime(12)
            total += int(fields[11]) + int(fields[12])
    return total / tick


def own_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Workload:
    """The requests of the mix, as jobs for OpenLoop."""

    def __init__(self, *, base, mix, citizens, officers, report_codes, categories, units, seed):
        import requests

        self.requests = requests
        self.base = base
        self.kinds, self.weights = zip(*[(kind, weight) for kind, weight in mix.items() if weight > 0], strict=True)
        self.citizens = citizens  # [(session cookie, csrf cookie, form token)]
        self.officers = officers  # [(session cookie, path)]
        self.report_codes = report_codes
        self.categories = categories
        self.units = units
        self.rng = random.Random(seed)
        self.photo = demo_photo(seed)
        self._lock = threading.Lock()

    def job(self, number):
        with self._lock:  # called from the scheduler only, but cheap insurance
            rng = self.rng
            kind = rng.choices(self.kinds, self.weights)[0]
            session, csrf, token = rng.choice(self.citizens)
            cookies = {"sessionid": session, "csrftoken": csrf}
            if kind == "feed":
                return lambda: http_outcome(kind, self.requests, "GET", f"{self.base}/phan-anh/")
            if kind == "search":
                url = f"{self.base}/phan-anh/?q={rng.choice(SEARCHES)}"
                return lambda: http_outcome(kind, self.requests, "GET", url)
            if kind == "report":
                url = f"{self.base}/phan-anh/{rng.choice(self.report_codes)}/"
                return lambda: http_outcome(kind, self.requests, "GET", url)
            if kind in ("account", "mine"):
                url = f"{self.base}{'/tai-khoan/' if kind == 'account' else '/phan-anh/cua-toi/'}"
                return lambda: http_outcome(kind, self.requests, "GET", url, cookies=cookies)
            if kind == "officer":
                officer, path = rng.choice(self.officers)
                url = f"{self.base}{path}"
                return lambda: http_outcome(kind, self.requests, "GET", url, cookies={"sessionid": officer})
            category, unit = rng.choice(self.categories), rng.choice(self.units)
            data = {
                "csrfmiddlewaretoken": token,
                "category": str(category.pk),
                "title": f"Phản ánh thử tải số {number + 1}: {category.name}"[:200],
                "description": f"Nội dung phản ánh thử tải, gửi kèm một ảnh ({unit.name}).",
                "urgency": "",
                "unit": unit.code,
                "address": "Số 1 phố thử nghiệm",
                "visibility": "public",
                "idempotency_key": str(uuid.uuid4()),
            }

        def submit():
            outcome = http_outcome(
                "submit",
                self.requests,
                "POST",
                f"{self.base}/phan-anh/gui/",
                expect=(302,),
                data=data,
                files={"photos": ("anh.jpg", self.photo, "image/jpeg")},
                cookies=cookies,
            )
            if outcome.status == 302 and "/phan-anh/PA-" not in outcome.detail.get("location", ""):
                outcome.error = f"redirected to {outcome.detail['location'].split('?')[0]}"
            return outcome

        return submit


def summarise(outcomes, *, rate, duration, target_p99, max_errors):
    """Print the table of one run; returns (passed, overall p99, error share)."""
    by_kind = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.kind].append(outcome)
    print(f"  {'kind':<9} {'requests':>8} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}  errors")
    for kind in [*KINDS, "not sent", "all"]:
        rows = outcomes if kind == "all" else by_kind.get(kind)
        if not rows:
            continue
        latencies = [o.latency for o in rows]
        errors = defaultdict(int)
        for o in rows:
            if o.error:
                errors[o.error] += 1
        shown = ", ".join(f"{name}: {count}" for name, count in sorted(errors.items())) or "0"
        print(
            f"  {kind:<9} {len(rows):>8} {seconds(percentile(latencies, 0.5)):>8} "
            f"{seconds(percentile(latencies, 0.95)):>8} {seconds(percentile(latencies, 0.99)):>8} "
            f"{seconds(max(latencies)):>8}  {shown}"
        )
    latencies = [o.latency for o in outcomes]
    p99 = percentile(latencies, 0.99)
    error_share = sum(1 for o in outcomes if o.error) / len(outcomes)
    passed = p99 < target_p99 and error_share < max_errors
    print(
        f"  {len(outcomes)} requests in {duration:.1f} s ({len(outcomes) / duration:.1f}/s, asked {rate:g}/s); "
        f"p99 {seconds(p99)} (target under {seconds(target_p99)}), errors {error_share:.3%} "
        f"(target under {max_errors:.1%}): {'target met' if passed else 'TARGET MISSED'}"
    )
    return passed, p99, error_share


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0, help="requests per second (default 50)")
    parser.add_argument("--duration", type=float, default=600.0, help="seconds measured (default 600)")
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds at the rate before measuring (10)")
    parser.add_argument("--mix", type=parse_mix, default=parse_mix(DEFAULT_MIX), help=f"default {DEFAULT_MIX}")
    parser.add_argument(
        "--find-max",
        metavar="RATES",
        type=lambda text: [float(rate) for rate in text.split(",")],
        help="run each of these rates (comma-separated) for --duration and say the highest that meets the target",
    )
    parser.add_argument("--p99", type=float, default=1.0, help="p99 target in seconds (default 1)")
    parser.add_argument("--max-errors", type=float, default=0.001, help="error share target (default 0.001)")
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn workers (default 3, as docker-compose)")
    parser.add_argument("--concurrency", type=int, default=2, help="processes of the Celery worker (default 2)")
    parser.add_argument("--redis-port", type=int, default=6391, help="port of the Redis this script starts (6391)")
    parser.add_argument("--threads", type=int, help="client threads (default 4 per request a second, 32 at least)")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--keep-logs", action="store_true", help="keep gunicorn's, the worker's and Redis's logs")
    args = parser.parse_args(argv)
    if port_in_use(args.redis_port):
        parser.error(f"something already answers on port {args.redis_port}: choose another --redis-port")
    rates = args.find_max or [args.rate]

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    scratch = Path(tempfile.mkdtemp(prefix="smarthp-load-"))
    redis = RedisServer(args.redis_port, scratch)
    children = []
    failed = True
    try:
        if create_database(database_url):
            print(f"created database {database_url.rsplit('/', 1)[-1]}")
        redis.start()
        env = portal_environment(database_url=database_url, redis_url=redis.url, scratch=scratch)
        setup_env = dict(env, CELERY_BROKER_URL="")  # tasks of the setup run in-process
        manage(setup_env, "migrate", "--noinput")
        os.environ.update(env)
        from benchmarks.django_setup import setup

        setup()
        from django.contrib.auth import get_user_model
        from django.db import connection

        from feedback.models import Category, Report, RoutingRule
        from government.models import AdministrativeUnit

        if not RoutingRule.objects.exists():
            print("loading the demo data (load_demo) ...", flush=True)
            manage(setup_env, "load_demo")
        citizens = bench_citizens(24)
        officers = [
            (session_cookie(get_user_model().objects.get(username=name)), path) for name, path in OFFICERS.items()
        ]
        report_codes = list(Report.objects.public().order_by("-created_at").values_list("code", flat=True)[:1000])
        categories = list(Category.objects.filter(is_active=True, parent__isnull=False))
        units = list(AdministrativeUnit.objects.only("code", "name"))
        reports_before = Report.objects.count()
        # Planner statistics as autovacuum keeps them in production: a database the demo (or an
        # earlier run) just filled has none yet, and the feed's query then sorts the whole table
        # instead of walking its index (3 ms instead of 0.4 ms a miss, p99 2.9 s instead of 0.16 s).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        connection.close()

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        web = Child("web", gunicorn_command(port, workers=args.web_workers), env, scratch, restart_delay=1.0)
        children.append(web)
        worker = Child(
            "worker",
            celery("worker", "--loglevel=warning", f"--concurrency={args.concurrency}", "--hostname=load@localhost"),
            env,
            scratch,
            restart_delay=1.0,
        )
        children.append(worker)
        beat = Child(
            "beat", celery("beat", "--loglevel=warning", f"--schedule={scratch / 'beat-schedule'}"), env, scratch
        )
        children.append(beat)
        wait_for_http(web, f"{base}/healthz")
        wait_for_worker(worker, "load@localhost")

        import requests

        signed_in = []
        for user in citizens:
            cookie = session_cookie(user)
            session = requests.Session()
            session.cookies.set("sessionid", cookie)
            token = form_token(session, f"{base}/phan-anh/gui/")
            signed_in.append((cookie, session.cookies.get("csrftoken"), token))

        total = sum(args.mix.values())
        mix_text = ", ".join(f"{kind} {weight / total:.0%}" for kind, weight in args.mix.items() if weight)
        print(f"database: {connection.vendor} {connection.settings_dict['NAME']} ({reports_before} reports)")
        print(
            f"server: gunicorn {args.web_workers} sync workers; Celery worker prefork x{args.concurrency} and beat; "
            f"Redis (own, port {args.redis_port}) for cache, sessions and broker"
        )
        print(f"mix: {mix_text}")
        print(f"machine: {os.cpu_count()} cores shared by the server, PostgreSQL, Redis and this load generator")
        print(f"load average at the start: {load_average()}")

        workload = Workload(
            base=base,
            mix=args.mix,
            citizens=signed_in,
            officers=officers,
            report_codes=report_codes or ["PA-0000-000000"],
            categories=categories,
            units=units,
            seed=args.seed,
        )
        results = []
        for rate in rates:
            threads = args.threads or min(400, max(32, int(rate * 4)))
            if args.warmup:
                OpenLoop(rate=rate, count=int(rate * args.warmup), threads=threads, make=workload.job).run()
            cpu = {child.name: group_cpu_seconds(child.process.pid) for child in children}
            own = own_cpu_seconds()
            loop = OpenLoop(rate=rate, count=int(rate * args.duration), threads=threads, make=workload.job)
            print()
            print(f"{rate:g} requests/s for {args.duration:g} s ({threads} client threads, after {args.warmup:g} s)")
            took = loop.run(tick=lambda: [child.restart_if_exited() for child in children])
            used = {child.name: group_cpu_seconds(child.process.pid) - cpu[child.name] for child in children}
            used["load generator"] = own_cpu_seconds() - own
            passed, p99, errors = summarise(
                loop.outcomes, rate=rate, duration=took, target_p99=args.p99, max_errors=args.max_errors
            )
            print(
                "  CPU used (share of one core): "
                + ", ".join(f"{name} {value:.0f} s ({value / took:.0%})" for name, value in used.items())
                + f"; load average {load_average()}"
            )
            if loop.late:
                print(f"  the scheduler itself sent {loop.late} requests more than 100 ms late (the machine was busy)")
            restarts = {child.name: len(child.exits) for child in children if child.exits}
            if restarts:
                print(f"  restarted after exiting: {restarts}")
            results.append((rate, passed, p99, errors))
        if args.find_max:
            print()
            print("rate/s   p99       errors   target")
            for rate, passed, p99, errors in results:
                print(f"{rate:>6g}   {seconds(p99):>7}   {errors:>7.3%}  {'met' if passed else 'missed'}")
            held = [rate for rate, passed, *_ in results if passed]
            print(f"highest rate that met the target: {max(held):g}/s" if held else "no rate met the target")
            failed = not held
        else:
            failed = not results[0][1]
    except KeyboardInterrupt:
        print("\ninterrupted: stopping everything this run started", file=sys.stderr)
    except BaseException:
        for child in children:
            print(f"--- {child.name} log (end) ---\n{child.tail()}", file=sys.stderr)
        raise
    finally:
        for child in reversed(children):
            child.stop()
        redis.stop()
        if args.keep_logs:
            print(f"logs: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
