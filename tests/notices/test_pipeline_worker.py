"""The notice pipeline with the real pieces: PostgreSQL, Redis and a Celery worker process.

Skipped on a laptop without them; in CI (CI=true) they run against the real services.
"""

import datetime
import time

import pytest
from django.utils import timezone

from citizens.models import OutboundSms
from notices import services, tasks
from notices.models import Notice
from tests.helpers import wait_until

pytestmark = pytest.mark.worker


def test_sms_whose_messages_the_broker_lost_are_sent_once_by_the_sweeper(alice, bob, celery_worker):
    celery_worker.stop()
    services.notify(user_ids=[alice.pk, bob.pk], text="Hồ sơ đã có kết quả", kind="test", url="/x/", sms=True)
    assert Notice.objects.filter(sms_queued_at__isnull=False).count() == 2
    celery_worker.app.control.purge()  # the broker lost both messages
    Notice.objects.update(sms_queued_at=timezone.now() - datetime.timedelta(minutes=2))

    celery_worker.start()
    tasks.sweep_task.delay()  # what beat sends every 10 seconds
    tasks.sweep_task.delay()  # two beats at once claim each notice once
    wait_until(lambda: OutboundSms.objects.count() == 2, message="one SMS per notice")
    time.sleep(1)  # nothing more arrives from the second sweep
    assert sorted(OutboundSms.objects.values_list("phone", flat=True)) == sorted([alice.phone, bob.phone])
    assert Notice.objects.filter(sms__isnull=False).count() == 2


def test_a_redelivered_sms_task_sends_nothing_more(alice, celery_worker):
    notice = services.notify(user_ids=[alice.pk], text="Đã tiếp nhận", kind="test", sms=True)[0]
    wait_until(lambda: OutboundSms.objects.count() == 1, message="the SMS")
    tasks.send_sms_task.delay(notice.pk)  # a duplicate delivery
    tasks.send_sms_task.delay(notice.pk)
    time.sleep(1.5)
    assert OutboundSms.objects.filter(phone=alice.phone).count() == 1
