"""Time pages side by side with a bare Django view, in one run, in this process.

    .venv/bin/python -m benchmarks.pages / /healthz --runs 300

Each round fetches /bench/bare/ (the full middleware stack and one query) and then every page,
through Django's test Client: A B C A B C ... so that whatever the machine does meanwhile falls on
all of them alike. Times are server-side (no network, no browser). After a warm-up, it reports each
URL's median and 95th percentile, the ratio of its median to the bare view's, and how many SQL
queries one request makes. DESIGN §5: the report feed and a report page within 2x of bare.

On a machine busy with other work, a longer request is interrupted more often than the bare one,
which inflates the medians' ratio; the fastest tenth of each page's requests (p10) is the least
disturbed, so its ratio is printed too, and so is the ratio of the CPU time this process spent
on each request (median): other work on the machine barely moves it, but it leaves out the time
PostgreSQL works for the page (use it for pages whose queries are light, and say so). Quote the
median on a quiet machine, all three on a busy one.

Uses the database of the usual settings (DATABASE_URL, or the SQLite file), so run
`python -m benchmarks.fill ...` first for realistic volumes.
"""

import argparse
import statistics
import sys
import time

from benchmarks.django_setup import setup

BARE = "/bench/bare/"


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pages", description=__doc__.splitlines()[1].strip())
    parser.add_argument("urls", nargs="*", default=["/", "/healthz"], help="pages to time (default: / /healthz)")
    parser.add_argument("--runs", type=int, default=300, help="measured rounds (default 300)")
    parser.add_argument("--warmup", type=int, default=30, help="rounds thrown away first (default 30)")
    parser.add_argument("--user", help="fetch the pages signed in as this user name (citizen or officer pages)")
    parser.add_argument(
        "--miss",
        action="store_true",
        help="make the public page cache stale before each request of a page (as any report's save does), "
        "so that every request is a cache miss; cached feed rows stay (feedback.pagecache)",
    )
    parser.add_argument(
        "--cold", action="store_true", help="empty the whole cache before each request of a page (not the bare view)"
    )
    args = parser.parse_args(argv)

    setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from feedback import pagecache

    def before(url):
        """Untimed: what --miss or --cold asks for before a page is requested."""
        if url == BARE:
            return
        if args.cold:
            cache.clear()
        elif args.miss:
            pagecache.bump_generation()

    manifest = settings.STATIC_ROOT / "staticfiles.json"
    storages = settings.STORAGES
    if not manifest.exists():
        # Production's manifest storage needs `collectstatic`; without it, plain storage (same cost).
        storages = {**storages, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

    with override_settings(
        ROOT_URLCONF="benchmarks.urls", ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], STORAGES=storages
    ):
        client = Client()
        if args.user:
            client.force_login(get_user_model().objects.get(username=args.user))
        urls = [BARE, *args.urls]

        queries, statuses = {}, {}
        for url in urls:
            before(url)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            statuses[url] = response.status_code
            queries[url] = len(captured.captured_queries)
            if response.status_code != 200:
                print(f"warning: {url} answered {response.status_code}", file=sys.stderr)

        times = {url: [] for url in urls}
        cpu = {url: [] for url in urls}
        for round_number in range(args.warmup + args.runs):
            for url in urls:
                before(url)
                started, started_cpu = time.perf_counter_ns(), time.thread_time_ns()
                client.get(url)
                elapsed, elapsed_cpu = time.perf_counter_ns() - started, time.thread_time_ns() - started_cpu
                if round_number >= args.warmup:
                    times[url].append(elapsed / 1e6)
                    cpu[url].append(elapsed_cpu / 1e6)

    bare_median = statistics.median(times[BARE])
    bare_p10 = percentile(times[BARE], 0.10)
    bare_cpu = statistics.median(cpu[BARE])
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    static = storages["staticfiles"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"database: {connection.vendor}; cache: {backend}; static files: {static}")
    mode = "cold: cache emptied" if args.cold else "miss: page cache made stale" if args.miss else "as it comes"
    print(f"rounds: {args.runs} after {args.warmup} warm-up, interleaved; {mode} before each page")
    print()
    print(
        f"{'url':<32} {'status':>6} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'x bare':>7}"
        f" {'p10 ms':>7} {'x bare p10':>10} {'cpu ms':>7} {'x bare cpu':>10}"
    )
    for url in urls:
        median, p10 = statistics.median(times[url]), percentile(times[url], 0.10)
        print(
            f"{url:<32} {statuses[url]:>6} {queries[url]:>7} {median:>10.2f} "
            f"{percentile(times[url], 0.95):>8.2f} {median / bare_median:>7.2f} {p10:>7.2f} {p10 / bare_p10:>10.2f}"
            f" {statistics.median(cpu[url]):>7.2f} {statistics.median(cpu[url]) / bare_cpu:>10.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
