"""The chaos run: reports filed while workers are killed, Redis is away and PostgreSQL restarts.

    .venv/bin/python -m benchmarks.chaos --quick      # about 4 minutes: 200 reports, a 30 s Redis outage
    .venv/bin/python -m benchmarks.chaos              # 1,000 reports at 4/s, Redis away for 120 s
    .venv/bin/python -m benchmarks.chaos --no-pg-restart --kill-every 0   # Redis outage only

Issue 13's operator run, repeated by one command on one machine. Everything runs on 127.0.0.1 and
belongs to this script: a PostgreSQL cluster of its own (initdb into a scratch folder, --pg-port,
default 5440), one redis-server of its own for the cache, the sessions and the broker as
docker-compose runs it (--redis-port, default 6390, no persistence), migrate + load_demo, then
gunicorn (docker-compose's command: 3 sync workers), two Celery workers and Celery beat, with text
messages recorded in the database (citizens.sms.DatabaseBackend).

Then --reports reports (default 1000) from --citizens signed-in citizens (24) at --rate (4/s), through
the real form (CSRF token, idempotency key, a photo in one of five), about --twice (10 %) of them
sent twice with the same key (half as a double tap, half as a retry a moment later); a citizen whose
form gets an error or no answer sends it again up to twice. Alongside, at --reads-rate (4/s):
the public feed, searches, report pages, the citizen's account, own reports and notices, and an
officer's queue. Meanwhile one worker after the other is killed with SIGKILL every --kill-every
seconds (and started again, as docker-compose's restart policy would), Redis is shut down
(`shutdown nosave`: queue, cache and cached sessions lost) for --outage-seconds in the middle, and
PostgreSQL is restarted once (`pg_ctl restart -m fast`) early in the run. Then it waits, at most
--drain-timeout, for every report to be routed and every notice and SMS to be sent.

It counts: reports lost (a redirect to the report page answered, no row for that idempotency key),
duplicated (two rows for one key), routed twice (two "received" or two routed/triage events),
unrouted at the end, SMS problems (`sms_problems()`, in benchmarks/chaos_checks.py), and the answers
clients saw, by status and by phase. Exits 1 on anything lost, duplicated, routed twice or
unrouted, any SMS problem, any 500 and any request that got no answer at all. A 503 (the busy page)
while PostgreSQL restarts is expected and shown apart. Every process it started is stopped at the
end, also on errors and Ctrl-C; the scratch folder is removed unless --keep-logs or a check failed.
"""

import argparse
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.chaos_checks import check_reports, pending_work, print_answers, retrying, run_reports, sms_problems
from benchmarks.stack import (
    Child,
    OpenLoop,
    PostgresCluster,
    RedisServer,
    bench_citizens,
    celery,
    demo_photo,
    form_token,
    free_port,
    gunicorn_command,
    http_outcome,
    load_average,
    manage,
    port_in_use,
    portal_environment,
    seconds,
    session_cookie,
    wait_for_http,
    wait_for_worker,
)

DATABASE = "smarthp"
PG_RESTART_GRACE = 5.0  # seconds after PostgreSQL answers again that a 503 still counts as its doing
RESUBMIT_AFTER = 3.0  # a citizen who got an error sends the form again after this long
FORM_ERROR = re.compile(r'class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', re.S)
SEARCHES = ["duong", "den duong", "rac thai", "ngap nuoc", "lach tray", "cong thoat nuoc", "tiếng ồn"]


class Interrupted(Exception):
    """SIGTERM: stop as after Ctrl-C, through the finally blocks."""


def _on_sigterm(signum, frame):
    raise Interrupted


# --- The citizens' side ---------------------------------------------------------------------------


@dataclass
class Form:
    """One report form as a citizen fills it in; `answers` are every POST of it."""

    number: int
    citizen: int
    key: str
    twice: str = ""  # "", "tap" (two POSTs at once) or "retry" (again a moment later)
    answers: list = field(default_factory=list)  # Outcome of each POST

    @property
    def accepted(self):
        """The form was taken: some POST was redirected to the report's page."""
        return any(is_report_redirect(outcome) for outcome in self.answers)


def is_report_redirect(outcome):
    return outcome.status in (301, 302, 303) and "/phan-anh/PA-" in outcome.detail.get("location", "")


