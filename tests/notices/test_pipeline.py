"""The shared notice pipeline: in-site notices and their SMS, for every app.

Reports, dossiers, ward notices and outages all go through notices.services; these tests hold its
guarantees without any feature app: written with the caller's transaction, SMS at most once even
when a worker dies mid-way, the sweeper sends what was lost, once per source, consent, the cap.
"""

import datetime
from unittest import mock

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from citizens.models import ConsentPurpose, OutboundSms, SmsStatus
from citizens.services import record_consent
from notices import services
from notices.models import Notice

# Transactional: SMS are queued with transaction.on_commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def minutes_ago(minutes):
    return timezone.now() - datetime.timedelta(minutes=minutes)


def test_it_creates_one_notice_per_person_with_its_link(alice, bob):
    notices = services.notify(user_ids=[alice.pk, bob.pk], text="Hồ sơ đã có kết quả.", kind="test", url="/x/")
    assert sorted(n.user_id for n in notices) == sorted([alice.pk, bob.pk])
    assert set(Notice.objects.values_list("url", "kind")) == {("/x/", "test")}
    assert not OutboundSms.objects.exists()


def test_a_notice_is_written_with_the_callers_transaction(alice):
    """The notice is the outbox: a rolled-back state change leaves no notice and sends nothing."""
    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify(user_ids=[alice.pk], text="Sẽ không có", kind="test", sms=True)
        raise RuntimeError
    assert not Notice.objects.exists()
    assert not OutboundSms.objects.exists()


def test_an_sms_goes_out_once_per_notice(alice):
    notice = services.notify(user_ids=[alice.pk], text="Phản ánh đã có trả lời", kind="test", url="/p/1/", sms=True)[0]
    sent = OutboundSms.objects.get(phone=alice.phone)
    assert sent.text.startswith("Phan anh da co tra loi http")
    assert sent.text.endswith("/p/1/")
    notice.refresh_from_db()
    assert notice.sms_id == sent.pk and notice.sms_sent_at is not None
    assert services.send_sms(notice.pk) is False  # a redelivered task
    assert OutboundSms.objects.count() == 1


def test_a_source_tells_each_person_once(alice, bob):
    source = alice  # any saved row can be the source
    services.notify(user_ids=[alice.pk], text="một", kind="test", source=source)
    again = services.notify(user_ids=[alice.pk, bob.pk], text="một", kind="test", source=source)
    assert [n.user_id for n in again] == [bob.pk]
    assert Notice.objects.filter(user=alice).count() == 1


def test_inactive_accounts_get_nothing(alice):
    alice.is_active = False
    alice.save()
    assert services.notify(user_ids=[alice.pk], text="x", kind="test", sms=True) == []


def test_unsolicited_notices_reach_only_those_who_consented(alice, bob, make_user):
    carol = make_user(username="carol", phone="+84911000003")
    record_consent(user=alice, purpose=ConsentPurpose.NOTICES, granted=True)
    record_consent(user=bob, purpose=ConsentPurpose.NOTICES, granted=True)
    record_consent(user=bob, purpose=ConsentPurpose.NOTICES, granted=False)  # the latest decision counts
    notices = services.notify(
        user_ids=[alice.pk, bob.pk, carol.pk], text="Lịch cắt điện", kind="test", sms=True, unsolicited=True
    )
    assert [n.user_id for n in notices] == [alice.pk]
    assert list(OutboundSms.objects.values_list("phone", flat=True)) == [alice.phone]


def test_a_worker_killed_between_the_claim_and_the_message_loses_no_sms(alice):
    """The claim and the message commit together: a crash while sending rolls the claim back, and
    the sweeper sends the SMS a minute later, once."""
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True), mock.patch("notices.services._queue_sms_on_commit"):
        notice = services.notify(user_ids=[alice.pk], text="Đã tiếp nhận", kind="test", sms=True)[0]
    with mock.patch("citizens.sms.send_sms", side_effect=SystemExit("killed")), pytest.raises(SystemExit):
        services.send_sms(notice.pk)
    notice.refresh_from_db()
    assert notice.sms_sent_at is None  # the claim did not survive the crash
    assert not OutboundSms.objects.exists()

    assert services.sweep_unsent_sms() == 0  # not yet a minute
    Notice.objects.filter(pk=notice.pk).update(sms_queued_at=minutes_ago(2))
    assert services.sweep_unsent_sms() == 1
    assert OutboundSms.objects.filter(phone=alice.phone).count() == 1
    Notice.objects.filter(pk=notice.pk).update(sms_queued_at=minutes_ago(2))
    services.sweep_unsent_sms()
    assert OutboundSms.objects.filter(phone=alice.phone).count() == 1


