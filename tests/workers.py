"""A real Celery worker process for tests marked `worker`.

The worker runs `python -m celery -A smarthp worker` against the test database and the test Redis,
so a test sees what production does: the message goes through the broker, another process picks it
up, reads committed rows and writes its own. Tests that use it need `transactional_db` (the `worker`
marker adds it): rows inside an uncommitted test transaction are invisible to the worker.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from urllib.parse import quote

from tests.helpers import BASE_DIR


def database_url(settings_dict):
    """A DATABASE_URL for the database described by a Django `settings_dict` (the test database once
    pytest-django has created it)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = quote(settings_dict.get("HOST") or "", safe="")  # a socket directory becomes %2F...
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


class CeleryWorker:
    """One worker process that a test can stop and start again ("stop the worker, submit, start it").

    `start()` returns once the worker answers a ping, so tasks sent afterwards are consumed; tasks
    sent while it is stopped wait in Redis and run when it starts again.
    """

    def __init__(self, *, app, env, log_path, startup_timeout=60):
        self.app = app
        self.env = env
        self.log_path = log_path
        self.startup_timeout = startup_timeout
        self.hostname = f"test-{os.getpid()}-{uuid.uuid4().hex[:6]}@localhost"
        self.process = None

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def start(self):
        if self.running:
            return
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "smarthp",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=warning",
            f"--hostname={self.hostname}",
            # Nothing to synchronise with in a test; these only slow the start down.
            "--without-mingle",
            "--without-gossip",
        ]
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if not self.running:
                raise RuntimeError(f"the Celery worker exited with {self.process.returncode}:\n{self.log()}")
            if self.ping():
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the Celery worker did not answer a ping within {self.startup_timeout} s:\n{self.log()}")

    def stop(self, timeout=30):
        """Warm shutdown: the task in hand finishes, unstarted ones stay queued in Redis."""
        if not self.running:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def restart(self):
        self.stop()
        self.start()

    def settle(self, timeout=30):
        """Return once the worker holds no task and none waits for it, so the suite's flush after a
        test does not race a task still writing (TRUNCATE against a task's row locks can deadlock).

        The solo pool answers control messages only between tasks, so an answer means idle; a
        worker that holds a task past `timeout`, or one scheduled for later, is stopped instead.
        """
        if not self.running:
            self.app.control.purge()
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            purged = self.app.control.purge()
            inspect = self.app.control.inspect(destination=[self.hostname], timeout=1.0)
            held = inspect.reserved() or {}, inspect.scheduled() or {}
            if not any(held):
                continue  # no answer: a task is in hand
            if any(tasks for answer in held for tasks in answer.values()):
                break  # work for later that a purge cannot reach: stop the worker instead
            if purged == 0:
                return
        self.stop()
        self.app.control.purge()

    def ping(self, timeout=1.0):
        replies = self.app.control.ping(destination=[self.hostname], timeout=timeout)
        return any(self.hostname in reply for reply in replies)

    def log(self):
        try:
            with open(self.log_path) as log:
                return log.read()[-5000:]
        except FileNotFoundError:
            return ""
