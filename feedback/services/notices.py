"""Notices: in-site notices and SMS about a report's steps.

Notices: every public status change is announced to the reporter and the report's followers (not
to the person who made the change): an in-site Notification always, an SMS for the key steps
(received, answered). Call `queue_notification(event)` after logging such an event; the task
claims the event (`notified_at`) so a redelivered message or the sweeper never notifies twice.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from smarthp.text import ascii_fold

from ..models import (
    EventKind,
    Follow,
    Notification,
    ReportEvent,
    ReportStatus,
)
from .common import (
    SWEEP_BATCH,
    now,
    on_commit,
)

log = logging.getLogger(__name__)

NOTIFY_RETRY_AFTER = datetime.timedelta(seconds=60)
# Older notices are not worth sending any more (the citizen has seen the page since).
NOTIFY_GIVE_UP_AFTER = datetime.timedelta(days=2)
SMS_EVENT_KINDS = frozenset({EventKind.RECEIVED, EventKind.ANSWERED})


def _notifiable():
    return Q(is_public=True) & (~Q(to_status="") | Q(kind=EventKind.RECEIVED))


def is_notifiable(event):
    return event.is_public and (bool(event.to_status) or event.kind == EventKind.RECEIVED)


def queue_notification(event):
    """Announce a logged event to the reporter and followers once the transaction commits."""
    if is_notifiable(event):
        from ..tasks import notify_event_task

        on_commit(notify_event_task, event.pk)


def notice_text(event):
    """The in-site notice for an event (Vietnamese, the portal's first language)."""
    report = event.report
    values = {"code": report.code, "agency": event.agency.name if event.agency_id else _("Trung tâm 1022")}
    with translation.override(settings.LANGUAGE_CODE):
        if event.kind == EventKind.RECEIVED:
            if report.status == ReportStatus.TRIAGE:
                return _("Phản ánh %(code)s đã được tiếp nhận và chuyển Trung tâm 1022 phân loại.") % values
            return _("Phản ánh %(code)s đã được tiếp nhận và chuyển đến %(agency)s.") % values
        if event.kind == EventKind.ANSWERED:
            return _("Phản ánh %(code)s đã có trả lời của %(agency)s.") % values
        if event.kind in (EventKind.ROUTED, EventKind.TRANSFERRED):
            return _("Phản ánh %(code)s đã được chuyển đến %(agency)s.") % values
        values["step"] = str(ReportStatus(event.to_status).label) if event.to_status else event.get_kind_display()
        return _("Phản ánh %(code)s: %(step)s.") % values


def notify_event(event_id):
    """Create the in-site notices for an event and queue its SMS. Returns the notices created.

    Claims the event first (a conditional UPDATE of `notified_at`): a second call for the same event,
    from a redelivered message or the sweeper, does nothing.
    """
    from ..tasks import send_contact_sms_task, send_notice_sms_task

    with transaction.atomic():
        if not ReportEvent.objects.filter(pk=event_id, notified_at__isnull=True).update(notified_at=now()):
            return []
        event = ReportEvent.objects.select_related("report", "agency").get(pk=event_id)
        if not is_notifiable(event):
            return []
        report = event.report
        recipients = set(Follow.objects.filter(report=report).values_list("user_id", flat=True))
        if report.reporter_id is not None:
            recipients.add(report.reporter_id)
        recipients.discard(event.actor_id)
        users = get_user_model().objects.filter(pk__in=recipients, is_active=True).only("pk", "phone")
        text = notice_text(event)
        texts = event.kind in SMS_EVENT_KINDS
        current = now()
        notices = Notification.objects.bulk_create(
            [
                Notification(
                    user=user,
                    report=report,
                    event=event,
                    text=text,
                    sms_queued_at=current if texts and user.phone else None,
                )
                for user in users
            ]
        )
        if texts:
            texted = {user.phone for user in users if user.phone}
            for notice in notices:
                if notice.sms_queued_at:
                    on_commit(send_notice_sms_task, notice.pk)
            if _texts_contact_phone(report, event, texted):
                ReportEvent.objects.filter(pk=event.pk).update(contact_sms_queued_at=current)
                on_commit(send_contact_sms_task, event.pk)
    return notices


def _texts_contact_phone(report, event, texted):
    """Whether the phone kept on a report filed without an account (a 1022 caller's) gets this
    event's SMS: every step the reporter would be told, received and answered alike, once, and never
    when that number is the acting officer's own or already gets the notice as a follower's."""
    if report.reporter_id is not None or not report.contact_phone or report.contact_phone in texted:
        return False
    if event.actor_id is None:
        return True
    actor_phone = get_user_model().objects.filter(pk=event.actor_id).values_list("phone", flat=True).first()
    return report.contact_phone != actor_phone


def sms_text(text, report):
    """A notice as a text message: no diacritics (brandname SMS are plain GSM text) and a link."""
    url = settings.SITE_ROOT.rstrip("/") + report.get_absolute_url()
    return f"{ascii_fold(text)} {url}"


def send_notice_sms(notice_id):
    """Send the SMS for one notice, at most once: the notice is claimed (sms_sent_at) before sending.

    Returns True when a message went out. A message that cannot be sent (daily budget spent) is
    logged and not retried.
    """
    if not Notification.objects.filter(pk=notice_id, sms_sent_at__isnull=True).update(sms_sent_at=now()):
        return False
    notice = Notification.objects.select_related("user", "report").get(pk=notice_id)
    if not notice.user.phone or notice.report is None:
        return False
    return _send_sms(notice.user.phone, sms_text(notice.text, notice.report))


def send_contact_sms(event_id):
    """SMS for a report filed without an account (1022 phone calls): to the phone on the report.

    At most once per event: the event is claimed (contact_sms_sent_at) before sending, so a
    redelivered task sends nothing. Returns True when a message went out.
    """
    if not ReportEvent.objects.filter(pk=event_id, contact_sms_sent_at__isnull=True).update(contact_sms_sent_at=now()):
        return False
    event = ReportEvent.objects.select_related("report", "agency").get(pk=event_id)
    if not event.report.contact_phone:
        return False
    return _send_sms(event.report.contact_phone, sms_text(notice_text(event), event.report))


def _send_sms(phone, text):
    from citizens.sms import SmsBudgetExhausted, send_sms

    try:
        send_sms(phone, text)
    except SmsBudgetExhausted:
        log.warning("report notice SMS not sent: the daily SMS budget is spent")
        return False
    return True


def sweep_unnotified(*, older_than=NOTIFY_RETRY_AFTER, limit=SWEEP_BATCH):
    """Queue again the notices of events whose message was lost (the task skips claimed events).

    The first message left on commit, at the event's creation; an event still unclaimed `older_than`
    after that, or after the sweeper's last try, is queued once more. Returns how many were queued.
    """
    from ..tasks import notify_event_task

    current = now()
    pending = (
        ReportEvent.objects.filter(
            _notifiable(), notified_at__isnull=True, created_at__gte=current - NOTIFY_GIVE_UP_AFTER
        )
        .annotate(last_queued=Coalesce("notify_queued_at", "created_at"))
        .filter(last_queued__lt=current - older_than)
        .order_by("created_at", "pk")
        .values_list("pk", "notify_queued_at")[:limit]
    )
    return _queue_again(pending, ReportEvent.objects, "notify_queued_at", notify_event_task)


def sweep_unsent_sms(*, older_than=NOTIFY_RETRY_AFTER, limit=SWEEP_BATCH):
    """Queue again the SMS of notices, and of 1022 callers, queued more than `older_than` ago and
    still unsent: their message was lost with the broker, or never left. Returns how many were queued.
    """
    from ..tasks import send_contact_sms_task, send_notice_sms_task

    current = now()
    queued = 0
    for rows, queued_field, sent_field, task in (
        (Notification.objects, "sms_queued_at", "sms_sent_at", send_notice_sms_task),
        (ReportEvent.objects, "contact_sms_queued_at", "contact_sms_sent_at", send_contact_sms_task),
    ):
        pending = (
            rows.filter(
                **{f"{sent_field}__isnull": True, f"{queued_field}__lt": current - older_than},
                created_at__gte=current - NOTIFY_GIVE_UP_AFTER,
            )
            .order_by(queued_field, "pk")
            .values_list("pk", queued_field)[:limit]
        )
        queued += _queue_again(pending, rows, queued_field, task)
    return queued


def _queue_again(pending, rows, queued_field, task):
    """Queue `task` for each (pk, last queued time) of `pending`, claiming each first by moving its
    queued time with a conditional UPDATE (healthchecks-style): two sweepers queue it once, and a slow
    queue gets one more message a minute, not one every sweep. A duplicate that does arrive is
    harmless, since every task claims its row before it acts. Stops at the first broker error, putting
    that row's time back for the next sweep. Returns how many were queued.
    """
    current = now()
    queued = 0
    for pk, seen in pending:
        if not rows.filter(pk=pk, **{queued_field: seen}).update(**{queued_field: current}):
            continue
        try:
            task.delay(pk)
        except OperationalError:
            rows.filter(pk=pk).update(**{queued_field: seen})
            log.warning("sweep: broker unavailable, %s left for the next sweep", task.name)
            break
        queued += 1
    return queued


def notify_officers(users, report, text):
    """In-site notices for officers (assignment, approval requests, answers sent back, reminders)."""
    Notification.objects.bulk_create([Notification(user=user, report=report, text=text[:300]) for user in users])


def mark_notifications_read(*, user):
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now())
