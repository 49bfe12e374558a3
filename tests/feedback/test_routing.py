"""Routing: rules (most specific wins), the 1022 fallback, idempotency, the sweeper, notices."""

# Fixtures come from tests.feedback.citizen_world, imported by name.
# ruff: noqa: F811

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from citizens.models import OutboundSms
from feedback import services, tasks
from feedback.models import EventKind, Follow, Report, ReportEvent, ReportStatus, RoutingRule
from government.models import Agency, AgencyKind
from notices import services as notice_pipeline
from notices import tasks as notice_tasks
from notices.models import Notice
from tests.feedback.citizen_world import (  # noqa: F401
    NGO_QUYEN_POINT,
    file_report,
    fresh_geo_index,
    world,
)


def events_of(report, kind):
    return report.events.filter(kind=kind).count()


# --- Rules ------------------------------------------------------------------------------------


def test_a_sub_category_follows_its_parents_ward_rule(world):
    report = file_report(world.alice, world.roads)
    assert report.status == ReportStatus.ASSIGNED
    assert report.agency == world.lechan_committee
    other = file_report(world.alice, world.roads, point=NGO_QUYEN_POINT)
    assert other.agency == world.ngoquyen_committee


def test_a_category_rule_beats_the_ward_rule(world):
    """Electricity goes to the power company wherever it is, before the ward's committee."""
    report = file_report(world.alice, world.electricity)
    assert report.agency == world.power and report.status == ReportStatus.ASSIGNED


def test_a_rule_for_this_ward_beats_a_rule_for_any_ward(world):
    special = Agency.objects.create(name="Điện lực Lê Chân", slug="dien-luc-le-chan", kind=AgencyKind.UTILITY)
    RoutingRule.objects.create(category=world.electricity, unit=world.lechan, agency=special)
    assert file_report(world.alice, world.electricity).agency == special
    assert file_report(world.alice, world.electricity, point=NGO_QUYEN_POINT).agency == world.power


def test_a_sub_category_rule_beats_its_parents_rule_for_the_same_ward(world):
    roads_office = Agency.objects.create(name="Sở Xây dựng", slug="so-xay-dung", kind=AgencyKind.DEPARTMENT)
    RoutingRule.objects.create(category=world.roads, unit=None, agency=roads_office)
    assert file_report(world.alice, world.roads).agency == roads_office


def test_a_ward_only_rule_applies_when_no_category_rule_does(world):
    RoutingRule.objects.create(category=None, unit=world.lechan, agency=world.lechan_committee)
    assert file_report(world.alice, world.ideas).agency == world.lechan_committee
    # ...but a category rule still wins over it.
    assert file_report(world.alice, world.electricity).agency == world.power


def test_without_a_rule_the_report_goes_to_1022_triage(world):
    report = file_report(world.alice, world.ideas)
    assert report.status == ReportStatus.TRIAGE
    assert report.agency == world.hotline
    assert report.routed_at is not None
    assert events_of(report, EventKind.TRIAGE) == 1


def test_inactive_rules_and_agencies_are_skipped(world):
    RoutingRule.objects.filter(category=world.electricity).update(is_active=False)
    assert file_report(world.alice, world.electricity).agency == world.lechan_committee
    Agency.objects.filter(pk=world.lechan_committee.pk).update(is_active=False)
    report = file_report(world.alice, world.roads)
    assert report.status == ReportStatus.TRIAGE and report.agency == world.hotline


def test_a_catch_all_rule_comes_last(world):
    RoutingRule.objects.create(category=None, unit=None, agency=world.power)
    assert file_report(world.alice, world.ideas).agency == world.power
    assert file_report(world.alice, world.roads).agency == world.lechan_committee


def test_routing_logs_the_steps_and_starts_the_accept_clock(world):
    before = timezone.now()
    report = file_report(world.alice, world.roads)
    received = report.events.get(kind=EventKind.RECEIVED)
    routed = report.events.get(kind=EventKind.ROUTED)
    assert routed.agency == world.lechan_committee and routed.to_status == ReportStatus.ASSIGNED
    assert received.is_public and routed.is_public
    assert report.accept_due_at > before
    assert report.version == 1


