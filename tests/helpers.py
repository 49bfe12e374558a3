"""Helpers shared by the test suite: service detection and the query-count budget.

Import them in tests as `from tests.helpers import ...`.
"""

import functools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

BASE_DIR = Path(__file__).resolve().parent.parent

# DESIGN §5: a citizen page makes at most 8 SQL queries, an officer page at most 15, whatever the
# number of rows.
CITIZEN_PAGE_MAX_QUERIES = 8
OFFICER_PAGE_MAX_QUERIES = 15

DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium"


# --- Services that a test needs ---------------------------------------------------------------


def running_in_ci():
    """CI=true (or 1), the way every CI system says so."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1")


def skip_or_fail(reason):
    """A test whose service is missing skips on a laptop, and fails in CI: CI must never pass by
    quietly skipping the tests that matter most."""
    if running_in_ci():
        pytest.fail(f"{reason} (CI=true, so a missing service is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


@functools.cache
def services_problem():
    """Why the real PostgreSQL + Redis pair is not available, or None when it is (checked once)."""
    return find_services_problem(settings.DATABASES["default"]["ENGINE"], settings.REDIS_URL)


def find_services_problem(engine, redis_url):
    if "postgresql" not in engine:
        return "DATABASE_URL does not point at PostgreSQL"
    if not redis_url:
        return "REDIS_URL is not set"
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as exc:
        return f"Redis at REDIS_URL does not answer ({type(exc).__name__})"
    return None


def require_services():
    problem = services_problem()
    if problem:
        skip_or_fail(f"needs PostgreSQL and Redis: {problem}")


def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM_PATH


def require_chromium():
    path = chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        skip_or_fail(f"needs Chromium at {path} (apt-get install chromium, or set CHROMIUM_PATH)")
    return path


# --- Query budget -----------------------------------------------------------------------------


def count_queries(client, url, *, status=200):
    """Fetch `url` with the test client and return (response, the SQL statements it ran)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == status, f"GET {url} answered {response.status_code}, expected {status}"
    return response, [query["sql"] for query in captured.captured_queries]


def _listing(queries):
    return "\n".join(f"  {number}. {sql}" for number, sql in enumerate(queries, start=1))


def assert_constant_queries(client, url, *, grow, max_queries=CITIZEN_PAGE_MAX_QUERIES, status=200):
    """Assert that the page at `url` runs the same number of SQL queries however many rows it shows,
    and no more than `max_queries`.

    The page is fetched once to warm per-process caches (site, content types, translations), then
    counted, then `grow()` adds rows the page lists (several, so an N+1 shows), then counted again.
    Returns the query count.
    """

    from government import geo

    def counted():
        return count_queries(client, url, status=status)[1]

    # The boundaries' version is read at most once a second (government.geo): on a slow machine
    # that read would fall in one count and not the other. The warm-up fetch reads it.
    saved, geo.VERSION_CHECK_SECONDS = geo.VERSION_CHECK_SECONDS, float("inf")
    try:
        count_queries(client, url, status=status)
        before = counted()
        grow()
        after = counted()
    finally:
        geo.VERSION_CHECK_SECONDS = saved
    if len(before) != len(after):
        raise AssertionError(
            f"GET {url}: {len(before)} queries before grow(), {len(after)} after: the count depends on the "
            f"number of rows (an N+1?).\nBefore:\n{_listing(before)}\nAfter:\n{_listing(after)}"
        )
    if len(after) > max_queries:
        raise AssertionError(f"GET {url}: {len(after)} queries, over the budget of {max_queries}:\n{_listing(after)}")
    return len(after)


# --- Settings as a fresh process sees them ----------------------------------------------------


def settings_from_env(env, expressions):
    """Evaluate Python `expressions` (a dict of name -> expression) in a fresh interpreter that loads
    smarthp.settings with exactly the environment `env` (plus PATH and HOME), and return the values.

    A subprocess keeps environment changes from leaking into this test process's settings.
    """
    program = (
        "import json, os\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'smarthp.settings'\n"
        "from django.conf import settings\n"
        "from smarthp.celery import app\n"
        f"expressions = {expressions!r}\n"
        "print(json.dumps({name: eval(expr) for name, expr in expressions.items()}, default=str))\n"
    )
    output = run_python(["-c", program], env=env)
    return json.loads(output.stdout.strip().splitlines()[-1])


def clean_env(env=None):
    """An environment with nothing from this process but PATH and HOME, plus `env`."""
    result = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp")}
    result.update(env or {})
    return result


def run_python(args, *, env=None, check=True, timeout=120):
    """Run this interpreter on `args` from the project directory with a clean environment."""
    completed = subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=clean_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and completed.returncode != 0:
        raise AssertionError(
            f"{' '.join(args[:2])} exited {completed.returncode}\n"
            f"stdout:\n{completed.stdout}\nstderr:\n{completed.stderr}"
        )
    return completed


def wait_until(condition, timeout=60, message="condition"):
    """Poll `condition()` until it is true (a live worker's work), failing after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout} s waiting for {message}")