class Visitors:
    """What citizens and an officer do during the run, as jobs for OpenLoop."""

    def __init__(self, *, base, citizens, officer_cookie, categories, units, report_codes, seed, twice, photos):
        import requests

        self.requests = requests
        self.base = base
        self.citizens = citizens  # [(user, session cookie, csrf cookie, form token)]
        self.officer_cookie = officer_cookie
        self.categories = categories
        self.units = units
        self.report_codes = report_codes
        self.rng = random.Random(seed)
        self.twice = twice
        self.photo_every = round(1 / photos) if photos else 0
        self.photo = demo_photo(seed)
        self.forms = []
        self.posts = []  # every POST's Outcome (the forms' answers), for the status tables
        self._lock = threading.Lock()

    def cookies(self, citizen):
        _user, session, csrf, _token = self.citizens[citizen]
        return {"sessionid": session, "csrftoken": csrf}

    # Submissions.
    def submission(self, number):
        rng = self.rng
        form = Form(number=number, citizen=number % len(self.citizens), key=str(uuid.uuid4()))
        if rng.random() < self.twice:
            form.twice = rng.choice(["tap", "retry"])
        category, unit = rng.choice(self.categories), rng.choice(self.units)
        data = {
            "csrfmiddlewaretoken": self.citizens[form.citizen][3],
            "category": str(category.pk),
            "title": f"Phản ánh thử số {number + 1}: {category.name}"[:200],
            "description": f"Nội dung phản ánh thử trong lúc hệ thống gặp sự cố ({unit.name}).",
            "urgency": "",
            "unit": unit.code,
            "address": f"Số {number + 1} phố thử nghiệm",
            "visibility": "public",
            "idempotency_key": form.key,
        }
        photo = bool(self.photo_every) and number % self.photo_every == 0
        with self._lock:
            self.forms.append(form)

        def post():
            files = {"photos": (f"anh-{number}.jpg", self.photo, "image/jpeg")} if photo else None
            outcome = http_outcome(
                "submit",
                self.requests,
                "POST",
                f"{self.base}/phan-anh/gui/",
                expect=(302,),
                data=data,
                files=files,
                cookies=self.cookies(form.citizen),
            )
            if outcome.status == 302 and not is_report_redirect(outcome):
                outcome.error = f"redirected to {outcome.detail['location'].split('?')[0]}"
            elif outcome.status == 200:
                refused = FORM_ERROR.search(outcome.detail.get("body", ""))
                outcome.error = f"form refused: {refused.group(1) if refused else '?'}"
            with self._lock:
                form.answers.append(outcome)
                self.posts.append(outcome)
            return outcome

        def job():
            if form.twice == "tap":
                other = threading.Thread(target=post)
                other.start()
            first = post()
            attempt = 1
            while not is_report_redirect(first) and attempt < 3:  # the citizen sends it again
                time.sleep(RESUBMIT_AFTER)
                first = post()
                attempt += 1
            if form.twice == "retry":
                time.sleep(rng.uniform(0.5, 3))
                post()
            if form.twice == "tap":
                other.join()
            return first

        return job

    # Reads.
    READS = [
        ("feed", 30),
        ("search", 10),
        ("report page", 15),
        ("account", 15),
        ("own reports", 15),
        ("notices", 5),
        ("officer queue", 10),
    ]

    def read(self, number):
        kinds, weights = zip(*self.READS, strict=True)
        kind = self.rng.choices(kinds, weights)[0]
        citizen = self.rng.randrange(len(self.citizens))
        cookies = None
        if kind == "feed":
            path = "/phan-anh/"
        elif kind == "search":
            path = f"/phan-anh/?q={self.rng.choice(SEARCHES)}"
        elif kind == "report page":
            path = f"/phan-anh/{self.rng.choice(self.report_codes)}/"
        elif kind == "officer queue":
            path, cookies = "/can-bo/phan-anh/", {"sessionid": self.officer_cookie}
        else:
            path = {"account": "/tai-khoan/", "own reports": "/phan-anh/cua-toi/", "notices": "/thong-bao/"}
            path, cookies = path[kind], self.cookies(citizen)
        return lambda: http_outcome(kind, self.requests, "GET", f"{self.base}{path}", cookies=cookies)


# --- Faults ---------------------------------------------------------------------------------------


