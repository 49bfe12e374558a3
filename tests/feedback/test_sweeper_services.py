"""Never lost, never twice, with the real pieces: PostgreSQL, Redis and a Celery worker process.

Skipped on a laptop without them; in CI (CI=true) they run against the real services.
"""

# Fixtures come from tests.feedback.citizen_world, imported by name.
# ruff: noqa: F811

import time

import pytest
from kombu.exceptions import OperationalError

from citizens.models import OutboundSms
from feedback import services, tasks
from feedback.models import EventKind, Report, ReportStatus
from tests.feedback.citizen_world import NGO_QUYEN_POINT, file_report, fresh_geo_index, world  # noqa: F401
from tests.helpers import wait_until

pytestmark = pytest.mark.worker


def all_routed():
    return not Report.objects.filter(routed_at__isnull=True).exists()


def assert_routed_once(reports):
    for report in Report.objects.filter(pk__in=[r.pk for r in reports]):
        assert report.status in (ReportStatus.ASSIGNED, ReportStatus.TRIAGE), report.code
        assert report.events.filter(kind=EventKind.RECEIVED).count() == 1, report.code
        assert report.events.filter(kind__in=[EventKind.ROUTED, EventKind.TRIAGE]).count() == 1, report.code
        assert report.version == 1, report.code


def file_some(world):
    return [
        file_report(world.alice, world.roads),
        file_report(world.bob, world.electricity, point=NGO_QUYEN_POINT),
        file_report(world.alice, world.ideas),
    ]


def test_reports_filed_while_the_worker_is_down_are_routed_once_when_it_returns(world, celery_worker):
    celery_worker.stop()
    reports = file_some(world)
    for report in reports:
        tasks.route_report_task.delay(report.pk)  # a duplicate delivery of each message
    time.sleep(1)
    assert Report.objects.filter(routed_at__isnull=True).count() == 3  # waiting in Redis, not lost

    celery_worker.start()
    wait_until(all_routed, message="the worker to route the reports")
    wait_until(lambda: OutboundSms.objects.count() == 3, message="one SMS per report")
    assert_routed_once(reports)
    assert Report.objects.get(pk=reports[0].pk).agency == world.lechan_committee
    assert Report.objects.get(pk=reports[1].pk).agency == world.power
    assert Report.objects.get(pk=reports[2].pk).agency == world.hotline
    time.sleep(1)  # nothing more arrives from the duplicate messages
    assert OutboundSms.objects.count() == 3


def test_after_a_broker_outage_the_beat_sweeper_routes_everything_once(world, celery_worker, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis. Connection refused.")

    monkeypatch.setattr(tasks.route_report_task, "delay", refuse)
    monkeypatch.setattr(tasks.notify_event_task, "delay", refuse)
    reports = file_some(world)  # the requests succeed; no message was sent
    monkeypatch.undo()  # the broker is back
    time.sleep(1)
    assert Report.objects.filter(routed_at__isnull=True, routing_queued_at__isnull=True).count() == 3

    # Nothing to wait for: the first sweep after the outage takes them.
    tasks.sweep_reports_task.delay()  # what beat sends every 10 seconds
    tasks.sweep_reports_task.delay()  # two beats at once claim each report once
    wait_until(all_routed, message="the sweeper and the worker to route the reports")
    wait_until(lambda: OutboundSms.objects.count() == 3, message="one SMS per report")
    assert_routed_once(reports)
    assert Report.objects.filter(routing_attempts=1).count() == 3
    assert services.sweep_unrouted() == 0


def test_routing_goes_ahead_of_a_long_queue_of_other_work(world, celery_worker, settings):
    """Routing has a queue of its own that the worker reads first: a report filed behind a backlog of
    notices (as after a broker outage, when the sweeper queues the lost ones again) is routed at once."""
    import datetime

    from django.core.cache import cache

    from smarthp.tasks import heartbeat_key, worker_heartbeat

    celery_worker.stop()
    tokens = [f"backlog-{number}" for number in range(30)]
    for token in tokens:
        worker_heartbeat.delay(token)  # other work, queued first
    report = file_report(world.alice, world.roads)  # its routing message is queued last
    celery_worker.start()

    wait_until(all_routed, message="the report to be routed")
    wait_until(lambda: all(cache.get(heartbeat_key(token)) for token in tokens), message="the backlog")
    done = sorted(datetime.datetime.fromisoformat(cache.get(heartbeat_key(token))["at"]) for token in tokens)
    routed_at = Report.objects.get(pk=report.pk).routed_at
    # The worker reads the routing queue first, so the report is routed before the backlog (a
    # worker with more processes could start one backlog task alongside it: a little slack).
    assert routed_at <= done[2], (routed_at, done[:3])
