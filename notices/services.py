"""Every write of the notice pipeline. Feature apps call `notify` (and `text_phone` for a person
without an account) inside the transaction that changes the state the notice is about."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from smarthp.sweeping import publish_on_commit, queue_again
from smarthp.text import ascii_fold

from . import push, selectors
from .models import Notice, key_of

log = logging.getLogger(__name__)

# An SMS still unsent this long after it was queued lost its message (or the broker was down): the
# sweeper queues it again, once a minute at most; after two days it is no longer news.
RETRY_AFTER = datetime.timedelta(seconds=60)
GIVE_UP_AFTER = datetime.timedelta(days=2)
SWEEP_BATCH = 500


def now():
    return timezone.now()


def _consenting(user_ids):
    """Of `user_ids`, those whose latest decision on ConsentPurpose.NOTICES is a yes."""
    from citizens.models import Consent, ConsentPurpose

    latest = Consent.objects.filter(user=OuterRef("pk"), purpose=ConsentPurpose.NOTICES).order_by("-at", "-id")
    return set(
        get_user_model()
        .objects.filter(pk__in=user_ids)
        .annotate(consents_to_notices=Subquery(latest.values("granted")[:1]))
        .filter(consents_to_notices=True)
        .values_list("pk", flat=True)
    )


def notify(*, user_ids, text, kind, url="", target=None, source=None, sms=False, unsolicited=False, when=None):
    """Tell each of `user_ids` `text`: one in-site notice linking to `url` and, with `sms`, a text
    message to those with a phone, and a push message to those who allowed it on a browser
    (notices.push, when Web Push is configured). Returns the notices created.

    Call it inside the transaction that writes the state the notice is about: the notices are the
    outbox and commit with that state; their SMS are queued on commit. With `source` (the row that
    asked, e.g. a report event), a person already told by that source is skipped, so a redelivered
    fan-out creates nothing. Inactive accounts get nothing.

    Consent (ConsentPurpose.NOTICES): a notice about the person's own request (their report, their
    dossier) is part of handling that request and goes out as asked. An `unsolicited` one (a ward
    notice, an outage warning, a campaign) reaches only those who consented to notices, SMS or not.
    """
    ids = {int(pk) for pk in user_ids if pk is not None}
    if not ids:
        return []
    if unsolicited:
        ids &= _consenting(ids)
    source_key = key_of(source) if source is not None else ""
    if source_key:
        ids -= set(Notice.objects.filter(source=source_key, user_id__in=ids).values_list("user_id", flat=True))
    users = list(get_user_model().objects.filter(pk__in=ids, is_active=True).only("pk", "phone").order_by("pk"))
    if not users:
        return []
    current = when or now()
    pushable = push.pushable_users([user.pk for user in users])
    notices = Notice.objects.bulk_create(
        [
            Notice(
                user=user,
                kind=kind,
                text=text[:300],
                url=url,
                target=key_of(target) if target is not None else "",
                source=source_key,
                created_at=current,
                sms_queued_at=current if sms and user.phone else None,
                push_queued_at=current if user.pk in pushable else None,
            )
            for user in users
        ]
    )
    _queue_sms_on_commit(notice for notice in notices if notice.sms_queued_at)
    push.queue_on_commit(notice for notice in notices if notice.push_queued_at)
    return notices


def text_phone(*, phone, text, kind, url="", target=None, source=None):
    """Send `text` by SMS to a phone that has no account (a 1022 caller who asked to be told).

    Same outbox and guarantees as `notify`; returns the notice, or None when this source already
    texted that phone.
    """
    source_key = key_of(source) if source is not None else ""
    if source_key and Notice.objects.filter(source=source_key, user__isnull=True, phone=phone).exists():
        return None
    notice = Notice.objects.create(
        phone=phone,
        kind=kind,
        text=text[:300],
        url=url,
        target=key_of(target) if target is not None else "",
        source=source_key,
        sms_queued_at=now(),
    )
    _queue_sms_on_commit([notice])
    return notice


def _queue_sms_on_commit(notices):
    from .tasks import send_sms_task

    for notice in notices:
        publish_on_commit(send_sms_task, notice.pk)


def sms_text(notice):
    """A notice as a text message: no diacritics (brandname SMS are plain GSM text) and a link."""
    text = ascii_fold(notice.text)
    if not notice.url:
        return text
    return f"{text} {settings.SITE_ROOT.rstrip('/')}{notice.url}"


def send_sms(notice_id):
    """Send the SMS of one notice, at most once. Returns True when a message went out.

    The claim (`sms_sent_at`) and the message row commit together: a worker killed before the
    commit leaves neither, and the sweeper queues the notice again; killed after it, the message
    exists and is the backend's to deliver. A message the daily budget refuses is logged and not
    retried (the claim stays).
    """
    from citizens.sms import SmsBudgetExhausted
    from citizens.sms import send_sms as send_text

    with transaction.atomic():
        claimed = Notice.objects.filter(pk=notice_id, sms_sent_at__isnull=True, sms_queued_at__isnull=False).update(
            sms_sent_at=now()
        )
        if not claimed:
            return False
        notice = Notice.objects.select_related("user").get(pk=notice_id)
        phone = notice.user.phone if notice.user_id else notice.phone
        if not phone:
            return False
        try:
            message = send_text(phone, sms_text(notice), resend_if_lost=True)
        except SmsBudgetExhausted:
            log.warning("notices: SMS not sent, the daily SMS budget is spent")
            return False
        Notice.objects.filter(pk=notice_id).update(sms=message)
    return True


def mark_read(*, user, notice_ids=None):
    """Mark the user's unread notices read (only `notice_ids` of them, when given). Returns how many."""
    rows = Notice.objects.filter(user=user, read_at__isnull=True)
    if notice_ids is not None:
        rows = rows.filter(pk__in=notice_ids)
    changed = rows.update(read_at=now())
    selectors.forget_loaded_count(user)
    return changed


def mark_unread(*, user, notice_ids):
    """Mark the user's notices `notice_ids` unread again (the API's "keep it for later"). Returns how many."""
    changed = Notice.objects.filter(user=user, pk__in=notice_ids, read_at__isnull=False).update(read_at=None)
    selectors.forget_loaded_count(user)
    return changed


def sweep_unsent_sms(*, older_than=RETRY_AFTER, limit=SWEEP_BATCH):
    """Queue again the SMS of notices queued more than `older_than` ago and still unsent (their
    message was lost with the broker, or never left). Returns how many were queued.

    Each is claimed first (smarthp.sweeping.queue_again): two sweepers queue it once; a duplicate that
    does arrive is harmless, since the sender claims the notice before it sends.
    """
    from .tasks import send_sms_task

    current = now()
    pending = (
        Notice.objects.filter(
            sms_sent_at__isnull=True,
            sms_queued_at__lt=current - older_than,
            sms_queued_at__gte=current - GIVE_UP_AFTER,
        )
        .order_by("sms_queued_at", "pk")
        .values_list("pk", "sms_queued_at")[:limit]
    )
    return queue_again(pending, Notice.objects, "sms_queued_at", send_sms_task)


def sweep():
    """What the periodic sweeper does: (notice SMS queued again, gateway messages queued again)."""
    from citizens.sms import sweep_lost_messages

    return sweep_unsent_sms(), sweep_lost_messages()
