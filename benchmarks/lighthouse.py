"""Lighthouse mobile audit of the citizen pages, on the portal served as in production.

    .venv/bin/python -m benchmarks.lighthouse            # the citizen pages, 3 runs each
    .venv/bin/python -m benchmarks.lighthouse / --runs 1 --save /tmp/lh   # one page, keep the reports

Builds a scratch SQLite database with the demo data (migrate, load_demo), collects the static files
into a temporary folder, and starts gunicorn on a free port of 127.0.0.1 with DEBUG off (hashed
static files served by WhiteNoise, as in the Docker image). Then Lighthouse's default (mobile)
configuration, with simulated throttling, audits each page in Debian's Chromium; the run with the
median performance score is reported. DESIGN §5: performance and accessibility at least 95 on
every citizen page; exits 1 when a page is under --budget. The server and the scratch files are
removed at the end.

Needs Node.js and Lighthouse installed in benchmarks/node_modules (`npm ci` in benchmarks/), and a
Chromium (CHROME_PATH, default /usr/bin/chromium). Nothing leaves 127.0.0.1.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices")
BUDGET = 95
ATTEMPTS = 3
# The report page is added once the demo data tells which report to show.
PAGES = ["/", "/phan-anh/", "REPORT", "/accounts/login/", "/accounts/signup/", "/phan-anh/thong-ke/"]
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
METRICS = [
    ("first-contentful-paint", "FCP", "s"),
    ("largest-contentful-paint", "LCP", "s"),
    ("speed-index", "SI", "s"),
    ("total-blocking-time", "TBT", "ms"),
    ("cumulative-layout-shift", "CLS", ""),
]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def portal_environment(scratch):
    """Production-like settings for a throwaway portal: no Redis, no broker, nothing shared."""
    env = dict(os.environ)
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "HTTPS", "STATIC_PLAIN", "SMS_BACKEND", "MAP_TILE_URL"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.lighthouse_settings",
        BENCH_STATIC_ROOT=str(scratch / "static"),
        DATABASE_URL=f"sqlite:///{scratch / 'db.sqlite3'}",
        MEDIA_ROOT=str(scratch / "media"),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=HERE.parent, env=env, check=True, stdout=subprocess.DEVNULL
    )


def demo_report_code(env):
    """A public demo report with an agency's answer: the fullest page a visitor sees."""
    script = (
        "from feedback.models import Report\n"
        "report = Report.objects.public().filter(answers__isnull=False).order_by('created_at').first()\n"
        "report = report or Report.objects.public().order_by('created_at').first()\n"
        "print(report.code)\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=HERE.parent,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


def start_server(env, port, log):
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "smarthp.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "30",
            "--access-logfile",
            "-",
        ],
        cwd=HERE.parent,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (exit {server.returncode}); see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def stop_server(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # the gunicorn master and its workers, nothing else
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def audit(url, output, chrome_path, language):
    """One Lighthouse run (default config: mobile, simulated throttling): the summary of its report.

    On a busy machine Lighthouse now and then loses the trace of the page load (NO_NAVSTART) and
    reports nothing: that run is tried again, up to ATTEMPTS times."""
    env = dict(os.environ, CHROME_PATH=chrome_path)
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        "--output=html",
        f"--output-path={output}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        # The portal answers in the browser's language; Vietnamese is what most citizens read.
        f"--extra-headers={json.dumps({'Accept-Language': language})}",
        "--quiet",
    ]
    report_path = Path(f"{output}.report.json")
    for attempt in range(1, ATTEMPTS + 1):
        report_path.unlink(missing_ok=True)
        finished = subprocess.run(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=300
        )
        report = json.loads(report_path.read_text()) if report_path.exists() else {}
        if finished.returncode == 0 and report and not report.get("runtimeError"):
            return summary(report)
        error = report.get("runtimeError", {}).get("message") or (finished.stderr.strip().splitlines() or ["?"])[-1]
        print(f"    {url}: Lighthouse run failed (attempt {attempt} of {ATTEMPTS}): {error}", file=sys.stderr)
    raise RuntimeError(f"Lighthouse failed {ATTEMPTS} times on {url}")


