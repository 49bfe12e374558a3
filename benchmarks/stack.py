"""The pieces of the production topology that benchmark scripts start for themselves.

docker-compose.yml runs the portal as gunicorn (web), Celery workers, Celery beat, PostgreSQL and
one Redis (cache, sessions and broker). benchmarks.routing, benchmarks.load and benchmarks.chaos
start the same pieces as child processes on 127.0.0.1, each in a process group of its own, so that
a script can take one away (stop Redis, restart PostgreSQL, kill -9 a worker) and stop everything
it started at the end, and nothing else:

- `RedisServer`: a redis-server of the script's own, without persistence;
- `PostgresCluster`: a PostgreSQL cluster of the script's own (initdb into a scratch folder, run
  as the `postgres` OS user when the script runs as root);
- `Child`: a worker, beat or gunicorn, restarted when it exits (`restart: unless-stopped`);
- `Gunicorn`: the web server with docker-compose's command line;
- `bench_citizens()` and `session_cookie()`: signed-in people without going through the sign-in pages;
- `OpenLoop`: requests at a fixed rate whether or not the earlier ones have finished.
"""

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE.parent
LOOPBACK = "127.0.0.1"


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def seconds(value):
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def port_in_use(port):
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((LOOPBACK, port)) == 0


def free_port():
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def load_average():
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


# --- Processes ------------------------------------------------------------------------------------


