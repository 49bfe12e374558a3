"""Text messages: one entry point, `send_sms(phone, text)`, and two backends chosen by SMS_BACKEND.

- DatabaseBackend (the default): the message is recorded and shown at /dev/sms/ when DEBUG is on.
- GatewayBackend (production): the message is posted to the brandname SMS gateway by a Celery task
  (citizens.tasks.deliver_sms) that retries with backoff when the gateway fails or times out.

Whatever the backend, `send_sms` first takes one unit of the city-wide daily budget
(SMS_DAILY_CAP) with a conditional UPDATE, so parallel requests cannot overspend it.
"""

import datetime
import logging

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from smarthp.sweeping import queue_again

from .models import OutboundSms, SmsDailyCount, SmsStatus

log = logging.getLogger(__name__)


class SmsBudgetExhausted(Exception):
    """The city's daily SMS budget is spent: nothing more is sent until midnight."""


class GatewayTemporaryError(Exception):
    """The gateway failed in a way worth retrying: a 5xx answer, a timeout, a broken connection."""


class GatewayRejected(Exception):
    """The gateway refused the message (4xx): retrying would not help."""


def _today():
    return timezone.localdate()


def budget_left():
    """How many messages may still be sent today."""
    row = SmsDailyCount.objects.filter(day=_today()).first()
    return max(settings.SMS_DAILY_CAP - (row.count if row else 0), 0)


def take_from_budget():
    """Count one message against today's cap; raise SmsBudgetExhausted when it is spent.

    The increment is one conditional UPDATE (count < cap), atomic on PostgreSQL and SQLite alike.
    """
    cap, day = settings.SMS_DAILY_CAP, _today()
    for _attempt in range(2):
        if SmsDailyCount.objects.filter(day=day, count__lt=cap).update(count=F("count") + 1):
            return
        if SmsDailyCount.objects.filter(day=day).exists():
            break
        try:
            with transaction.atomic():
                SmsDailyCount.objects.create(day=day, count=0)
        except IntegrityError:
            pass  # another request created today's row first
    log.warning("sms: daily cap of %s messages reached", cap)
    raise SmsBudgetExhausted


class BaseBackend:
    def send(self, message):
        """Deliver `message` (an OutboundSms row, already saved) or arrange for its delivery."""
        raise NotImplementedError


class DatabaseBackend(BaseBackend):
    """Development and tests: the recorded row is the message; /dev/sms/ shows it."""

    def send(self, message):
        OutboundSms.objects.filter(pk=message.pk).update(status=SmsStatus.SENT, sent_at=timezone.now(), attempts=1)


class GatewayBackend(BaseBackend):
    """An HTTP brandname gateway: POST JSON {from, to, text} with HTTP basic credentials.

    2xx means the gateway accepted the message; 4xx is a permanent refusal; 5xx, timeouts and
    connection errors are retried by the Celery task with exponential backoff.
    """

    def send(self, message):
        from .tasks import deliver_sms

        def enqueue():
            try:
                deliver_sms.delay(message.pk)
            except Exception as exc:  # the broker is down
                log.warning("sms %s: could not queue (%s)", message.pk, type(exc).__name__)
                if message.resend_if_lost:
                    return  # still QUEUED: sweep_lost_messages() queues it again once the broker is back
                # A code would be stale before the broker returns: the citizen asks for a new one.
                OutboundSms.objects.filter(pk=message.pk, status=SmsStatus.QUEUED).update(
                    status=SmsStatus.FAILED, error=f"queue: {type(exc).__name__}", text=""
                )

        transaction.on_commit(enqueue)

    def post(self, phone, text):
        """One attempt at the gateway. Returns nothing; raises GatewayTemporaryError or GatewayRejected."""
        if not settings.SMS_GATEWAY_URL:
            raise GatewayRejected("SMS_GATEWAY_URL is not set")
        payload = {"from": settings.SMS_GATEWAY_BRANDNAME, "to": phone.lstrip("+"), "text": text}
        auth = None
        if settings.SMS_GATEWAY_USERNAME:
            # As bytes: requests would encode text credentials as Latin-1 and fail on Vietnamese.
            auth = (settings.SMS_GATEWAY_USERNAME.encode(), settings.SMS_GATEWAY_PASSWORD.encode())
        try:
            response = requests.post(
                settings.SMS_GATEWAY_URL, json=payload, auth=auth, timeout=settings.SMS_GATEWAY_TIMEOUT
            )
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise GatewayTemporaryError(type(exc).__name__) from exc
        if response.status_code >= 500:
            raise GatewayTemporaryError(f"HTTP {response.status_code}")
        if response.status_code >= 300:
            raise GatewayRejected(f"HTTP {response.status_code}")