# --- Never twice ------------------------------------------------------------------------------


def test_routing_twice_routes_once(world):
    report = file_report(world.alice, world.roads)
    services.route_report(report.pk)
    tasks.route_report_task(report.pk)  # a redelivered message
    report.refresh_from_db()
    assert events_of(report, EventKind.RECEIVED) == 1 and events_of(report, EventKind.ROUTED) == 1
    assert report.version == 1
    assert OutboundSms.objects.count() == 1


def test_routing_a_report_that_no_longer_exists_does_nothing(world):
    assert services.route_report(987654) is None


def test_a_rule_changed_later_does_not_move_a_routed_report(world):
    report = file_report(world.alice, world.roads)
    RoutingRule.objects.create(category=world.roads, unit=world.lechan, agency=world.power)
    services.route_report(report.pk)
    report.refresh_from_db()
    assert report.agency == world.lechan_committee


# --- Never lost: a lost message, a broker outage, the sweeper ---------------------------------


def refuse(*args, **kwargs):
    raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")


def drop(*args, **kwargs):
    """The broker takes the message, and loses it (a crash without persistence)."""


@pytest.fixture
def broker_down(monkeypatch):
    """Publishing any task fails as it does when Redis is unreachable."""
    for task in (
        tasks.route_report_task,
        tasks.notify_event_task,
        notice_tasks.send_sms_task,
    ):
        monkeypatch.setattr(task, "delay", refuse)
    return monkeypatch


def age(report, seconds):
    """Pretend the report was saved (and its routing queued) `seconds` ago."""
    past = timezone.now() - datetime.timedelta(seconds=seconds)
    Report.objects.filter(pk=report.pk).update(created_at=past, updated_at=past, routing_queued_at=past)


def test_a_broker_outage_at_submit_loses_nothing(world, broker_down):
    """The report is saved, marked as not queued, and the first sweep after the outage routes it:
    no message can still arrive, so there is no minute to wait (DESIGN §5: all routed within 60 s
    of the broker's return)."""
    report = file_report(world.alice, world.roads)  # the request succeeds
    assert report.status == ReportStatus.SUBMITTED and report.routed_at is None
    report.refresh_from_db()
    assert report.routing_queued_at is None
    broker_down.undo()  # the broker is back

    assert services.sweep_unrouted() == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.ASSIGNED and report.routing_attempts == 1
    assert events_of(report, EventKind.ROUTED) == 1
    assert services.sweep_unrouted() == 0


def test_a_report_whose_message_was_sent_is_queued_again_only_after_a_minute(world, monkeypatch):
    """Its message may still be waiting in the queue behind others: the sweeper leaves it a minute."""
    monkeypatch.setattr(tasks.route_report_task, "delay", drop)
    report = file_report(world.alice, world.roads)
    report.refresh_from_db()
    assert report.routed_at is None and report.routing_queued_at is not None
    monkeypatch.undo()

    assert services.sweep_unrouted() == 0
    age(report, 61)
    assert services.sweep_unrouted() == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.ASSIGNED and report.routing_attempts == 1


def test_a_sweep_during_an_outage_leaves_the_report_to_the_next_sweep_at_once(world, monkeypatch):
    monkeypatch.setattr(tasks.route_report_task, "delay", drop)
    report = file_report(world.alice, world.roads)
    age(report, 120)
    monkeypatch.setattr(tasks.route_report_task, "delay", refuse)  # the broker goes down

    assert services.sweep_unrouted() == 0
    report.refresh_from_db()
    assert report.routed_at is None and report.routing_queued_at is None and report.routing_attempts == 1
    monkeypatch.undo()  # the broker is back
    assert services.sweep_unrouted() == 1  # nothing was sent: no minute to wait
    report.refresh_from_db()
    assert report.status == ReportStatus.ASSIGNED and report.routing_attempts == 2
    assert events_of(report, EventKind.ROUTED) == 1


