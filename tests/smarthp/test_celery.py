"""Celery: in-process without a broker, production-shaped with one, and a real worker end to end."""

import time
import uuid

import pytest
from django.core.cache import cache

from government.models import AdministrativeUnit, UnitKind
from smarthp.tasks import heartbeat_key, worker_heartbeat
from tests.helpers import run_python, settings_from_env

CELERY_CONFIG = {
    "eager": "app.conf.task_always_eager",
    "broker": "app.conf.broker_url",
    "acks_late": "app.conf.task_acks_late",
    "reject_on_worker_lost": "app.conf.task_reject_on_worker_lost",
    "prefetch": "app.conf.worker_prefetch_multiplier",
    "serializer": "app.conf.task_serializer",
    "accept": "list(app.conf.accept_content)",
    "visibility_timeout": "app.conf.broker_transport_options.get('visibility_timeout')",
    "timezone": "app.conf.timezone",
    "include": "list(app.conf.include)",
    "queues": "list(app.amqp.queues)",
    "queue_order": "app.conf.broker_transport_options.get('queue_order_strategy')",
    "routing_queue": "app.amqp.router.route({}, 'feedback.tasks.route_report_task')['queue'].name",
    "notice_queue": "app.amqp.router.route({}, 'feedback.tasks.notify_event_task')['queue'].name",
}


def test_without_a_broker_tasks_run_in_process():
    """A newcomer's first run needs no Redis: no REDIS_URL, no CELERY_BROKER_URL, eager tasks."""
    config = settings_from_env({}, CELERY_CONFIG)

    assert config["eager"] is True
    assert not config["broker"]


def test_an_eager_task_logs_no_broker_warning():
    """Without a broker a task runs in-process, and says nothing about a broker it never uses."""
    program = (
        "import django, os\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'smarthp.settings'\n"
        "django.setup()\n"
        "from smarthp.celery import app\n"
        "@app.task\n"
        "def ping():\n"
        "    return 'pong'\n"
        "print(ping.delay().get())\n"
    )
    completed = run_python(["-c", program], check=False)
    assert completed.stdout.strip().splitlines()[-1:] == ["pong"], completed.stderr
    assert "No hostname" not in completed.stderr and "WARNING" not in completed.stderr


def test_with_a_broker_the_configuration_is_production_shaped():
    """With Redis, a task is acknowledged only after it ran, redelivered if its worker dies, taken one
    at a time, and travels as JSON only."""
    config = settings_from_env({"REDIS_URL": "redis://redis.internal:6379/0"}, CELERY_CONFIG)

    assert config["eager"] is False
    assert config["broker"] == "redis://redis.internal:6379/0"
    assert config["acks_late"] is True
    assert config["reject_on_worker_lost"] is True
    assert config["prefetch"] == 1
    assert config["serializer"] == "json"
    assert config["accept"] == ["json"]
    assert config["visibility_timeout"] == 600
    assert config["timezone"] == "Asia/Ho_Chi_Minh"
    assert "smarthp.tasks" in config["include"]
    # Routing has its own queue, and a worker started without -Q consumes both.
    assert config["queues"] == ["routing", "celery"] and config["queue_order"] == "priority"
    assert (config["routing_queue"], config["notice_queue"]) == ("routing", "celery")


def test_a_separate_broker_url_wins_over_redis_url():
    config = settings_from_env(
        {"REDIS_URL": "redis://cache.internal:6379/0", "CELERY_BROKER_URL": "redis://queue.internal:6379/1"},
        CELERY_CONFIG,
    )

    assert config["broker"] == "redis://queue.internal:6379/1"
    assert config["eager"] is False


@pytest.mark.django_db
def test_heartbeat_reports_the_units_the_worker_sees():
    """Run in-process here: the answer lands in the cache under the token."""
    AdministrativeUnit.objects.create(code="11311", name="Phường Hồng Bàng", kind=UnitKind.WARD)

    worker_heartbeat.delay("eager-token")

    answer = cache.get(heartbeat_key("eager-token"))
    assert answer["token"] == "eager-token"
    assert answer["units"] == 1


def _wait_for(key, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cache.get(key)
        if value is not None:
            return value
        time.sleep(0.05)
    return None


@pytest.mark.worker
def test_a_real_worker_runs_the_task_against_the_test_database(celery_worker):
    """The message goes through Redis to another process, which reads the rows this test committed."""
    AdministrativeUnit.objects.create(code="11311", name="Phường Hồng Bàng", kind=UnitKind.WARD)
    AdministrativeUnit.objects.create(code="11506", name="Phường Ngô Quyền", kind=UnitKind.WARD)
    token = uuid.uuid4().hex

    worker_heartbeat.delay(token)

    answer = _wait_for(heartbeat_key(token))
    assert answer is not None, f"no answer from the worker:\n{celery_worker.log()}"
    assert answer["units"] == 2
    assert answer["worker"] == celery_worker.hostname


@pytest.mark.worker
def test_tasks_sent_while_the_worker_is_stopped_run_once_it_starts(celery_worker):
    """Stop the worker, submit, start it: every task waits in the queue and then runs."""
    celery_worker.stop()
    tokens = [uuid.uuid4().hex for _ in range(3)]
    for token in tokens:
        worker_heartbeat.delay(token)
    time.sleep(0.5)
    assert [cache.get(heartbeat_key(token)) for token in tokens] == [None, None, None]

    celery_worker.start()

    answers = [_wait_for(heartbeat_key(token)) for token in tokens]
    assert all(answers), f"not every task ran:\n{celery_worker.log()}"
    assert {answer["token"] for answer in answers} == set(tokens)