def summary(report):
    audits = report["audits"]
    scores = {name: report["categories"][name]["score"] for name in CATEGORIES}
    failing = {}
    for name in ("accessibility", "best-practices"):
        ids = [
            ref["id"]
            for ref in report["categories"][name]["auditRefs"]
            if ref["weight"] > 0 and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1
        ]
        failing[name] = ids
    return {
        "scores": {name: round(score * 100) if score is not None else None for name, score in scores.items()},
        "bytes": audits["total-byte-weight"]["numericValue"],
        "requests": len(audits["network-requests"]["details"]["items"]),
        "metrics": {key: audits[key]["numericValue"] for key, _label, _unit in METRICS},
        "failing": failing,
    }


def format_metrics(metrics):
    parts = []
    for key, label, unit in METRICS:
        value = metrics[key]
        if unit == "s":
            parts.append(f"{label} {value / 1000:.1f} s")
        elif unit == "ms":
            parts.append(f"{label} {value:.0f} ms")
        else:
            parts.append(f"{label} {value:.3f}")
    return ", ".join(parts)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.lighthouse", description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="*", help="pages to audit (default: the citizen pages and a demo report)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page; the median is kept (default 3)")
    parser.add_argument("--budget", type=int, default=BUDGET, help="least performance and accessibility score (95)")
    parser.add_argument("--save", type=Path, help="keep every run's HTML and JSON report in this folder")
    parser.add_argument("--language", default="vi", help="Accept-Language of the browser (default vi)")
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"), help="Chromium")
    args = parser.parse_args(argv)

    if not LIGHTHOUSE.exists():
        parser.error("Lighthouse is not installed: run `npm ci` in the benchmarks folder first")
    if not shutil.which("node"):
        parser.error("Node.js (`node`) is not on the PATH")

    scratch = Path(tempfile.mkdtemp(prefix="smarthp-lighthouse-"))
    reports = args.save or scratch / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    env = portal_environment(scratch)
    server = None
    under = []
    try:
        print("preparing: migrate, collectstatic, load_demo ...", flush=True)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "load_demo")
        code = demo_report_code(env)
        urls = args.urls or [f"/phan-anh/{code}/" if url == "REPORT" else url for url in PAGES]

        port = free_port()
        with open(scratch / "gunicorn.log", "w") as log:
            server = start_server(env, port, log)
            print(f"portal on http://127.0.0.1:{port}/ (gunicorn, DEBUG off, SQLite with the demo data)")
            print(
                f"Lighthouse mobile preset (simulated throttling), pages in '{args.language}', "
                f"{args.runs} run(s) per page, median kept"
            )
            print()
            print(f"{'page':<28} {'perf':>4} {'a11y':>4} {'best':>4} {'transfer':>10} {'requests':>8}")
            for url in urls:
                runs = []
                for number in range(args.runs):
                    slug = url.strip("/").replace("/", "_") or "home"
                    output = reports / f"{slug}-{number + 1}"
                    runs.append(audit(f"http://127.0.0.1:{port}{url}", output, args.chrome, args.language))
                runs.sort(key=lambda run: run["scores"]["performance"] or 0)
                kept = runs[len(runs) // 2]
                scores = kept["scores"]
                print(
                    f"{url:<28} {scores['performance']:>4} {scores['accessibility']:>4} "
                    f"{scores['best-practices']:>4} {kept['bytes'] / 1024:>7.1f} KB {kept['requests']:>8}"
                )
                print(f"    {format_metrics(kept['metrics'])}")
                if args.runs > 1:
                    print(
                        f"    performance of every run: {', '.join(str(run['scores']['performance']) for run in runs)}"
                    )
                for name, ids in kept["failing"].items():
                    if ids:
                        print(f"    {name} audits not passed: {', '.join(ids)}")
                if any((scores[name] or 0) < args.budget for name in ("performance", "accessibility")):
                    under.append(url)
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(scratch, ignore_errors=True)

    print()
    if args.save:
        print(f"reports: {reports}")
    if under:
        print(f"under the budget ({args.budget} on performance and accessibility): {' '.join(under)}")
        return 1
    print(f"every page at {args.budget} or more on performance and accessibility")
    return 0


if __name__ == "__main__":
    sys.exit(main())