class Faults:
    """The fault schedule, run from the main thread every 50 ms: kills, the Redis outage, the
    PostgreSQL restart. Keeps every window (monotonic times) to sort the answers by phase."""

    def __init__(self, *, start, workers, others, redis, postgres, kill_every, outage_at, outage_seconds, pg_at):
        self.start = start
        self.workers = workers
        self.children = [*workers, *others]
        self.redis = redis
        self.postgres = postgres
        self.kill_every = kill_every
        self.outage_at = outage_at
        self.outage_seconds = outage_seconds
        self.pg_at = pg_at
        self.kills = 0
        self.next_kill = kill_every or None
        self.redis_window = None  # [down, up]
        self.pg_window = None
        self.log = []  # (seconds since start, what happened)
        self.killing = True
        self._pg_thread = None

    def note(self, text):
        self.log.append((time.monotonic() - self.start, text))

    def tick(self):
        elapsed = time.monotonic() - self.start
        for child in self.children:
            if child.restart_if_exited():
                self.note(f"{child.name} exited ({child.exits[-1][1]}): started again")
        if self.killing and self.next_kill is not None and elapsed >= self.next_kill:
            victim = self.workers[self.kills % len(self.workers)]
            victim.kill()
            self.kills += 1
            self.next_kill += self.kill_every
        if self.outage_at is not None and self.redis_window is None and elapsed >= self.outage_at:
            self.redis.stop()
            self.redis_window = [time.monotonic(), None]
            self.note("Redis shut down (nosave)")
        if self.redis_window and self.redis_window[1] is None and elapsed >= self.outage_at + self.outage_seconds:
            self.redis.start()
            self.redis_window[1] = time.monotonic()
            self.note(f"Redis started again after {self.redis_window[1] - self.redis_window[0]:.1f} s")
        if self.pg_at is not None and self._pg_thread is None and elapsed >= self.pg_at:
            self._pg_thread = threading.Thread(target=self._restart_postgres, daemon=True)
            self._pg_thread.start()

    def _restart_postgres(self):
        began = time.monotonic()
        self.pg_window = [began, None]
        self.note("PostgreSQL restart (-m fast) begins")
        self.postgres.restart()
        self.pg_window[1] = time.monotonic()
        self.note(f"PostgreSQL answers again after {self.pg_window[1] - began:.1f} s")

    def finish(self):
        """No more kills; Redis back if it is still away; the PostgreSQL restart done."""
        self.killing = False
        if self._pg_thread:
            self._pg_thread.join(timeout=120)
        if self.redis_window and self.redis_window[1] is None:
            self.redis.start()
            self.redis_window[1] = time.monotonic()
            self.note("Redis started again (end of the load)")
        for child in self.children:
            child.restart_if_exited()

    def phase(self, at):
        if self.redis_window and self.redis_window[0] <= at <= (self.redis_window[1] or float("inf")):
            return "Redis down"
        if self.pg_window and self.pg_window[0] <= at <= (self.pg_window[1] or float("inf")) + PG_RESTART_GRACE:
            return "PostgreSQL restart"
        return "normal"


# --- The run --------------------------------------------------------------------------------------


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.chaos", description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, help="reports to file (default 1000; --quick 200)")
    parser.add_argument("--rate", type=float, default=4.0, help="report forms per second (default 4)")
    parser.add_argument("--citizens", type=int, default=24, help="signed-in citizens filing them (default 24)")
    parser.add_argument("--twice", type=float, default=0.1, help="share of forms sent twice (default 0.1)")
    parser.add_argument("--photos", type=float, default=0.2, help="share of forms with a photo (default 0.2)")
    parser.add_argument("--reads-rate", type=float, default=4.0, help="page loads per second alongside (default 4)")
    parser.add_argument("--outage-seconds", type=float, help="Redis away this long, 0: never (default 120; --quick 30)")
    parser.add_argument("--kill-every", type=float, default=10, help="kill -9 a worker this often, 0: never (10 s)")
    parser.add_argument("--no-pg-restart", action="store_true", help="do not restart PostgreSQL")
    parser.add_argument("--quick", action="store_true", help="a short run: 200 reports, a 30 s outage")
    parser.add_argument("--drain-timeout", type=float, default=300, help="longest wait for the queue to drain (s)")
    parser.add_argument("--concurrency", type=int, default=2, help="processes of each Celery worker (default 2)")
    parser.add_argument("--pg-port", type=int, default=5440, help="port of this run's PostgreSQL (default 5440)")
    parser.add_argument("--redis-port", type=int, default=6390, help="port of this run's Redis (default 6390)")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--keep-logs", action="store_true", help="keep the scratch folder with every log")
    args = parser.parse_args(argv)
    if args.reports is None:
        args.reports = 200 if args.quick else 1000
    if args.outage_seconds is None:
        args.outage_seconds = 30 if args.quick else 120
    for port, flag in ((args.pg_port, "--pg-port"), (args.redis_port, "--redis-port")):
        if port_in_use(port):
            parser.error(f"something already answers on port {port}: choose another {flag}")
    return args