class RedisServer:
    """A redis-server of our own on `port`: nothing else uses it, so stopping it harms nothing."""

    def __init__(self, port, scratch, name="redis"):
        self.port = port
        self.scratch = Path(scratch)
        self.name = name
        self.process = None

    @property
    def url(self):
        return f"redis://{LOOPBACK}:{self.port}/0"

    def answers(self):
        import redis

        try:
            return redis.Redis(host=LOOPBACK, port=self.port, socket_connect_timeout=0.5, socket_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def start(self):
        """Start it and wait until it answers; returns the time (epoch) it did."""
        command = [
            "redis-server",
            "--port", str(self.port),
            "--bind", LOOPBACK,
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self.scratch),
            "--logfile", str(self.scratch / f"{self.name}.log"),
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"redis-server exited with {self.process.returncode}; see {self.scratch}/{self.name}.log"
                )
            if self.answers():
                return time.time()
            time.sleep(0.02)
        raise RuntimeError(f"redis-server on port {self.port} did not answer within 10 s")

    def stop(self):
        """`shutdown nosave`: whatever was queued is gone, as after a crash."""
        if self.process is None or self.process.poll() is not None:
            return
        subprocess.run(
            ["redis-cli", "-h", LOOPBACK, "-p", str(self.port), "shutdown", "nosave"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=10,
            check=False,
        )
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


class PostgresCluster:
    """A PostgreSQL cluster of our own in `scratch`/pgdata, listening on 127.0.0.1:`port` only.

    initdb and pg_ctl refuse to run as root, so when this script is root they run as the
    `postgres` OS user (runuser), which then owns the data folder. The server's own log is
    `scratch`/postgres.log."""

    def __init__(self, port, scratch):
        self.port = port
        self.scratch = Path(scratch)
        self.data = self.scratch / "pgdata"
        self.sockets = self.scratch / "pgsocket"
        self.log = self.scratch / "postgres.log"
        self.bin = self._bin_dir()
        self.started = False

    @staticmethod
    def _bin_dir():
        found = shutil.which("pg_ctl")
        if found:
            return Path(found).parent
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
        if not versions:
            raise RuntimeError("PostgreSQL's pg_ctl was not found (install the postgresql package)")
        return versions[-1].parent

    def url(self, database):
        return f"postgres://postgres@{LOOPBACK}:{self.port}/{database}"

    def _run(self, *command, timeout=120):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(
            [*prefix, *command],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
            start_new_session=True,  # a Ctrl-C meant for this script does not reach the server
        )

    def init(self):
        for folder in (self.data, self.sockets):
            folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            # The scratch folder is mkdtemp's (mode 700, root's): postgres must get through it.
            self.scratch.chmod(0o755)
            shutil.chown(self.data, "postgres")
            shutil.chown(self.sockets, "postgres")
            self.log.touch()
            shutil.chown(self.log, "postgres")
        self._run(
            str(self.bin / "initdb"),
            "-D", str(self.data),
            "--auth=trust",
            "--username=postgres",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        )  # fmt: skip

    def _options(self):
        return f"-p {self.port} -k {self.sockets} -c listen_addresses={LOOPBACK} -c max_connections=200"

    def start(self):
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", self._options(), "-w", "start"
        )  # fmt: skip
        self.started = True

    def restart(self):
        """`pg_ctl restart -m fast`: every connection is cut, then the server comes back. Returns
        (time it went down, time it answered again), epoch seconds."""
        down = time.time()
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", self._options(),
            "-m", "fast", "-w", "restart",
        )  # fmt: skip
        return down, time.time()

    def stop(self):
        if not self.started:
            return
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop", timeout=60)
        self.started = False

    def create_database(self, name):
        import psycopg
        from psycopg import sql

        params = {"host": LOOPBACK, "port": self.port, "user": "postgres", "dbname": "postgres"}
        with psycopg.connect(**params, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


class Child:
    """A worker, beat or web server: its own process group, its output in a log file.

    Like docker-compose's `restart: unless-stopped`, a child that exits is started again by
    `restart_if_exited()` (call it every poll), and each restart is counted."""

    def __init__(self, name, command, env, scratch, start=True, restart_delay=0.0):
        self.name = name
        self.command = command
        self.env = env
        self.log_path = Path(scratch) / f"{name}.log"
        self.exits = []  # (time.time(), exit code) of every exit it was restarted after
        self.process = None
        # Seconds between noticing an exit and the restart: a child that cannot start (its broker
        # is away) is not started again twenty times a second.
        self.restart_delay = restart_delay
        self._exit_seen = None
        self._offset = 0
        self._lock = threading.Lock()
        if start:
            self.start()

    def start(self):
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=BASE_DIR,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def restart_if_exited(self):
        with self._lock:
            if self.running:
                return False
            now = time.monotonic()
            if self._exit_seen is None:
                self._exit_seen = now
            if now - self._exit_seen < self.restart_delay:
                return False
            self._exit_seen = None
            self.exits.append((time.time(), self.process.returncode))
            self.start()
            return True

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """kill -9 of the whole process group (a prefork worker and its pool), as when a container is
        killed: nothing is acknowledged, nothing cleaned up."""
        if self.running:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def new_lines(self):
        with open(self.log_path, errors="replace") as log:
            log.seek(self._offset)
            text = log.read()
        complete = text.rfind("\n") + 1
        self._offset += len(text[:complete].encode())
        return text[:complete].splitlines()

    def tail(self, characters=3000):
        return self.log_path.read_text(errors="replace")[-characters:]

    def stop(self, timeout=30):
        """SIGTERM to its process group (a worker finishes the task in hand), then SIGKILL."""
        if not self.running:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def gunicorn_command(port, workers=3, timeout=30):
    """docker-compose's web command (sync workers, no threads), on 127.0.0.1 only."""
    return [
        sys.executable, "-m", "gunicorn", "smarthp.wsgi:application",
        "--bind", f"{LOOPBACK}:{port}",
        "--workers", str(workers),
        "--timeout", str(timeout),
        "--access-logfile", "-",
    ]  # fmt: skip


def wait_for_http(child, url, timeout=60):
    """Wait until `url` answers at all (any status: /healthz says 503 while a piece is down)."""
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not child.running:
            raise RuntimeError(f"the {child.name} exited with {child.process.returncode}:\n{child.tail()}")
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s:\n{child.tail()}")


def celery(*args):
    return [sys.executable, "-m", "celery", "-A", "smarthp", *args]


def wait_for_worker(worker, hostname, timeout=60):
    from smarthp.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not worker.running:
            raise RuntimeError(f"the worker exited with {worker.process.returncode}:\n{worker.tail()}")
        if any(hostname in reply for reply in app.control.ping(destination=[hostname], timeout=1)):
            return
    raise RuntimeError(f"the worker did not answer a ping within {timeout} s:\n{worker.tail()}")


# --- The database ---------------------------------------------------------------------------------


def create_database(url):
    """Create the PostgreSQL database of `url` when it does not exist yet; True when it was created."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        return False
    params = {
        "dbname": "postgres",
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    return True


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, stdout=subprocess.DEVNULL)


def portal_environment(*, database_url, redis_url, scratch):
    """Production-like settings as docker-compose gives them: DEBUG off, one Redis for the cache,
    the sessions and the broker, text messages recorded in the database (citizens.sms.DatabaseBackend).
    Static files are served by WhiteNoise from the source folders (STATIC_PLAIN): no collectstatic."""
    env = dict(os.environ)
    for name in ("CELERY_BROKER_URL", "HTTPS", "MAP_TILE_URL", "DJANGO_SETTINGS_MODULE", "PAKN_PAGE_CACHE_SECONDS"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="smarthp.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SMS_BACKEND="citizens.sms.DatabaseBackend",
        MEDIA_ROOT=str(Path(scratch) / "media"),
        DEBUG="0",
        STATIC_PLAIN="1",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=LOOPBACK,
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    return env


# --- People ---------------------------------------------------------------------------------------

BENCH_CITIZEN_PHONE = "+849790{:05d}"


def bench_citizens(count):
    """`count` citizens with a verified phone, a profile ward and consent to notices (SMS included),
    made once: bench-load-citizen-01, -02, ... Needs Django set up."""
    from django.contrib.auth import get_user_model

    from citizens import services as citizen_services
    from citizens.models import ConsentPurpose

    users = []
    for number in range(1, count + 1):
        user, created = get_user_model().objects.get_or_create(
            username=f"bench-load-citizen-{number:02d}",
            defaults={
                "phone": BENCH_CITIZEN_PHONE.format(number),
                "phone_verified": True,
                "full_name": f"Công dân thử tải {number}",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            citizen_services.record_consents(
                user=user, decisions={ConsentPurpose.PROCESSING: True, ConsentPurpose.NOTICES: True}
            )
        users.append(user)
    return users


def session_cookie(user):
    """A signed-in session for `user`, made as django.contrib.auth.login() makes one: the value of
    the session cookie.

    Officers pass the officer site's check this way too: it asks that the person *has* a TOTP
    authenticator (government.access), while the code itself is asked by allauth.mfa at the sign-in
    step, which this skips."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def form_token(session, url):
    """The CSRF token of the form at `url` (the cookie lands in `session`), or raise."""
    answer = session.get(url, timeout=30)
    match = CSRF_INPUT.search(answer.text)
    if answer.status_code != 200 or not match:
        raise RuntimeError(f"no form at {url}: HTTP {answer.status_code}")
    return match.group(1)


def demo_photo(seed=0, size=(800, 600)):
    """A JPEG as a phone would send a small one: smooth colours and some detail (about 30 KB)."""
    from io import BytesIO

    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (90 + seed % 100, 120, 160))
    draw = ImageDraw.Draw(image)
    for step in range(0, size[0], 16):
        draw.line([(step, 0), (size[0] - step, size[1])], fill=((step * 7 + seed) % 255, 80, 40), width=3)
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


