"""Web Push, a channel of the notice pipeline: a person who allowed it on a phone gets each of their
notices there too, as a notification that opens the notice's page.

Off unless WEBPUSH_VAPID_PUBLIC_KEY, WEBPUSH_VAPID_PRIVATE_KEY (the server's VAPID key pair, which
push services use to know who sends) and WEBPUSH_VAPID_SUBJECT (a contact) are set. `notify`
(notices.services) queues a push for each new notice whose person has a subscription; `send_push`
sends it at most once (claim first, then post, outside any transaction); a push service answering
404 or 410 has dropped that browser, and its subscription is deleted. The in-site notice is the
record: a push that fails is logged and left.
"""

import fnmatch
import json
import logging
import re
from urllib.parse import urlsplit

# Imported before the first signature: with cryptography 50.x, signing a JWT (VAPID) first in a
# fresh process can crash unless this module is loaded early.
import cryptography.hazmat.primitives.serialization  # noqa: F401
import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from smarthp.sweeping import queue_again

from .models import Notice, PushSubscription

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
GONE = (404, 410)
BASE64URL = re.compile(r"^[A-Za-z0-9_-]+=*$")


class PushError(Exception):
    """A subscription the portal will not keep, with a message for the person."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def enabled():
    return bool(
        settings.WEBPUSH_VAPID_PUBLIC_KEY and settings.WEBPUSH_VAPID_PRIVATE_KEY and settings.WEBPUSH_VAPID_SUBJECT
    )


def public_key():
    """The VAPID public key a browser subscribes with, or "" when push is off."""
    return settings.WEBPUSH_VAPID_PUBLIC_KEY if enabled() else ""


def endpoint_allowed(endpoint):
    """Only https addresses of the push services we know: the server posts to this address, so an
    address of the browser's choosing must never reach a machine inside the city's network."""
    try:
        parts = urlsplit(endpoint)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or parts.username or parts.password:
        return False
    return any(fnmatch.fnmatchcase(host, pattern.lower()) for pattern in settings.WEBPUSH_ALLOWED_HOSTS)


def subscribe(*, user, endpoint, p256dh, auth, device=""):
    """Keep (or renew) this browser's subscription for `user`. A browser that changes hands (one
    signs out, another signs in) now belongs to the last one who subscribed on it."""
    endpoint, p256dh, auth = (str(value or "").strip() for value in (endpoint, p256dh, auth))
    if not enabled():
        raise PushError(_("Thông báo đẩy chưa được bật trên cổng."))
    if len(endpoint) > 1000 or not endpoint_allowed(endpoint):
        raise PushError(_("Trình duyệt này dùng một dịch vụ thông báo đẩy mà cổng không hỗ trợ."))
    if not (BASE64URL.match(p256dh) and 40 <= len(p256dh) <= 200 and BASE64URL.match(auth) and len(auth) <= 100):
        raise PushError(_("Thông tin đăng ký thông báo đẩy không hợp lệ. Vui lòng thử lại."))
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user": user, "p256dh": p256dh, "auth": auth, "device": str(device or "")[:100]},
    )
    return subscription


def unsubscribe(*, user, endpoint):
    """Forget this browser's subscription, if it is the user's. Returns how many were deleted."""
    deleted, _by_model = PushSubscription.objects.filter(user=user, endpoint=str(endpoint or "")).delete()
    return deleted


def pushable_users(user_ids):
    """Of `user_ids`, those to whom a notice is also pushed (empty when push is off: no query)."""
    if not enabled() or not user_ids:
        return set()
    return set(PushSubscription.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True))


def queue_on_commit(notices):
    from smarthp.sweeping import publish_on_commit

    from .tasks import send_push_task

    for notice in notices:
        publish_on_commit(send_push_task, notice.pk)


def payload(notice):
    return json.dumps(
        {
            "title": _("Công dân số Hải Phòng"),
            "body": notice.text,
            "url": notice.url or "/thong-bao/",
            "tag": f"notice-{notice.pk}",
        },
        ensure_ascii=False,
    )


def http_session():
    """The HTTP session pushes go through (a test replaces it to play the push service)."""
    return requests.Session()


def send_push(notice_id):
    """Push one notice to every subscription of its person, at most once. Returns how many push
    services accepted it.

    The claim (`push_sent_at`) commits before anything is posted: a second run, or a duplicate
    message, finds it claimed and sends nothing. A worker killed between the claim and the posts
    loses that push; the in-site notice remains.
    """
    from pywebpush import WebPushException, webpush

    if not enabled():
        return 0
    with transaction.atomic():
        claimed = Notice.objects.filter(
            pk=notice_id, push_sent_at__isnull=True, push_queued_at__isnull=False, user__isnull=False
        ).update(push_sent_at=timezone.now())
        if not claimed:
            return 0
        notice = Notice.objects.get(pk=notice_id)
        subscriptions = list(PushSubscription.objects.filter(user_id=notice.user_id).order_by("pk"))
    data = payload(notice)
    claims = {"sub": settings.WEBPUSH_VAPID_SUBJECT}
    session = http_session()
    accepted, gone = [], []
    for subscription in subscriptions:
        try:
            webpush(
                subscription_info=subscription.info(),
                data=data,
                vapid_private_key=settings.WEBPUSH_VAPID_PRIVATE_KEY,
                vapid_claims=dict(claims),
                ttl=settings.WEBPUSH_TTL,
                timeout=TIMEOUT_SECONDS,
                headers={"Urgency": "normal"},
                requests_session=session,
            )
        except WebPushException as exc:
            status = getattr(exc.response, "status_code", None)
            if status in GONE:
                gone.append(subscription.pk)
            else:
                # No endpoint in the log: it identifies a person's browser.
                log.warning("push: subscription %s refused the message (HTTP %s)", subscription.pk, status)
        except (requests.RequestException, ValueError) as exc:
            log.warning("push: subscription %s unreachable (%s)", subscription.pk, type(exc).__name__)
        else:
            accepted.append(subscription.pk)
    if gone:
        PushSubscription.objects.filter(pk__in=gone).delete()
        log.info("push: %s subscription(s) gone, deleted", len(gone))
    if accepted:
        PushSubscription.objects.filter(pk__in=accepted).update(last_sent_at=timezone.now())
    return len(accepted)


def sweep_unsent(*, older_than=None, limit=500):
    """Queue again the pushes queued a minute ago and still unsent (the broker lost their message),
    for an hour: after that a notification is no longer worth a phone's buzz. Returns how many."""
    import datetime

    from .tasks import send_push_task

    if not enabled():
        return 0
    current = timezone.now()
    older_than = older_than or datetime.timedelta(seconds=60)
    pending = (
        Notice.objects.filter(
            push_sent_at__isnull=True,
            push_queued_at__lt=current - older_than,
            push_queued_at__gte=current - datetime.timedelta(hours=1),
        )
        .order_by("push_queued_at", "pk")
        .values_list("pk", "push_queued_at")[:limit]
    )
    return queue_again(pending, Notice.objects, "push_queued_at", send_push_task)