def main(argv=None):
    args = parse(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    timings = []  # (phase, seconds)
    clock = time.monotonic()

    def phase_done(name):
        nonlocal clock
        now = time.monotonic()
        timings.append((name, now - clock))
        clock = now

    scratch = Path(tempfile.mkdtemp(prefix="smarthp-chaos-"))
    postgres = PostgresCluster(args.pg_port, scratch)
    redis = RedisServer(args.redis_port, scratch)
    children = []
    failed = True
    try:
        # 1. Our own PostgreSQL and Redis, the schema and the demo data.
        print(f"PostgreSQL on 127.0.0.1:{args.pg_port} (own cluster), Redis on 127.0.0.1:{args.redis_port} (own)")
        postgres.init()
        postgres.start()
        postgres.create_database(DATABASE)
        redis.start()
        env = portal_environment(database_url=postgres.url(DATABASE), redis_url=redis.url, scratch=scratch)
        setup_env = dict(env, CELERY_BROKER_URL="")  # tasks of the setup run in-process
        manage(setup_env, "migrate", "--noinput")
        manage(setup_env, "load_demo")
        phase_done("PostgreSQL cluster, migrate, load_demo")

        os.environ.update(env)
        from benchmarks.django_setup import setup

        setup()
        from django.contrib.auth import get_user_model

        from feedback.models import Category, Report
        from government.models import AdministrativeUnit

        citizens = bench_citizens(args.citizens)
        officer = get_user_model().objects.get(username="canbo.lechan")
        categories = list(Category.objects.filter(is_active=True, parent__isnull=False))
        units = list(AdministrativeUnit.objects.only("code", "name"))
        report_codes = list(Report.objects.public().values_list("code", flat=True))

        # 2. The portal as docker-compose runs it.
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        web = Child("web", gunicorn_command(port), env, scratch, restart_delay=1.0)
        children.append(web)
        workers = []
        for number in (1, 2):
            hostname = f"chaos-{number}@localhost"
            command = celery("worker", "--loglevel=info", f"--concurrency={args.concurrency}", f"--hostname={hostname}")
            workers.append(Child(f"worker-{number}", command, env, scratch, restart_delay=1.0))
        children.extend(workers)
        beat_command = celery("beat", "--loglevel=info", f"--schedule={scratch / 'beat-schedule'}")
        beat = Child("beat", beat_command, env, scratch, restart_delay=1.0)
        children.append(beat)
        wait_for_http(web, f"{base}/healthz")
        for number, worker in enumerate(workers, start=1):
            wait_for_worker(worker, f"chaos-{number}@localhost")

        import requests

        signed_in = []
        for user in citizens:
            cookie = session_cookie(user)
            session = requests.Session()
            session.cookies.set("sessionid", cookie)
            token = form_token(session, f"{base}/phan-anh/gui/")
            signed_in.append((user, cookie, session.cookies.get("csrftoken"), token))
        phase_done("gunicorn, 2 workers, beat; citizens signed in")
        print(
            f"gunicorn {base} (3 sync workers), 2 Celery workers (prefork x{args.concurrency}), beat; "
            f"load average {load_average()}"
        )

        # 3. The load and the faults.
        visitors = Visitors(
            base=base,
            citizens=signed_in,
            officer_cookie=session_cookie(officer),
            categories=categories,
            units=units,
            report_codes=report_codes,
            seed=args.seed,
            twice=args.twice,
            photos=args.photos,
        )
        duration = args.reports / args.rate
        outage_at = 0.2 * duration + max(0.0, (0.8 * duration - args.outage_seconds) / 2)
        submissions = OpenLoop(
            rate=args.rate, count=args.reports, threads=max(16, int(args.rate * 8)), make=visitors.submission
        )
        reads = OpenLoop(
            rate=args.reads_rate,
            count=int(args.reads_rate * duration) or 1,
            threads=max(16, int(args.reads_rate * 8)),
            make=visitors.read,
        )
        print()
        print(
            f"load: {args.reports} report forms at {args.rate:g}/s from {args.citizens} citizens "
            f"(~{args.twice:.0%} sent twice, {args.photos:.0%} with a photo), page loads at {args.reads_rate:g}/s, "
            f"for {duration:.0f} s"
        )
        print(
            f"faults: kill -9 a worker {f'every {args.kill_every:g} s' if args.kill_every else 'never'}; "
            f"Redis away for {args.outage_seconds:g} s from {outage_at:.0f} s; PostgreSQL restart "
            f"{'none' if args.no_pg_restart else f'at {0.1 * duration:.0f} s'}"
        )
        start = time.monotonic()
        faults = Faults(
            start=start,
            workers=workers,
            others=[web, beat],
            redis=redis,
            postgres=postgres,
            kill_every=args.kill_every,
            outage_at=outage_at if args.outage_seconds > 0 else None,
            outage_seconds=args.outage_seconds,
            pg_at=None if args.no_pg_restart else 0.1 * duration,
        )
        loops = [threading.Thread(target=loop.run, daemon=True) for loop in (submissions, reads)]
        for thread in loops:
            thread.start()
        while any(thread.is_alive() for thread in loops) or (faults.redis_window and faults.redis_window[1] is None):
            faults.tick()
            time.sleep(0.05)
        faults.finish()
        phase_done("load under faults")
        for at, text in faults.log:
            print(f"  {at:7.1f} s  {text}")
        restarts = {child.name: len(child.exits) for child in children if child.exits}
        print(f"  workers killed: {faults.kills}; restarts (kills included): {restarts or 'none'}")

        # 4. Drain: every report routed, every notice and SMS sent.
        citizen_ids = [user.pk for user in citizens]
        deadline = time.monotonic() + args.drain_timeout
        while True:
            for child in children:
                child.restart_if_exited()
            left = retrying(lambda: pending_work(run_reports(citizen_ids)))
            if not any(left) or time.monotonic() > deadline:
                break
            time.sleep(1)
        phase_done("drain")
        print()
        print(f"drained: unrouted {left[0]}, notices not made {left[1]}, SMS not sent {left[2]}")

        # 5. Checks.
        print()
        print("answers seen by clients (submit: every POST of a report form, the second sends included):")
        errors, unanswered, unexpected_503 = print_answers([*visitors.posts, *reads.outcomes], faults)
        result = retrying(lambda: check_reports(visitors.forms, signed_in))
        sms = retrying(sms_problems)
        accepted = sum(1 for form in visitors.forms if form.accepted)
        print(f"SMS: {sms['asked']} notices asked for one")
        sent_twice = Counter(form.twice for form in visitors.forms if form.twice)
        print()
        print(
            f"forms: {len(visitors.forms)}, taken {accepted}, never taken after 3 tries "
            f"{len(visitors.forms) - accepted}; sent twice {dict(sent_twice)}"
        )
        print(
            f"reports in the database: {result['reports']}; statuses {result['statuses']}; "
            f"sweeper re-queues per report {result['routing attempts']}; "
            f"filed although the citizen saw an error: {result['filed after an error']}"
        )
        verdict = {
            "lost": len(result["lost"]),
            "duplicated": len(result["duplicated"]),
            "routed twice": len(result["routed twice"]),
            "unrouted at the end": len(result["unrouted"]),
            "SMS sent twice": len(sms["twice"]),
            "SMS never sent": len(sms["never"]),
            # Every routed report asks for a "received" SMS: none asked means sms_problems() looked
            # in the wrong place (notices moved), not that all went well.
            "SMS not checked": int(sms["asked"] == 0 and result["reports"] > 0),
            "answers 500": errors,
            "no answer": unanswered,
        }
        for name, count in verdict.items():
            print(f"  {name:<22} {count}")
        print(f"  {'503 outside the PostgreSQL restart':<22} {unexpected_503} (shown, not failed)")
        for name in ("lost", "duplicated", "routed twice", "unrouted"):
            if result[name]:
                print(f"    {name}: {', '.join(result[name][:10])}")
        if sms["never"] or sms["twice"]:
            print(f"    notices with SMS problems: never {sms['never'][:10]}, twice {sms['twice'][:10]}")
        failed = any(verdict.values())
        phase_done("checks")
    except (KeyboardInterrupt, Interrupted):
        print("\ninterrupted: stopping everything this run started", file=sys.stderr)
        failed = True
    except BaseException:
        for child in children:
            print(f"--- {child.name} log (end) ---\n{child.tail()}", file=sys.stderr)
        raise
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
        for child in reversed(children):
            child.stop()
        redis.stop()
        postgres.stop()
        phase_done("stop")
        print()
        print("phases: " + "; ".join(f"{name} {seconds(took)}" for name, took in timings))
        print(f"load average at the end: {load_average()}")
        if args.keep_logs or failed:
            print(f"logs: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
        signal.signal(signal.SIGINT, signal.default_int_handler)
    print("FAILED" if failed else "OK: nothing lost, nothing twice, no 500")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
