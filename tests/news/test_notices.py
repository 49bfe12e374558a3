"""Ward notices: to one or more wards; in-site and (urgent) SMS to those who consented; batched,
resumable without sending twice."""

# Fixtures come from tests.news.world, imported by name.
# ruff: noqa: F811

from unittest import mock

import pytest

from citizens.models import OutboundSms
from news import services
from news.models import Delivery, WardNotice
from notices.models import Notice
from tests.news.world import world  # noqa: F401

pytestmark = pytest.mark.django_db


def send(world, capture, *, urgent=True, wards=None, **extra):
    with capture(execute=True):
        return services.publish_notice(
            editor=world.editor,
            title="Cắt nước Tổ dân phố 2",
            body="Ngừng cấp nước từ 8 giờ đến 16 giờ.",
            ward_codes=[w.code for w in (wards or [world.lechan])],
            is_urgent=urgent,
            **extra,
        )


def test_an_urgent_notice_reaches_the_wards_consenting_citizens_by_notice_and_sms(
    world, django_capture_on_commit_callbacks
):
    notice = send(world, django_capture_on_commit_callbacks)

    assert set(Notice.objects.from_source(notice).values_list("user_id", flat=True)) == {world.lan.pk}
    sms = OutboundSms.objects.get()
    assert sms.phone == world.lan.phone and "Thong bao khan" in sms.text
    assert Delivery.objects.get().finished_at is not None


def test_a_plain_notice_is_sent_in_site_only(world, django_capture_on_commit_callbacks):
    send(world, django_capture_on_commit_callbacks, urgent=False, wards=[world.lechan, world.ngoquyen])
    assert set(Notice.objects.values_list("user_id", flat=True)) == {world.lan.pk, world.hoa.pk}
    assert not OutboundSms.objects.exists()


def test_a_notice_to_no_ward_is_refused_and_nothing_saved(world, django_capture_on_commit_callbacks):
    with pytest.raises(services.NewsError):
        services.publish_notice(editor=world.editor, title="T", body="B", ward_codes=[])
    with pytest.raises(services.NewsError):
        services.publish_notice(editor=world.editor, title="T", body="B", ward_codes=["99999"])
    assert not WardNotice.objects.exists() and not Delivery.objects.exists()


def test_a_fan_out_killed_mid_batch_resumes_without_sending_twice(world, make_user, settings):
    from tests.news.world import citizen

    for number in range(7):
        citizen(make_user, f"dan{number}", f"+8491200000{number}", world.lechan)
    notice = services.publish_notice(editor=world.editor, title="T", body="B", ward_codes=[world.lechan.code])
    delivery = Delivery.objects.get()

    calls = {"n": 0}
    real = services.delivery.notify

    def dies_on_second_batch(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return real(**kwargs)

    with mock.patch("news.services.delivery.notify", side_effect=dies_on_second_batch), pytest.raises(RuntimeError):
        services.deliver(delivery.pk, size=3)
    delivery.refresh_from_db()
    assert delivery.sent == 2 and delivery.finished_at is None  # lan, minh (no consent), dan0
    # Even a cursor lost with the crash sends no one twice: notify skips who this source told.
    Delivery.objects.filter(pk=delivery.pk).update(cursor=0)
    services.deliver(delivery.pk, size=3)
    told = list(Notice.objects.from_source(notice).values_list("user_id", flat=True))
    assert len(told) == len(set(told)) == 8  # lan and the seven; minh did not consent
    assert Delivery.objects.get().finished_at is not None


def test_the_daily_sms_cap_holds_for_urgent_notices(world, make_user, settings, django_capture_on_commit_callbacks):
    from tests.news.world import citizen

    for number in range(4):
        citizen(make_user, f"dan{number}", f"+8491200000{number}", world.lechan)
    settings.SMS_DAILY_CAP = 2
    send(world, django_capture_on_commit_callbacks)
    assert Notice.objects.count() == 5
    assert OutboundSms.objects.count() == 2


def test_the_sweeper_queues_an_unfinished_fan_out_again(world):
    import datetime

    from django.utils import timezone

    services.publish_notice(editor=world.editor, title="T", body="B", ward_codes=[world.lechan.code])
    Delivery.objects.update(queued_at=timezone.now() - datetime.timedelta(minutes=5))
    assert services.sweep_deliveries() == 1
    assert Delivery.objects.get().finished_at is not None
    assert Notice.objects.filter(user=world.lan).count() == 1