def test_the_sweeper_claims_each_report_once(world, broker_down):
    """Two sweepers at once: a report is queued by the one whose conditional UPDATE matched."""
    report = file_report(world.alice, world.roads)
    broker_down.undo()
    age(report, 120)
    queued = []
    broker_down.setattr(tasks.route_report_task, "delay", lambda pk: queued.append(pk))
    assert services.sweep_unrouted() == 1
    assert services.sweep_unrouted() == 0  # claimed just now: not again for another minute
    assert queued == [report.pk]


def test_the_sweeper_stops_while_the_broker_is_down(world, broker_down):
    first = file_report(world.alice, world.roads)
    second = file_report(world.alice, world.ideas)
    age(first, 120)
    age(second, 120)
    assert services.sweep_unrouted() == 0
    assert Report.objects.filter(routed_at__isnull=True).count() == 2
    broker_down.undo()
    age(first, 120)
    age(second, 120)
    assert services.sweep_unrouted() == 2
    assert Report.objects.filter(routed_at__isnull=True).count() == 0


def test_the_management_command_sweeps_and_can_route_here(world, broker_down):
    report = file_report(world.alice, world.roads)
    age(report, 120)
    call_command("sweep_reports", "--here")  # for cron while the broker is down
    report.refresh_from_db()
    assert report.status == ReportStatus.ASSIGNED
    broker_down.undo()
    other = file_report(world.alice, world.ideas)
    assert other.status == ReportStatus.TRIAGE
    call_command("sweep_reports")  # nothing left to do
    assert events_of(other, EventKind.TRIAGE) == 1


def test_the_beat_schedule_runs_the_sweeper_every_ten_seconds(settings):
    """Reports filed while the broker was down are swept at most 10 s after it returns (and the
    worker has reconnected), well within DESIGN §5's 60 s."""
    entry = settings.CELERY_BEAT_SCHEDULE["feedback-sweep"]
    assert entry["task"] == tasks.sweep_reports_task.name and entry["schedule"] == 10


# --- Notices ----------------------------------------------------------------------------------


def test_the_reporter_and_followers_are_told_of_each_status_change(world):
    report = file_report(world.alice, world.roads)
    Follow.objects.create(user=world.bob, report=report)
    with transaction.atomic():
        event = services.set_status(
            services.lock_report(report.pk), ReportStatus.IN_PROGRESS, kind=EventKind.ACCEPTED, actor=world.ward_officer
        )
    services.notify_event(event.pk)
    texts = dict(Notice.objects.from_source(event).values_list("user__username", "text"))
    assert set(texts) == {"alice", "bob"}  # not the officer who acted
    assert report.code in texts["bob"] and "Đang xử lý" in texts["bob"]
    assert OutboundSms.objects.filter(phone=world.bob.phone).count() == 0  # in-site only for this step


def test_an_answer_is_sent_by_sms_to_the_reporter_and_followers(world):
    report = file_report(world.alice, world.roads)
    Follow.objects.create(user=world.bob, report=report)
    with transaction.atomic():
        event = services.set_status(
            services.lock_report(report.pk),
            ReportStatus.ANSWERED,
            kind=EventKind.ANSWERED,
            actor=world.ward_officer,
            agency=world.lechan_committee,
        )
    services.notify_event(event.pk)
    sms = OutboundSms.objects.filter(text__contains="da co tra loi")
    assert sorted(sms.values_list("phone", flat=True)) == sorted([world.alice.phone, world.bob.phone])
    assert all(report.code in text and report.get_absolute_url() in text for text in sms.values_list("text", flat=True))


def test_a_notice_is_sent_once_however_often_its_task_runs(world):
    report = file_report(world.alice, world.roads)
    received = report.events.get(kind=EventKind.RECEIVED)
    assert received.notified_at is not None
    assert services.notify_event(received.pk) == []
    tasks.notify_event_task(received.pk)
    assert Notice.objects.filter(user=world.alice).count() == 1
    notice = Notice.objects.get(user=world.alice)
    assert notice_pipeline.send_sms(notice.pk) is False  # its SMS went out already
    assert OutboundSms.objects.filter(phone=world.alice.phone).count() == 1