# --- Requests at a fixed rate ---------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str
    scheduled: float  # monotonic time the request was due
    latency: float = 0.0  # from due time to answer: includes any wait for a free client thread
    service: float = 0.0  # from sending to answer
    status: int = 0  # 0: no answer (connection refused or reset, timeout)
    error: str = ""
    detail: dict = field(default_factory=dict)


class OpenLoop:
    """Calls `make(number)` at `rate` per second for `count` calls, on `threads` threads, whether or
    not earlier calls have finished (open loop: a slow server does not slow the arrivals, so its
    queue shows in the latencies). `make` returns a function that does one request and returns an
    Outcome; latencies count from the time the request was due (no coordinated omission)."""

    def __init__(self, *, rate, count, threads, make, give_up=30.0):
        self.rate = rate
        self.count = count
        self.make = make
        # A call still waiting for a client thread this long after its time is not sent: a citizen
        # would have given up (the client's timeout is as long), and a server that fell far behind
        # would otherwise keep the run going long after its end.
        self.give_up = give_up
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="load")
        self.outcomes = []
        self._lock = threading.Lock()
        self.started = None
        self.late = 0  # calls the scheduler itself sent more than 100 ms after their time

    def _run(self, due, job):
        began = time.monotonic()
        if began - due > self.give_up:
            outcome = Outcome(kind="not sent", scheduled=due, error=f"waited over {self.give_up:g} s for a thread")
        else:
            outcome = job()
        ended = time.monotonic()
        outcome.scheduled = due
        outcome.latency = ended - due
        outcome.service = outcome.service or ended - began
        with self._lock:
            self.outcomes.append(outcome)

    def run(self, stop=None, tick=None):
        """Schedule every call; `tick()` runs between arrivals (at most every 50 ms); `stop()` ends the
        arrivals early. Waits for the calls in flight. Returns the time taken."""
        self.started = time.monotonic() + 0.1
        last_tick = 0.0
        for number in range(self.count):
            due = self.started + number / self.rate
            while True:
                now = time.monotonic()
                if tick and now - last_tick >= 0.05:
                    tick()
                    last_tick = now
                if now >= due:
                    break
                time.sleep(min(due - now, 0.05))
            if stop and stop():
                break
            if time.monotonic() - due > 0.1:
                self.late += 1
            try:
                self.pool.submit(self._run, due, self.make(number))
            except RuntimeError:  # the interpreter is exiting (Ctrl-C in the main thread)
                return time.monotonic() - self.started
        self.pool.shutdown(wait=True)
        return time.monotonic() - self.started


def http_outcome(kind, session, method, url, *, expect=(200,), timeout=30, **kwargs):
    """One request through `session`: an Outcome with the status (0 when no answer came)."""
    import requests

    began = time.monotonic()
    outcome = Outcome(kind=kind, scheduled=began)
    try:
        answer = session.request(method, url, timeout=timeout, allow_redirects=False, **kwargs)
    except requests.RequestException as exc:
        outcome.error = type(exc).__name__
    else:
        outcome.status = answer.status_code
        if answer.status_code not in expect:
            outcome.error = f"HTTP {answer.status_code}"
        outcome.detail["location"] = answer.headers.get("Location", "")
        outcome.detail["body"] = answer.text if answer.status_code == 200 and method == "POST" else ""
    outcome.service = outcome.latency = time.monotonic() - began
    return outcome