def get_backend():
    return import_string(settings.SMS_BACKEND)()


def send_sms(phone, text, *, resend_if_lost=False):
    """Send `text` to `phone` (E.164) through SMS_BACKEND, within the daily cap.

    Raises SmsBudgetExhausted when the cap is reached (nothing is recorded then). Returns the
    OutboundSms row. Call it inside the request's transaction: the gateway is only asked once the
    transaction commits. With `resend_if_lost` (notices, not codes), a message whose delivery task
    the broker lost is queued again by `sweep_lost_messages`.
    """
    backend = get_backend()
    with transaction.atomic():
        take_from_budget()
        message = OutboundSms.objects.create(
            phone=phone,
            text=text,
            backend=settings.SMS_BACKEND,
            resend_if_lost=resend_if_lost,
            queued_at=timezone.now(),
        )
    backend.send(message)
    return message


def deliver(message_id, *, final_attempt):
    """Post a queued message to the gateway (the body of the Celery task).

    Idempotent: a message already sent or failed is left alone. On a temporary failure the error is
    re-raised for the task to retry, unless this was the final attempt, when the message is marked
    failed. The text is cleared once the message leaves, so no code stays in the database.
    """
    # Claimed (QUEUED -> SENDING) before the gateway is asked: a second delivery of this task, or
    # one queued again by the sweeper, finds nothing to do, so the gateway is asked at most once at
    # a time. A worker killed while it holds the claim leaves the message SENDING; the sweeper marks
    # it failed (outcome unknown) rather than risk sending it twice.
    if not OutboundSms.objects.filter(pk=message_id, status=SmsStatus.QUEUED).update(
        status=SmsStatus.SENDING, attempts=F("attempts") + 1, queued_at=timezone.now()
    ):
        return
    message = OutboundSms.objects.get(pk=message_id)
    try:
        GatewayBackend().post(message.phone, message.text)
    except GatewayRejected as exc:
        log.warning("sms %s: rejected by the gateway (%s)", message_id, exc)
        OutboundSms.objects.filter(pk=message_id).update(status=SmsStatus.FAILED, error=str(exc)[:200], text="")
        return
    except GatewayTemporaryError as exc:
        log.warning("sms %s: gateway failed (%s)%s", message_id, exc, ", giving up" if final_attempt else "")
        if final_attempt:
            OutboundSms.objects.filter(pk=message_id).update(status=SmsStatus.FAILED, error=str(exc)[:200], text="")
            return
        # Back in the queue for the task's retry; the sweeper waits a minute from now before it helps.
        OutboundSms.objects.filter(pk=message_id).update(
            status=SmsStatus.QUEUED, error=str(exc)[:200], queued_at=timezone.now()
        )
        raise
    OutboundSms.objects.filter(pk=message_id).update(status=SmsStatus.SENT, sent_at=timezone.now(), error="", text="")


# A message whose delivery task is not done this long after it was queued lost its task; one that has
# been SENDING longer than the broker's redelivery time lost its worker in the middle of the call.
LOST_AFTER = datetime.timedelta(seconds=60)
GIVE_UP_AFTER = datetime.timedelta(days=2)


def sweep_lost_messages(*, limit=500):
    """Queue again the gateway messages (notices only) whose delivery task was lost; mark failed
    those whose worker died while asking the gateway. Returns how many were queued again.

    Only the gateway backend queues a task; the database backend sends in the same transaction.
    """
    from .tasks import deliver_sms

    current = timezone.now()
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 600)
    stuck_after = datetime.timedelta(seconds=visibility) + LOST_AFTER
    stuck = OutboundSms.objects.filter(
        status=SmsStatus.SENDING, resend_if_lost=True, queued_at__lt=current - stuck_after
    ).update(status=SmsStatus.FAILED, error="outcome unknown: the worker stopped during the gateway call", text="")
    if stuck:
        log.warning("sms: %s message(s) left mid-send by a stopped worker marked failed, not resent", stuck)
    pending = (
        OutboundSms.objects.filter(
            status=SmsStatus.QUEUED,
            resend_if_lost=True,
            queued_at__lt=current - LOST_AFTER,
            created_at__gte=current - GIVE_UP_AFTER,
        )
        .order_by("queued_at", "pk")
        .values_list("pk", "queued_at")[:limit]
    )
    return queue_again(pending, OutboundSms.objects, "queued_at", deliver_sms, status=SmsStatus.QUEUED)
