"""What a report's steps tell people, handed to the shared notice pipeline (notices.services).

Every public status change is announced to the reporter and the report's followers (not to the
person who made the change): an in-site notice always, an SMS for the key steps (received,
answered). Call `queue_notification(event)` after logging such an event; the task claims the event
(`notified_at`) so a redelivered message or the sweeper never notifies twice. Sending the SMS, the
daily cap and the sweep of lost SMS are the pipeline's, not this module's.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notices import services as notice_pipeline
from smarthp.sweeping import queue_again

from ..models import (
    EventKind,
    Follow,
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
# The `kind` of the notices this app sends: to citizens about a report, to officers about their work.
NOTICE_KIND = "feedback.report"
OFFICER_NOTICE_KIND = "feedback.officer"


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
    """Tell the reporter and followers about an event, through the shared notice pipeline: an
    in-site notice each and, for the key steps, an SMS; the phone kept on a report filed without an
    account (a 1022 caller's) gets the SMS too. Returns the notices created.

    Claims the event first (a conditional UPDATE of `notified_at`): a second call for the same event,
    from a redelivered message or the sweeper, does nothing. The claim and the notices (the SMS
    outbox) commit together.
    """
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
        text = notice_text(event)
        texts = event.kind in SMS_EVENT_KINDS
        about = {"kind": NOTICE_KIND, "url": report.get_absolute_url(), "target": report, "source": event}
        notices = notice_pipeline.notify(user_ids=recipients, text=text, sms=texts, **about)
        texted = {notice.user.phone for notice in notices if notice.sms_queued_at}
        if texts and _texts_contact_phone(report, event, texted):
            notice_pipeline.text_phone(phone=report.contact_phone, text=text, **about)
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
    return queue_again(pending, ReportEvent.objects, "notify_queued_at", notify_event_task)


def notify_about_report(user_ids, report, text, *, source=None):
    """An in-site notice to citizens about a report, linking to its page (outside the event flow)."""
    notice_pipeline.notify(
        user_ids=user_ids,
        text=text,
        kind=NOTICE_KIND,
        url=report.get_absolute_url(),
        target=report,
        source=source,
    )


def notify_officers(users, report, text):
    """In-site notices for officers (assignment, approval requests, answers sent back), linking to
    the report's workspace."""
    notice_pipeline.notify(
        user_ids=[user.pk for user in users],
        text=text,
        kind=OFFICER_NOTICE_KIND,
        url=reverse("feedback_officer:workspace", args=[report.code]),
        target=report,
    )