def test_a_broker_outage_leaves_the_sms_to_the_sweeper(alice):
    from kombu.exceptions import OperationalError

    with mock.patch("notices.tasks.send_sms_task.delay", side_effect=OperationalError("down")):
        notice = services.notify(user_ids=[alice.pk], text="Đã tiếp nhận", kind="test", sms=True)[0]
    assert not OutboundSms.objects.exists()
    Notice.objects.filter(pk=notice.pk).update(sms_queued_at=minutes_ago(2))
    with mock.patch("notices.tasks.send_sms_task.delay", side_effect=OperationalError("down")):
        assert services.sweep_unsent_sms() == 0
    assert Notice.objects.get(pk=notice.pk).sms_queued_at < minutes_ago(1)  # put back for the next sweep
    assert services.sweep_unsent_sms() == 1
    assert OutboundSms.objects.count() == 1


def test_the_daily_cap_stops_notice_sms(alice, bob, settings):
    settings.SMS_DAILY_CAP = 1
    services.notify(user_ids=[alice.pk, bob.pk], text="x", kind="test", sms=True)
    assert OutboundSms.objects.count() == 1
    assert Notice.objects.filter(sms_sent_at__isnull=False).count() == 2  # the refused one is not retried


def test_a_phone_without_an_account_gets_an_sms_once():
    source = OutboundSms.objects.create(phone="+84900000000", text="", backend="x")
    first = services.text_phone(phone="+84987654321", text="Phản ánh PA-1 đã có trả lời", kind="test", source=source)
    again = services.text_phone(phone="+84987654321", text="Phản ánh PA-1 đã có trả lời", kind="test", source=source)
    assert first is not None and again is None
    assert OutboundSms.objects.filter(phone="+84987654321").count() == 1


def test_mark_read_touches_only_the_users_own(alice, bob):
    services.notify(user_ids=[alice.pk, bob.pk], text="x", kind="test")
    assert services.mark_read(user=alice) == 1
    assert Notice.objects.filter(user=bob, read_at__isnull=True).count() == 1


# --- The gateway path: a message whose delivery task was lost ------------------------------------


@override_settings(SMS_BACKEND="citizens.sms.GatewayBackend", SMS_GATEWAY_URL="http://127.0.0.1:9/")
def test_a_lost_gateway_task_is_queued_again_and_sent_once(alice):
    from citizens import sms

    with mock.patch("citizens.tasks.deliver_sms.delay") as lost:
        services.notify(user_ids=[alice.pk], text="x", kind="test", sms=True)
    assert lost.call_count == 1  # the message that the broker then lost
    message = OutboundSms.objects.get()
    assert message.status == SmsStatus.QUEUED and message.resend_if_lost
    OutboundSms.objects.filter(pk=message.pk).update(queued_at=minutes_ago(2))
    with mock.patch("citizens.sms.GatewayBackend.post") as post:
        assert sms.sweep_lost_messages() == 1
        assert sms.sweep_lost_messages() == 0
    assert post.call_count == 1
    assert OutboundSms.objects.get().status == SmsStatus.SENT


@override_settings(SMS_BACKEND="citizens.sms.GatewayBackend", SMS_GATEWAY_URL="http://127.0.0.1:9/")
def test_a_message_left_mid_send_is_never_sent_twice(alice):
    """A worker killed during the gateway call: the outcome is unknown, so it is marked failed, not resent."""
    from citizens import sms

    with mock.patch("citizens.tasks.deliver_sms.delay"):
        services.notify(user_ids=[alice.pk], text="x", kind="test", sms=True)
    message = OutboundSms.objects.get()
    OutboundSms.objects.filter(pk=message.pk).update(status=SmsStatus.SENDING, queued_at=minutes_ago(60))
    with mock.patch("citizens.sms.GatewayBackend.post") as post:
        sms.sweep_lost_messages()
        sms.deliver(message.pk, final_attempt=False)
    assert post.call_count == 0
    assert OutboundSms.objects.get().status == SmsStatus.FAILED


@override_settings(SMS_BACKEND="citizens.sms.GatewayBackend", SMS_GATEWAY_URL="http://127.0.0.1:9/")
def test_a_sign_in_code_lost_with_the_broker_is_not_resent():
    from kombu.exceptions import OperationalError

    from citizens import sms

    with (
        mock.patch("citizens.tasks.deliver_sms.delay", side_effect=OperationalError("down")),
        transaction.atomic(),
    ):
        sms.send_sms("+84911000001", "Ma 123456")
    assert OutboundSms.objects.get().status == SmsStatus.FAILED