def test_internal_steps_notify_no_one(world):
    report = file_report(world.alice, world.roads)
    note = services.log_event(report, EventKind.NOTE, actor=world.ward_officer, message="Gọi lại", is_public=False)
    services.queue_notification(note)
    assert services.notify_event(note.pk) == []
    assert not Notice.objects.from_source(note).exists()


def test_lost_notices_are_queued_again_by_the_sweeper(world, broker_down):
    broker_down.undo()
    report = file_report(world.alice, world.roads)
    Notice.objects.all().delete()
    ReportEvent.objects.filter(report=report, kind=EventKind.RECEIVED).update(
        notified_at=None, created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert services.sweep_unnotified() == 1
    assert Notice.objects.filter(user=world.alice).count() == 1
    assert services.sweep_unnotified() == 0


def minutes_ago(minutes):
    return timezone.now() - datetime.timedelta(minutes=minutes)


def test_an_sms_lost_with_the_broker_is_sent_by_the_sweeper_once(world, monkeypatch):
    """The notice is saved but its SMS message never left (the broker went away between the two):
    once it has waited a minute, the sweeper queues it again, and only once."""
    monkeypatch.setattr(notice_tasks.send_sms_task, "delay", refuse)
    report = file_report(world.alice, world.roads)
    notice = Notice.objects.about(report).get(user=world.alice)
    assert notice.sms_queued_at is not None and notice.sms_sent_at is None
    assert not OutboundSms.objects.filter(phone=world.alice.phone).exists()
    assert notice_pipeline.sweep_unsent_sms() == 0  # a message may still be on its way
    monkeypatch.undo()  # the broker is back

    Notice.objects.filter(pk=notice.pk).update(sms_queued_at=minutes_ago(2))
    assert notice_pipeline.sweep_unsent_sms() == 1
    assert notice_pipeline.sweep_unsent_sms() == 0
    sent = OutboundSms.objects.get(phone=world.alice.phone)
    assert report.code in sent.text
    # A late duplicate of the lost message sends nothing more.
    notice_tasks.send_sms_task(notice.pk)
    assert OutboundSms.objects.filter(phone=world.alice.phone).count() == 1


def test_a_swept_sms_waits_a_minute_before_it_is_queued_again(world, monkeypatch):
    """While the queue is slow, the sweeper adds one message a minute, not one every sweep."""
    queued = []
    monkeypatch.setattr(notice_tasks.send_sms_task, "delay", queued.append)
    report = file_report(world.alice, world.roads)
    Notice.objects.about(report).update(sms_queued_at=minutes_ago(2))
    assert notice_pipeline.sweep_unsent_sms() == 1
    assert notice_pipeline.sweep_unsent_sms() == 0
    assert len(queued) == 2  # the first publish and the sweeper's


def test_a_sweep_during_an_outage_leaves_the_sms_for_the_next_one(world, monkeypatch):
    monkeypatch.setattr(notice_tasks.send_sms_task, "delay", refuse)
    report = file_report(world.alice, world.roads)
    Notice.objects.about(report).update(sms_queued_at=minutes_ago(2))
    assert notice_pipeline.sweep_unsent_sms() == 0
    assert Notice.objects.about(report).get().sms_queued_at < minutes_ago(1)
    monkeypatch.undo()
    assert notice_pipeline.sweep_unsent_sms() == 1
    assert OutboundSms.objects.filter(phone=world.alice.phone).count() == 1


def test_old_unsent_sms_are_given_up(world, monkeypatch):
    monkeypatch.setattr(notice_tasks.send_sms_task, "delay", refuse)
    report = file_report(world.alice, world.roads)
    monkeypatch.undo()
    Notice.objects.about(report).update(sms_queued_at=minutes_ago(3 * 24 * 60), created_at=minutes_ago(3 * 24 * 60))
    assert notice_pipeline.sweep_unsent_sms() == 0
    assert not OutboundSms.objects.filter(phone=world.alice.phone).exists()


def phoned_in_report(world, phone):
    """A report filed for a 1022 caller who has no account: its SMS go to the phone on the report."""
    from feedback.models import Channel

    report, _created = services.submit_report(
        reporter=None,
        category=world.roads,
        title="Cống thoát nước bị tắc",
        description="Người dân gọi 1022 báo cống tắc gây ngập.",
        unit=world.lechan,
        channel=Channel.PHONE,
        contact_name="Lê Văn Tư",
        contact_phone=phone,
    )
    return report


def test_a_callers_sms_lost_with_the_broker_is_sent_by_the_sweeper(world, monkeypatch):
    monkeypatch.setattr(notice_tasks.send_sms_task, "delay", refuse)
    report = phoned_in_report(world, "+84911000098")
    monkeypatch.undo()
    assert not OutboundSms.objects.filter(phone="+84911000098").exists()
    Notice.objects.about(report).filter(user__isnull=True).update(sms_queued_at=minutes_ago(2))
    assert notice_pipeline.sweep_unsent_sms() == 1
    assert OutboundSms.objects.filter(phone="+84911000098", text__contains=report.code).count() == 1
    assert notice_pipeline.sweep_unsent_sms() == 0


def test_a_swept_notice_waits_a_minute_before_it_is_queued_again(world, monkeypatch):
    """After an outage the queue may be long: an event already queued again by the sweeper gets one
    more message a minute at most, not one every ten seconds ahead of new reports' routing."""
    queued = []
    monkeypatch.setattr(tasks.notify_event_task, "delay", queued.append)  # the messages wait in the queue
    report = file_report(world.alice, world.roads)
    received = report.events.get(kind=EventKind.RECEIVED)
    ReportEvent.objects.filter(pk=received.pk).update(created_at=minutes_ago(5))
    assert queued == [received.pk]  # the first message, on commit

    assert services.sweep_unnotified() == 1
    assert services.sweep_unnotified() == 0
    ReportEvent.objects.filter(pk=received.pk).update(notify_queued_at=minutes_ago(2))
    assert services.sweep_unnotified() == 1
    assert queued == [received.pk] * 3
    monkeypatch.undo()
    tasks.notify_event_task(received.pk)  # the three arrive: one notice
    tasks.notify_event_task(received.pk)
    assert Notice.objects.from_source(received).filter(user=world.alice).count() == 1


def test_a_notice_sweep_during_an_outage_leaves_it_for_the_next_one(world, monkeypatch):
    monkeypatch.setattr(tasks.notify_event_task, "delay", refuse)
    report = file_report(world.alice, world.roads)
    received = report.events.get(kind=EventKind.RECEIVED)
    ReportEvent.objects.filter(pk=received.pk).update(created_at=minutes_ago(5))
    assert services.sweep_unnotified() == 0
    assert ReportEvent.objects.get(pk=received.pk).notify_queued_at is None  # put back: due at once
    monkeypatch.undo()
    assert services.sweep_unnotified() == 1
    assert Notice.objects.from_source(received).filter(user=world.alice).count() == 1


def test_filing_a_report_leaves_no_notice_for_the_sweeper(world):
    """The "submitted" step is announced to nobody (the reporter took it; a new report has no
    followers): it is marked as done when logged, so the sweeper never queues a task for it, which
    every ten seconds would put a burst of useless tasks ahead of the next reports' routing."""
    report = file_report(world.alice, world.roads)
    assert report.events.get(kind=EventKind.SUBMITTED).notified_at is not None
    ReportEvent.objects.filter(report=report).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    assert services.sweep_unnotified() == 0
    assert Notice.objects.filter(user=world.alice).count() == 1  # "received and sent to ...", once


def test_a_report_filed_by_phone_without_an_account_gets_its_sms(world):
    report = phoned_in_report(world, "+84911000099")
    assert OutboundSms.objects.filter(phone="+84911000099", text__contains=report.code).count() == 1
