"""Every write to PAKN reports goes through a function here: views, the API, tasks and commands call
the same functions, so each rule lives in one place.

Conventions:
- A function that changes a report's state takes the row lock first (`lock_report`), checks that the
  change is allowed from the state it finds, and raises `ReportActionError` with a message for the
  user when it is not. Nothing is written in that case.
- Every state change bumps `Report.version` and is logged as a `ReportEvent`.
- Work for other processes (routing, SMS, notices) is queued with `transaction.on_commit`, never
  before the rows it needs exist.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from government import geo
from government.models import Agency, AgencyKind
from smarthp.text import ascii_fold

from . import deadlines
from .models import (
    Answer,
    AnswerStatus,
    Channel,
    EventKind,
    Follow,
    Notification,
    Rating,
    Report,
    ReportCodeCounter,
    ReportEvent,
    ReportStatus,
    RoutingRule,
    Satisfaction,
)
from .photos import MAX_PHOTOS, delete_files, save_photos

log = logging.getLogger(__name__)


class ReportActionError(Exception):
    """An action that is not allowed now; `message` is shown to the user as it is."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def lock_report(report_id, *, expected_version=None):
    """Lock a report row for the rest of the transaction and return it.

    With `expected_version`, a report changed since the caller's screen was drawn raises
    ReportActionError, so two officers acting at once cannot both succeed. Call inside
    `transaction.atomic()`.
    """
    report = Report.objects.select_for_update().get(pk=report_id)
    if expected_version is not None and report.version != int(expected_version):
        raise ReportActionError(_("Phản ánh vừa được người khác cập nhật. Vui lòng xem lại trạng thái mới nhất."))
    return report


def log_event(
    report, kind, *, actor=None, agency=None, from_status="", to_status="", message="", is_public=True, notified_at=None
):
    return ReportEvent.objects.create(
        report=report,
        kind=kind,
        actor=actor,
        agency=agency,
        from_status=from_status,
        to_status=to_status,
        message=message,
        is_public=is_public,
        notified_at=notified_at,
    )


def set_status(report, status, *, kind, actor=None, agency=None, message="", is_public=True, fields=()):
    """Move a locked report to `status`, save the given extra fields, log the step and bump the version."""
    previous = report.status
    report.status = status
    report.version = F("version") + 1
    report.save(update_fields=["status", "version", "updated_at", *fields])
    report.refresh_from_db(fields=["version"])
    return log_event(
        report,
        kind,
        actor=actor,
        agency=agency,
        from_status=previous,
        to_status=status,
        message=message,
        is_public=is_public,
    )


def now():
    return timezone.now()


def on_commit(task, *args):
    """Queue a Celery task once the current transaction commits (runs in-process when eager).

    A broker that is down does not fail the request whose rows are already committed: the failure
    is logged and the sweeper (`sweep`) queues the work again once the broker is back.
    """

    def send():
        try:
            task.delay(*args)
        except OperationalError:
            log.warning("broker unavailable: %s%r left to the sweeper", task.name, args)

    transaction.on_commit(send)


def queue_routing(report_id):
    """Queue `route_report_task` for a report once the current transaction commits.

    When the broker is down, the report is marked as not queued (`routing_queued_at` NULL): no
    message exists that could still arrive, so the sweeper takes it at its next run instead of
    waiting ROUTING_RETRY_AFTER for it (DESIGN §5: all routed within 60 s of the broker's return).
    """
    from .tasks import route_report_task

    def send():
        try:
            route_report_task.delay(report_id)
        except OperationalError:
            log.warning("broker unavailable: routing of report %s left to the sweeper", report_id)
            mark_not_queued(report_id)

    transaction.on_commit(send)


def mark_not_queued(report_id):
    """Tell the sweeper that no routing message for this report is on its way."""
    try:
        Report.objects.filter(pk=report_id, routed_at__isnull=True).update(routing_queued_at=None)
    except DatabaseError:
        # The database is unreachable as well: the report waits ROUTING_RETRY_AFTER like any other.
        log.warning("report %s: could not mark it for the sweeper; it waits for the usual retry", report_id)


# --- Citizen side: submit, route, notify, follow, rate, reopen -------------------------------------
#
# Routing (DESIGN §4, "never lost, never twice"):
# - `submit_report` writes the report (status SUBMITTED, routed_at NULL, routing_queued_at now) and
#   its photos in one transaction and queues `route_report_task` on commit (`queue_routing`).
# - `route_report` locks the row and does nothing when `routed_at` is set, so two deliveries of the
#   message route once. It picks the agency from the RoutingRule table (`find_routing_rule`), or
#   sends the report to the 1022 centre for triage when no rule matches.
# - `sweep` (Celery beat every 10 seconds, or `manage.py sweep_reports` from cron) queues again
#   what a lost message or a broker outage left unrouted, and notices and SMS that were never
#   sent. A report whose message could not be sent (routing_queued_at NULL) is taken at once; one
#   whose message was sent only after ROUTING_RETRY_AFTER, since the message may still be waiting.
#
# Notices: every public status change is announced to the reporter and the report's followers (not
# to the person who made the change): an in-site Notification always, an SMS for the key steps
# (received, answered). Call `queue_notification(event)` after logging such an event; the task
# claims the event (`notified_at`) so a redelivered message or the sweeper never notifies twice.

ROUTING_RETRY_AFTER = datetime.timedelta(seconds=60)
NOTIFY_RETRY_AFTER = datetime.timedelta(seconds=60)
# Older notices are not worth sending any more (the citizen has seen the page since).
NOTIFY_GIVE_UP_AFTER = datetime.timedelta(days=2)
SWEEP_BATCH = 500
REOPEN_WITHIN = datetime.timedelta(days=7)
SMS_EVENT_KINDS = frozenset({EventKind.RECEIVED, EventKind.ANSWERED})
TITLE_MIN_LENGTH = 5
DESCRIPTION_MIN_LENGTH = 10


def next_report_code(today=None):
    """A new tracking code, PA-<year>-<number>, numbered from 1 each year.

    The year's counter row is incremented under its row lock in a short transaction of its own (a
    savepoint when the caller already holds one), so parallel submissions never share a number and
    do not queue behind one another's photo uploads. The number is zero-padded to 6 digits and
    simply grows past 999999.
    """
    year = (today or timezone.localdate()).year
    with transaction.atomic():
        if not ReportCodeCounter.objects.filter(year=year).update(last=F("last") + 1):
            try:
                with transaction.atomic():
                    ReportCodeCounter.objects.create(year=year, last=1)
            except IntegrityError:  # another submission created this year's row first
                ReportCodeCounter.objects.filter(year=year).update(last=F("last") + 1)
        number = ReportCodeCounter.objects.filter(year=year).values_list("last", flat=True).get()
    return f"PA-{year}-{number:06d}"


def scoped_idempotency_key(reporter, key):
    """The stored form of a form's idempotency key: one person's key can never match another's."""
    if not key:
        return None
    owner = reporter.pk if reporter is not None else "anon"
    return f"{owner}:{key}"[:64]


def find_submission(reporter, key):
    """The report already filed with this form (idempotency key), or None."""
    key = scoped_idempotency_key(reporter, key)
    return Report.objects.filter(idempotency_key=key).first() if key else None


def check_point(lat, lng):
    """The unit at a map point; ReportActionError when the point is incomplete or outside the city."""
    if (lat is None) != (lng is None):
        raise ReportActionError(_("Vị trí trên bản đồ chưa đầy đủ. Vui lòng đánh dấu lại."))
    if lat is None:
        return None
    unit = geo.unit_at(lat, lng)
    if unit is None:
        raise ReportActionError(
            _("Vị trí đã chọn nằm ngoài thành phố Hải Phòng. Vui lòng đánh dấu một điểm trong thành phố.")
        )
    return unit


def check_submission(*, category, title, description, unit, lat, lng, address):
    """Refuse what the form would refuse, for callers that do not go through a form (API, 1022)."""
    if category is None or not category.is_active:
        raise ReportActionError(_("Lĩnh vực không có trong danh sách. Vui lòng chọn lại."))
    if len((title or "").strip()) < TITLE_MIN_LENGTH or len(title) > Report._meta.get_field("title").max_length:
        raise ReportActionError(_("Tiêu đề cần từ 5 đến 200 ký tự."))
    if len((description or "").strip()) < DESCRIPTION_MIN_LENGTH or len(description) > 5000:
        raise ReportActionError(_("Nội dung cần từ 10 đến 5000 ký tự."))
    if len(address or "") > Report._meta.get_field("address").max_length:
        raise ReportActionError(_("Địa chỉ quá dài."))
    point_unit = check_point(lat, lng)
    if unit is None and point_unit is None:
        raise ReportActionError(_("Vui lòng chọn phường, xã hoặc đánh dấu vị trí trên bản đồ."))
    return unit or point_unit


def submit_report(
    *,
    reporter,
    category,
    title,
    description,
    unit=None,
    lat=None,
    lng=None,
    address="",
    is_public=True,
    hide_identity=False,
    photos=(),
    idempotency_key=None,
    urgency=None,
    channel=Channel.WEB,
    contact_name="",
    contact_phone="",
):
    """File a report. Returns (report, created).

    `photos` are feedback.photos.ProcessedPhoto (already checked and re-encoded). `unit` is the ward
    the citizen chose or corrected; without it, the ward at the point. A report with the same
    `idempotency_key` from the same reporter is returned as it is (created False): a double tap, a
    retried POST or a resubmitted page files one report.

    The report, its photos and its first event are written in one transaction; routing is queued
    when it commits. Photo files written for a transaction that fails are deleted again, so call
    this outside any transaction (a view, a task): an enclosing transaction that rolls back later
    would leave its files behind.
    """
    key = scoped_idempotency_key(reporter, idempotency_key)
    existing = find_submission(reporter, idempotency_key)
    if existing is not None:
        return existing, False
    unit = check_submission(
        category=category, title=title, description=description, unit=unit, lat=lat, lng=lng, address=address
    )
    if len(photos) > MAX_PHOTOS:
        raise ReportActionError(_("Tối đa %(count)s ảnh.") % {"count": MAX_PHOTOS})

    code = next_report_code()
    written = []
    try:
        with transaction.atomic():
            report = Report(
                code=code,
                category=category,
                urgency=urgency,
                title=title.strip(),
                description=description.strip(),
                lat=lat,
                lng=lng,
                address=(address or "").strip(),
                unit=unit,
                is_public=is_public,
                hide_identity=hide_identity,
                reporter=reporter,
                contact_name=contact_name,
                contact_phone=contact_phone,
                channel=channel,
                idempotency_key=key,
                status=ReportStatus.SUBMITTED,
                routing_queued_at=now(),
            )
            report.save()
            save_photos(report, photos, written=written)
            # Announced to nobody (the reporter took the step; a new report has no followers), so
            # marked as done: otherwise the notice sweeper would queue a task for it a minute later.
            log_event(report, EventKind.SUBMITTED, actor=reporter, to_status=ReportStatus.SUBMITTED, notified_at=now())
            queue_routing(report.pk)
    except IntegrityError:
        delete_files(written)
        existing = Report.objects.filter(idempotency_key=key).first() if key else None
        if existing is None:
            raise
        return existing, False  # the same form, sent twice at once: the other request won
    except BaseException:
        delete_files(written)
        raise
    return report, True


def hotline_agency():
    """The 1022 centre, which triages what no routing rule places."""
    return Agency.objects.filter(kind=AgencyKind.HOTLINE, is_active=True).order_by("pk").first()


def find_routing_rule(category, unit_id):
    """The most specific active RoutingRule for a category and a unit, or None.

    Order, most specific first:
    1. the category itself, then each parent up the tree (sub-category before its parent); for
       each, a rule for this unit before a rule for any unit;
    2. then a unit-only rule (any category, this unit): a category rule always beats it, so
       "electricity → the power company" wins over "everything in ward X → ward X's committee";
    3. then a catch-all rule (any category, any unit), if administrators made one.
    Rules of inactive agencies are skipped. One query.
    """
    lineage = category.lineage_ids()
    rules = RoutingRule.objects.filter(
        Q(category__in=lineage) | Q(category__isnull=True),
        Q(unit_id=unit_id) | Q(unit__isnull=True),
        is_active=True,
        agency__is_active=True,
    ).select_related("agency")

    def rank(rule):
        specific_unit = 0 if rule.unit_id is not None else 1
        if rule.category_id is not None:
            return (0, lineage.index(rule.category_id), specific_unit)
        return (1, 0, specific_unit)

    ranked = sorted(rules, key=rank)
    return ranked[0] if ranked else None


def route_report(report_id):
    """Send a submitted report to its agency, or to 1022 triage when no rule matches.

    Idempotent: the row is locked and a report already routed is left alone, so a message delivered
    twice (or queued again by the sweeper) routes once. Logs "received" and "sent to agency X" (or
    "sent to 1022"), starts the accept clock, and queues the notices on commit. Returns the report,
    or None when it no longer exists.
    """
    with transaction.atomic():
        try:
            report = lock_report(report_id)
        except Report.DoesNotExist:
            return None
        if report.routed_at is not None:
            return report
        rule = find_routing_rule(report.category, report.unit_id)
        if rule is not None:
            agency, status, kind = rule.agency, ReportStatus.ASSIGNED, EventKind.ROUTED
        else:
            agency, status, kind = hotline_agency(), ReportStatus.TRIAGE, EventKind.TRIAGE
            if agency is None:
                log.error("report %s: no routing rule and no active 1022 agency; left in triage", report.pk)
        received = log_event(report, EventKind.RECEIVED, agency=agency, from_status=report.status)
        report.agency = agency
        report.routed_at = now()
        deadlines.start_accept_clock(report)
        routed = set_status(report, status, kind=kind, agency=agency, fields=["agency", "routed_at", "accept_due_at"])
        # One notice says both "received" and where it went (notice_text); the routing step itself
        # is not announced a second time.
        ReportEvent.objects.filter(pk=routed.pk).update(notified_at=routed.created_at)
        queue_notification(received)
    return report


def unrouted_due(older_than):
    """Unrouted reports with no routing message on its way: never queued (the broker was down), or
    last queued more than `older_than` ago (the message was lost)."""
    return Report.objects.filter(
        Q(routing_queued_at__isnull=True) | Q(routing_queued_at__lt=now() - older_than), routed_at__isnull=True
    )


def sweep_unrouted(*, older_than=ROUTING_RETRY_AFTER, limit=SWEEP_BATCH):
    """Queue routing again for unrouted reports whose message was never sent, or was sent more than
    `older_than` ago and has not arrived.

    Each report is claimed with a conditional UPDATE of its `routing_queued_at` (healthchecks-style):
    if two sweepers run at once, only the one whose UPDATE matched queues it. Stops at the first
    broker error, leaving that report marked as not queued for the next sweep. Returns how many
    were queued.
    """
    from .tasks import route_report_task

    candidates = list(
        unrouted_due(older_than).order_by("created_at", "pk").values_list("pk", "routing_queued_at")[:limit]
    )
    queued = 0
    for pk, seen in candidates:
        claimed = Report.objects.filter(pk=pk, routed_at__isnull=True, routing_queued_at=seen).update(
            routing_queued_at=now(), routing_attempts=F("routing_attempts") + 1
        )
        if not claimed:
            continue
        try:
            route_report_task.delay(pk)
        except OperationalError:
            mark_not_queued(pk)
            log.warning("sweep: broker unavailable, %s reports left for the next sweep", len(candidates) - queued)
            break
        queued += 1
    return queued


def route_unrouted_here(*, older_than=ROUTING_RETRY_AFTER, limit=SWEEP_BATCH):
    """Route stuck reports in this process, without the broker (`sweep_reports --here`)."""
    ids = list(unrouted_due(older_than).order_by("created_at", "pk").values_list("pk", flat=True)[:limit])
    for pk in ids:
        route_report(pk)
    return len(ids)


def _notifiable():
    return Q(is_public=True) & (~Q(to_status="") | Q(kind=EventKind.RECEIVED))


def is_notifiable(event):
    return event.is_public and (bool(event.to_status) or event.kind == EventKind.RECEIVED)


def queue_notification(event):
    """Announce a logged event to the reporter and followers once the transaction commits."""
    if is_notifiable(event):
        from .tasks import notify_event_task

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
    from .tasks import send_contact_sms_task, send_notice_sms_task

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
    from .tasks import notify_event_task

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
    from .tasks import send_contact_sms_task, send_notice_sms_task

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


def sweep():
    """What the periodic sweeper does: (reports queued for routing, events queued for notices,
    SMS queued again)."""
    return sweep_unrouted(), sweep_unnotified(), sweep_unsent_sms()


def follow_report(*, report, user):
    """Follow a report the user may see (the caller checks); following twice is a no-op."""
    with transaction.atomic():
        _follow, created = Follow.objects.get_or_create(user=user, report=report)
        if created:
            Report.objects.filter(pk=report.pk).update(follower_count=F("follower_count") + 1)
    return created


def unfollow_report(*, report, user):
    with transaction.atomic():
        deleted, _rows = Follow.objects.filter(user=user, report=report).delete()
        if deleted:
            Report.objects.filter(pk=report.pk, follower_count__gt=0).update(follower_count=F("follower_count") - 1)
    return bool(deleted)


def latest_published_answer(report):
    return (
        Answer.objects.filter(report=report, status=AnswerStatus.PUBLISHED)
        .select_related("agency")
        .order_by("-published_at", "-pk")
        .first()
    )


def rate_answer(*, report_id, user, score, comment=""):
    """The reporter rates the latest published answer (once per answer). Returns the Rating."""
    if score not in Satisfaction.values:
        raise ReportActionError(_("Vui lòng chọn mức độ hài lòng."))
    if len(comment or "") > 2000:
        raise ReportActionError(_("Nhận xét tối đa 2000 ký tự."))
    with transaction.atomic():
        report = lock_report(report_id)
        if report.reporter_id is None or report.reporter_id != user.pk:
            raise ReportActionError(_("Chỉ người gửi phản ánh mới đánh giá được trả lời."))
        answer = latest_published_answer(report)
        if answer is None or report.status not in (ReportStatus.ANSWERED, ReportStatus.CLOSED):
            raise ReportActionError(_("Phản ánh chưa có trả lời để đánh giá."))
        if Rating.objects.filter(answer=answer).exists():
            raise ReportActionError(_("Bạn đã đánh giá trả lời này."))
        rating = Rating.objects.create(
            report=report, answer=answer, agency=answer.agency, score=score, comment=(comment or "").strip()
        )
        log_event(report, EventKind.RATED, actor=user, agency=answer.agency, message=rating.get_score_display())
    return rating


def can_reopen(report, at=None):
    """Whether the reporter may still reopen: answered (or closed) within REOPEN_WITHIN."""
    if report.status not in (ReportStatus.ANSWERED, ReportStatus.CLOSED) or report.answered_at is None:
        return False
    return (at or now()) - report.answered_at <= REOPEN_WITHIN


def reopen_report(*, report_id, user, reason, expected_version=None):
    """The reporter says the answer did not resolve the problem: the report goes back to the same
    agency (status REOPENED) and its answer clock starts again. Within 7 days of the answer."""
    reason = (reason or "").strip()
    if len(reason) < DESCRIPTION_MIN_LENGTH or len(reason) > 2000:
        raise ReportActionError(_("Vui lòng cho biết vì sao vấn đề chưa được giải quyết (10 đến 2000 ký tự)."))
    with transaction.atomic():
        report = lock_report(report_id, expected_version=expected_version)
        if report.reporter_id is None or report.reporter_id != user.pk:
            raise ReportActionError(_("Chỉ người gửi phản ánh mới mở lại được."))
        if report.status not in (ReportStatus.ANSWERED, ReportStatus.CLOSED):
            raise ReportActionError(_("Chỉ mở lại được phản ánh đã có trả lời."))
        if not can_reopen(report):
            raise ReportActionError(_("Đã quá 7 ngày kể từ khi có trả lời, không thể mở lại phản ánh."))
        report.closed_at = None
        deadlines.start_answer_clock(report)
        event = set_status(
            report,
            ReportStatus.REOPENED,
            kind=EventKind.REOPENED,
            actor=user,
            agency=report.agency,
            message=reason,
            fields=["answer_due_at", "closed_at"],
        )
        queue_notification(event)
    return report


def mark_notifications_read(*, user):
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now())


# =====================================================================================================
# Officer workflow: agencies, leaders and the 1022 centre
# =====================================================================================================
# Who may do what (feedback.officer_access): officers and leaders of the report's agency work it;
# leaders alone assign officers and approve answers; 1022 operators triage, route, merge and correct
# any report. The views show only the buttons that will work, but these checks are the ones that
# count. Every function takes the row lock, checks the form's `expected_version` (a stale screen
# cannot act), checks role and state, writes, and logs one event: internal steps with
# is_public=False, so a citizen sees the public steps only.

from government.models import Role  # noqa: E402

from .models import Category, PhotoKind, ReportPhoto  # noqa: E402
from .officer_access import HANDLER_ROLES, reports_for, roles_for  # noqa: E402

# States in which the handling agency works a report.
AGENCY_OPEN = (ReportStatus.ASSIGNED, ReportStatus.IN_PROGRESS, ReportStatus.REOPENED)
# States in which the 1022 centre may still route or correct it.
CENTRE_OPEN = (ReportStatus.SUBMITTED, ReportStatus.TRIAGE, ReportStatus.RETURNED, *AGENCY_OPEN)
ANSWERING = (ReportStatus.IN_PROGRESS, ReportStatus.REOPENED)
NOTE_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 2000
ANSWER_MAX_LENGTH = 10000


def _require(condition, message):
    if not condition:
        raise ReportActionError(message)


def _required_text(value, message, max_length):
    text = (value or "").strip()
    _require(text, message)
    _require(
        len(text) <= max_length,
        _("Nội dung quá dài (tối đa %(limit)s ký tự).") % {"limit": max_length},
    )
    return text


def _check_state(report, allowed):
    _require(
        report.status in allowed,
        _("Không thể thực hiện thao tác này khi phản ánh đang ở trạng thái “%(status)s”.")
        % {"status": report.get_status_display()},
    )
    _require(report.merged_into_id is None, _("Phản ánh này đã được gộp vào một phản ánh khác."))


def _check_handler(roles, report):
    _require(roles.works_at(report.agency_id), _("Bạn không phải cán bộ của cơ quan đang xử lý phản ánh này."))


def _check_leader(roles, report):
    _require(roles.leads(report.agency_id), _("Chỉ lãnh đạo cơ quan xử lý mới thực hiện được thao tác này."))


def _check_operator(roles):
    _require(roles.is_operator, _("Chỉ điều phối viên Trung tâm 1022 mới thực hiện được thao tác này."))


def _check_worker(roles, report):
    _require(
        roles.is_operator or roles.works_at(report.agency_id),
        _("Bạn không có quyền xử lý phản ánh này."),
    )


def _bump(report, *fields):
    """Save `fields` of a locked report and bump its version (a change that is not a status change)."""
    report.version = F("version") + 1
    report.save(update_fields=[*fields, "version", "updated_at"])
    report.refresh_from_db(fields=["version"])


def _set_status_and_announce(report, status, *, kind, actor, fields=()):
    """A public step taken by the handling agency: change the status, log it, and tell the reporter
    and followers once the transaction commits."""
    event = set_status(report, status, kind=kind, actor=actor, agency=report.agency, fields=fields)
    queue_notification(event)
    return event


def notify_officers(users, report, text):
    """In-site notices for officers (assignment, approval requests, answers sent back, reminders)."""
    Notification.objects.bulk_create([Notification(user=user, report=report, text=text[:300]) for user in users])


def _agency_members(agency_id, roles):
    return list(
        get_user_model()
        .objects.filter(
            memberships__agency_id=agency_id,
            memberships__role__in=roles,
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
    )


def _needs_answer_photo(category):
    node = category
    while node is not None:
        if node.answer_needs_photo:
            return True
        node = node.parent
    return False


def accept_report(*, report_id, actor, expected_version):
    """The agency accepts (tiếp nhận) a report routed to it; the answer clock starts now.

    An officer who accepts a report nobody was assigned to becomes its handler.
    """
    roles = roles_for(actor)
    with transaction.atomic():
        report = lock_report(report_id, expected_version=expected_version)
        _check_handler(roles, report)
        _check_state(report, [ReportStatus.ASSIGNED])
        report.accepted_at = now()
        if report.assignee_id is None and not roles.leads(report.agency_id):
            report.assignee = actor
        deadlines.start_answer_clock(report, report.accepted_at)
        _set_status_and_announce(
            report,
            ReportStatus.IN_PROGRESS,
            kind=EventKind.ACCEPTED,
            actor=actor,
            fields=["accepted_at", "assignee", "answer_due_at"],
        )
    return report


def assign_officer(*, report_id, actor, officer_id, expected_version):
    """A leader gives a report to one of the agency's officers."""
    roles = roles_for(actor)
    with transaction.atomic():
        report = lock_report(report_id, expected_version=expected_version)
        _check_leader(roles, report)
        _check_state(report, AGENCY_OPEN)
        officer = _agency_members(report.agency_id, HANDLER_ROLES)
        officer = next((person for person in officer if str(person.pk) == str(officer_id)), None)
        _require(officer is not None, _("Cán bộ được giao phải là cán bộ của cơ quan đang xử lý phản ánh."))
        _require(officer.pk != report.assignee_id, _("Phản ánh đã được giao cho cán bộ này."))
        report.assignee = officer
        _bump(report, "assignee")
        log_event(
            report,
            EventKind.ASSIGNED_OFFICER,
            actor=actor,
            agency=report.agency,
            message=str(officer),
            is_public=False,
        )
        if officer.pk != actor.pk:
            notify_officers([officer], report, _("Bạn được giao xử lý phản ánh %(code)s.") % {"code": report.code})
    return report


def add_internal_note(*, report_id, actor, text):
    """An internal note on the report's timeline; never shown to citizens. Does not change the version."""
    roles = roles_for(actor)
    text = _required_text(text, _("Vui lòng nhập nội dung ghi chú."), NOTE_MAX_LENGTH)
    with transaction.atomic():
        report = lock_report(report_id)
        _check_worker(roles, report)
        return log_event(report, EventKind.NOTE, actor=actor, agency=report.agency, message=text, is_public=False)


def _working_answer(report):
    return (
        Answer.objects.filter(report=report, status__in=[AnswerStatus.DRAFT, AnswerStatus.SENT_BACK])
        .order_by("-created_at", "-id")
        .first()
    )


def _process_uploads(uploads):
    """Check and re-encode answer photos before any row is locked (feedback.photos pipeline)."""
    from .photos import PhotoError, process

    _require(len(uploads) <= MAX_PHOTOS, _("Tối đa %(count)s ảnh.") % {"count": MAX_PHOTOS})
    processed = []
    for upload in uploads:
        try:
            processed.append(process(upload))
        except PhotoError as exc:
            raise ReportActionError(str(exc)) from exc
    return processed


def _publish_answer(report, answer, *, actor, approver):
    answer.status = AnswerStatus.PUBLISHED
    answer.published_at = now()
    answer.approved_by = approver
    answer.save(update_fields=["status", "published_at", "approved_by"])
    report.answered_at = answer.published_at
    event = _set_status_and_announce(
        report, ReportStatus.ANSWERED, kind=EventKind.ANSWERED, actor=actor, fields=["answered_at"]
    )
    return event


def save_answer(*, report_id, actor, text, photos=(), submit=False, expected_version):
    """Write the agency's answer: keep it as a draft, or submit it.

    A submitted answer goes to the agency's leaders for approval when the agency requires it
    (Agency.answers_need_approval) and the author is not a leader; otherwise it is published at once.
    Categories that need a photo of the result (Category.answer_needs_photo, inherited from a parent)
    refuse an answer without one.
    """
    roles = roles_for(actor)
    text = _required_text(text, _("Vui lòng nhập nội dung trả lời."), ANSWER_MAX_LENGTH)
    processed = _process_uploads([upload for upload in photos if upload])
    written = []
    try:
        with transaction.atomic():
            report = lock_report(report_id, expected_version=expected_version)
            _check_handler(roles, report)
            _check_state(report, ANSWERING)
            _require(
                not Answer.objects.filter(report=report, status=AnswerStatus.PENDING).exists(),
                _("Đã có trả lời đang chờ lãnh đạo duyệt; chưa thể soạn trả lời khác."),
            )
            answer = _working_answer(report)
            existing_photos = answer.photos.filter(is_hidden=False).count() if answer else 0
            if submit and _needs_answer_photo(report.category):
                _require(
                    existing_photos + len(processed) > 0,
                    _("Lĩnh vực này cần ít nhất một ảnh kết quả xử lý trước khi trả lời."),
                )
            if answer is None:
                answer = Answer(report=report, agency=report.agency)
            answer.text = text
            answer.author = actor
            answer.status = AnswerStatus.DRAFT
            answer.save()
            save_photos(report, processed, kind=PhotoKind.ANSWER, answer=answer, written=written)
            if not submit:
                _bump(report)
                log_event(
                    report,
                    EventKind.ANSWER_DRAFTED,
                    actor=actor,
                    agency=report.agency,
                    message=_("Lưu bản nháp trả lời."),
                    is_public=False,
                )
            elif report.agency.answers_need_approval and not roles.leads(report.agency_id):
                answer.status = AnswerStatus.PENDING
                answer.save(update_fields=["status"])
                _bump(report)
                log_event(
                    report,
                    EventKind.ANSWER_DRAFTED,
                    actor=actor,
                    agency=report.agency,
                    message=_("Gửi lãnh đạo duyệt trả lời."),
                    is_public=False,
                )
                notify_officers(
                    [leader for leader in _agency_members(report.agency_id, [Role.LEADER]) if leader.pk != actor.pk],
                    report,
                    _("Trả lời phản ánh %(code)s đang chờ bạn duyệt.") % {"code": report.code},
                )
            else:
                approver = actor if roles.leads(report.agency_id) else None
                _publish_answer(report, answer, actor=actor, approver=approver)
    except BaseException:
        delete_files(written)
        raise
    return answer


def _pending_answer(report):
    answer = Answer.objects.filter(report=report, status=AnswerStatus.PENDING).order_by("-id").first()
    _require(answer is not None, _("Không có trả lời nào đang chờ duyệt."))
    return answer


def approve_answer(*, report_id, actor, expected_version, text=None):
    """A leader approves the pending answer (optionally editing its text); it is published."""
    roles = roles_for(actor)
    with transaction.atomic():
        report = lock_report(report_id, expected_version=expected_version)
        _check_leader(roles, report)
        _check_state(report, ANSWERING)
        answer = _pending_answer(report)
        if text is not None and text.strip():
            answer.text = _required_text(text, _("Vui lòng nhập nội dung trả lời."), ANSWER_MAX_LENGTH)
            answer.save(update_fields=["text"])
        if _needs_answer_photo(report.category):
            _require(
                answer.photos.filter(is_hidden=False).exists(),
                _("Lĩnh vực này cần ít nhất một ảnh kết quả xử lý trước khi trả lời."),
            )
        log_event(report, EventKind.ANSWER_APPROVED, actor=actor, agency=report.agency, is_public=False)
        _publish_answer(report, answer, actor=actor, approver=actor)
    return answer


def send_back_answer(*, report_id, actor, reason, expected_version):
    """A leader sends the pending answer back to its author with what to change."""
    roles = roles_for(actor)
    reason = _required_text(reason, _("Vui lòng ghi rõ nội dung cần sửa."), REASON_MAX_LENGTH)
    with transaction.atomic():
        report = lock_report(report_id, expected_version=expected_version)
        _check_leader(roles, report)
        _check_state(report, ANSWERING)
        answer = _pending_answer(report)
        answer.status = AnswerStatus.SENT_BACK
        answer.save(update_fields=["status"])
        _bump(report)
        log_event(
            report, EventKind.ANSWER_SENT_BACK, actor=actor, agency=report.agency, message=reason, is_public=False
        )
        if answer.author_id and answer.author_id != actor.pk:
            notify_officers(
                [answer.author],
                report,
                _("Trả lời phản ánh %(code)s cần sửa: %(reason)s") % {"code": report.code, "reason": reason},
            )
    return answer


def reject_report(*, report_id, actor, reason, expected_version):
    """Refuse a report as inadmissible (e.g. a khiếu nại/tố cáo belongs to another procedure)."""
    roles = roles_for(actor)
    reason = _required_text(reason, _("Vui lòng nêu lý do không tiếp nhận."), REASON_MAX_LENGTH)
    with transaction.atomic():
        report = lock_report(report_id, expected_version=expected_version)
        if roles.is_operator:
            _check_state(report, CENTRE_OPEN)
        else:
            _check_handler(roles, report)
            _check_state(report, AGENCY_OPEN)
        report.closed_at = now()
        event = set_status(
            report,
            ReportStatus.REJECTED,
            kind=EventKind.REJECTED,
            actor=actor,
            agency=report.agency,
            message=reason,
            fields=["closed_at"],
        )
        queue_notification(event)
    return report


def _received_by_agency_at(report):
    """When the report last reached its current agency (for the 5-working-day transfer limit)."""
    event = (
        report.events.filter(kind__in=[EventKind.ROUTED, EventKind.TRANSFERRED], agency_id=report.agency_id)
        .order_by("-created_at", "-id")
        .first()
    )
    if event is not None:
        return event.created_at
    return report.routed_at or report.created_at


def return_to_centre(*, report_id, actor, reason, expected_version):
    """The agency sends a report back to the 1022 centre as outside its competence, with a reason.

    Nghị định 20/2008/NĐ-CP gives it 5 working days from receipt; a later return still goes through
    and the delay is noted on the internal timeline. The centre's clock to re-route starts now.
    """
    roles = roles_for(actor)
    reason = _required_text(reason, _("Vui lòng nêu lý do trả lại (vì sao không thuộc thẩm quyền)."), REASON_MAX_LENGTH)
    with transaction.atomic():
        report = lock_report(report_id, expected_version=expected_version)
        _check_handler(roles, report)
        _check_state(report, [ReportStatus.ASSIGNED, ReportStatus.IN_PROGRESS])
        returned_at = now()
        limit = deadlines.transfer_deadline(_received_by_agency_at(report))
        report.assignee = None
        report.accepted_at = None
        report.answer_due_at = None
        deadlines.start_accept_clock(report, returned_at)
        event = set_status(
            report,
            ReportStatus.RETURNED,
            kind=EventKind.RETURNED,
            actor=actor,
            agency=report.agency,
            message=reason,
            fields=["assignee", "accepted_at", "answer_due_at", "accept_due_at"],
        )
        if returned_at > limit:
            log_event(
                report,
                EventKind.NOTE,
                actor=actor,
                agency=report.agency,
                message=_("Trả lại sau thời hạn 5 ngày làm việc (hạn %(limit)s).")
                % {"limit": timezone.localtime(limit).strftime("%d/%m/%Y %H:%M")},
                is_public=False,
            )
        queue_notification(event)
    return report


def _check_target_agency(agency_id):
    _require(str(agency_id).isdigit(), _("Vui lòng chọn cơ quan xử lý."))
    agency = Agency.objects.filter(pk=agency_id, is_active=True).exclude(kind=AgencyKind.HOTLINE).first()
    _require(agency is not None, _("Vui lòng chọn cơ quan xử lý."))
    return agency


def _move_to_agency(report, agency, *, actor, message="", when=None):
    """Hand a locked report to `agency`: a fresh accept clock, no handler yet, one public step."""
    when = when or now()
    # From triage (the 1022 centre holds it) it is a first routing; from another agency, a transfer.
    first_routing = report.status in (ReportStatus.SUBMITTED, ReportStatus.TRIAGE) or report.agency_id is None
    report.agency = agency
    report.assignee = None
    report.accepted_at = None
    report.answer_due_at = None
    if report.routed_at is None:
        report.routed_at = when
    deadlines.start_accept_clock(report, when)
    event = set_status(
        report,
        ReportStatus.ASSIGNED,
        kind=EventKind.ROUTED if first_routing else EventKind.TRANSFERRED,
        actor=actor,
        agency=agency,
        message=message,
        fields=["agency", "assignee", "accepted_at", "answer_due_at", "accept_due_at", "routed_at"],
    )
    queue_notification(event)
    return event


def route_to_agency(*, report_id, actor, agency_id, expected_version, reason=""):
    """The 1022 centre assigns a report (from triage, returned, or re-routing) to an agency."""
    roles = roles_for(actor)
    with transaction.atomic():
        report = lock_report(report_id, expected_version=expected_version)
        _check_operator(roles)
        _check_state(report, CENTRE_OPEN)
        agency = _check_target_agency(agency_id)
        if report.status == ReportStatus.RETURNED:
            _require(
                agency.pk != report.agency_id,
                _("Cơ quan này vừa trả lại phản ánh; hãy chọn cơ quan khác."),
            )
        else:
            _require(agency.pk != report.agency_id, _("Phản ánh đang ở cơ quan này."))
        _move_to_agency(report, agency, actor=actor, message=(reason or "").strip()[:REASON_MAX_LENGTH])
    return report


def merge_duplicate(*, report_id, actor, original_code, expected_version):
    """Merge a duplicate into its original: the duplicate closes, its reporter and followers follow the
    original from now on."""
    roles = roles_for(actor)
    code = (original_code or "").strip().upper()
    _require(code, _("Vui lòng nhập mã phản ánh gốc."))
    original = reports_for(roles).filter(code=code).first()
    _require(original is not None, _("Không tìm thấy phản ánh gốc có mã %(code)s.") % {"code": code})
    _require(original.pk != int(report_id), _("Không thể gộp phản ánh vào chính nó."))
    with transaction.atomic():
        # Both rows, in id order, so two merges that cross cannot deadlock.
        first, second = sorted([int(report_id), original.pk])
        locked = {first: lock_report(first), second: lock_report(second)}
        report, original = locked[int(report_id)], locked[original.pk]
        _require(
            report.version == int(expected_version),
            _("Phản ánh vừa được người khác cập nhật. Vui lòng xem lại trạng thái mới nhất."),
        )
        _check_worker(roles, report)
        _check_state(report, CENTRE_OPEN)
        _require(
            original.merged_into_id is None,
            _("Phản ánh gốc đã được gộp vào một phản ánh khác; hãy gộp vào phản ánh đó."),
        )
        _require(original.status != ReportStatus.REJECTED, _("Không thể gộp vào phản ánh đã bị từ chối."))

        followers = set(Follow.objects.filter(report=report).values_list("user_id", flat=True))
        if report.reporter_id:
            followers.add(report.reporter_id)
        followers.discard(original.reporter_id)
        Follow.objects.bulk_create(
            [Follow(user_id=user_id, report=original) for user_id in sorted(followers)], ignore_conflicts=True
        )
        Follow.objects.filter(report=report).delete()
        original.follower_count = Follow.objects.filter(report=original).count()
        _bump(original, "follower_count")
        log_event(
            original,
            EventKind.MERGED,
            actor=actor,
            agency=original.agency,
            message=_("Phản ánh trùng %(code)s được gộp vào phản ánh này.") % {"code": report.code},
            is_public=False,
        )

        report.merged_into = original
        report.follower_count = 0
        report.closed_at = now()
        event = set_status(
            report,
            ReportStatus.CLOSED,
            kind=EventKind.MERGED,
            actor=actor,
            agency=report.agency,
            message=_("Gộp vào phản ánh %(code)s.") % {"code": original.code},
            fields=["merged_into", "follower_count", "closed_at"],
        )
        queue_notification(event)
    return report


def routing_agency_for(category, unit):
    """The agency the routing rules give for this category and unit, or None (→ 1022 triage)."""
    rule = find_routing_rule(category, unit.pk)
    return rule.agency if rule is not None else None


def correct_report(*, report_id, actor, expected_version, category_id=None, unit_code=None, address=None, reason=""):
    """Correct a report's category or place. A change that the routing rules send elsewhere re-routes
    the report (or sends it to 1022 triage when no rule matches)."""
    from government.models import AdministrativeUnit

    roles = roles_for(actor)
    with transaction.atomic():
        report = lock_report(report_id, expected_version=expected_version)
        _check_worker(roles, report)
        _check_state(report, CENTRE_OPEN)
        changes, fields = [], []
        if category_id not in (None, "") and str(category_id) != str(report.category_id):
            category = (
                Category.objects.filter(pk=category_id, is_active=True).select_related("parent").first()
                if str(category_id).isdigit()
                else None
            )
            _require(category is not None, _("Lĩnh vực không hợp lệ."))
            changes.append(_("Lĩnh vực: %(old)s → %(new)s") % {"old": report.category, "new": category})
            report.category = category
            fields.append("category")
        if unit_code not in (None, "") and str(unit_code) != str(report.unit_id):
            unit = AdministrativeUnit.objects.filter(pk=unit_code).first()
            _require(unit is not None, _("Phường, xã không hợp lệ."))
            changes.append(_("Địa bàn: %(old)s → %(new)s") % {"old": report.unit, "new": unit})
            report.unit = unit
            fields.append("unit")
        if address is not None and address.strip() != report.address:
            report.address = address.strip()[:255]
            changes.append(_("Địa chỉ: %(new)s") % {"new": report.address})
            fields.append("address")
        _require(changes, _("Không có thay đổi nào."))
        report.save(update_fields=[*fields, "search_key"])
        reason = (reason or "").strip()[:REASON_MAX_LENGTH]
        message = "; ".join(str(change) for change in changes) + (f". {reason}" if reason else "")
        rerouted = False
        if ("category" in fields or "unit" in fields) and report.status != ReportStatus.RETURNED:
            target = routing_agency_for(report.category, report.unit)
            if target is not None and target.pk != report.agency_id:
                log_event(report, EventKind.RECATEGORISED, actor=actor, agency=report.agency, message=message)
                _move_to_agency(report, target, actor=actor, message=message)
                rerouted = True
            elif target is None and report.status != ReportStatus.TRIAGE and not roles.is_operator:
                log_event(report, EventKind.RECATEGORISED, actor=actor, agency=report.agency, message=message)
                report.agency = hotline_agency()
                report.assignee = None
                report.accepted_at = None
                report.answer_due_at = None
                deadlines.start_accept_clock(report)
                set_status(
                    report,
                    ReportStatus.TRIAGE,
                    kind=EventKind.TRIAGE,
                    actor=actor,
                    agency=report.agency,
                    fields=["agency", "assignee", "accepted_at", "answer_due_at", "accept_due_at"],
                )
                rerouted = True
        if not rerouted:
            _bump(report)
            log_event(report, EventKind.RECATEGORISED, actor=actor, agency=report.agency, message=message)
    return report


def redact_report(*, report_id, actor, title, description, expected_version, reason=""):
    """Edit the report's public text (personal data, insults) before publication; logged internally."""
    roles = roles_for(actor)
    title = _required_text(title, _("Vui lòng nhập tiêu đề."), 200)
    description = _required_text(description, _("Vui lòng nhập nội dung."), 5000)
    with transaction.atomic():
        report = lock_report(report_id, expected_version=expected_version)
        _check_worker(roles, report)
        _require(report.merged_into_id is None, _("Phản ánh này đã được gộp vào một phản ánh khác."))
        _require((title, description) != (report.title, report.description), _("Không có thay đổi nào."))
        report.title, report.description = title, description
        _bump(report, "title", "description", "search_key")
        log_event(
            report,
            EventKind.REDACTED,
            actor=actor,
            agency=report.agency,
            message=(reason or "").strip()[:REASON_MAX_LENGTH] or _("Biên tập nội dung phản ánh."),
            is_public=False,
        )
    return report


def _locked_photo(report, photo_id):
    photo = ReportPhoto.objects.filter(pk=photo_id, report=report).first()
    _require(photo is not None, _("Không tìm thấy ảnh."))
    return photo


def set_photo_hidden(*, report_id, actor, photo_id, hidden, expected_version):
    """Cut a photo from publication (or put it back); the file stays for the agency."""
    roles = roles_for(actor)
    with transaction.atomic():
        report = lock_report(report_id, expected_version=expected_version)
        _check_worker(roles, report)
        photo = _locked_photo(report, photo_id)
        hidden = bool(hidden)
        _require(photo.is_hidden != hidden, _("Không có thay đổi nào."))
        photo.is_hidden = hidden
        photo.save(update_fields=["is_hidden"])
        _bump(report)
        log_event(
            report,
            EventKind.REDACTED,
            actor=actor,
            agency=report.agency,
            message=_("Ẩn ảnh khỏi công khai.") if hidden else _("Hiện lại ảnh."),
            is_public=False,
        )
    return photo


def blur_photo(*, report_id, actor, photo_id, box, expected_version):
    """Blur a rectangle of a photo (faces, number plates) for good; `box` is (left, top, width, height)
    in percent of the image. The blurred copy replaces the image and its thumbnail."""
    from .photo_redaction import blur_region

    roles = roles_for(actor)
    try:
        left, top, width, height = (float(value) for value in box)
    except (TypeError, ValueError):
        raise ReportActionError(_("Vùng làm mờ không hợp lệ.")) from None
    _require(
        0 <= left < 100 and 0 <= top < 100 and 0 < width <= 100 and 0 < height <= 100,
        _("Vùng làm mờ không hợp lệ."),
    )
    with transaction.atomic():
        report = lock_report(report_id, expected_version=expected_version)
        _check_worker(roles, report)
        photo = _locked_photo(report, photo_id)
        old_files = blur_region(photo, (left, top, width, height))
        _bump(report)
        log_event(
            report,
            EventKind.REDACTED,
            actor=actor,
            agency=report.agency,
            message=_("Làm mờ một vùng của ảnh."),
            is_public=False,
        )
        transaction.on_commit(lambda: [file.storage.delete(file.name) for file in old_files])
    return photo


def close_report(*, report_id, actor, expected_version):
    """Close an answered report (the agency's or the 1022 centre's decision)."""
    roles = roles_for(actor)
    with transaction.atomic():
        report = lock_report(report_id, expected_version=expected_version)
        _check_worker(roles, report)
        _check_state(report, [ReportStatus.ANSWERED])
        report.closed_at = now()
        _set_status_and_announce(report, ReportStatus.CLOSED, kind=EventKind.CLOSED, actor=actor, fields=["closed_at"])
    return report


def intake_phone_report(
    *,
    actor,
    caller_name,
    caller_phone,
    category,
    title,
    description,
    unit=None,
    address="",
    urgency=None,
    is_public=True,
    hide_identity=False,
    idempotency_key=None,
):
    """A 1022 operator files a report phoned in by a caller, through the same `submit_report` as the
    web form (channel "phone"). The caller needs no account: their name and phone are kept on the
    report, and the receipt with the tracking code goes to that phone by SMS (`notify_event`).
    Returns the report.
    """
    from citizens.phones import INVALID_PHONE, normalize_phone

    _check_operator(roles_for(actor))
    name = _required_text(caller_name, _("Vui lòng nhập họ tên người gọi."), 150)
    phone = normalize_phone(caller_phone)
    _require(phone is not None, str(INVALID_PHONE))
    report, created = submit_report(
        reporter=None,
        category=category,
        title=title,
        description=description,
        unit=unit,
        address=address,
        is_public=is_public,
        hide_identity=hide_identity,
        idempotency_key=idempotency_key,
        urgency=urgency,
        channel=Channel.PHONE,
        contact_name=name,
        contact_phone=phone,
    )
    if created:
        log_event(
            report,
            EventKind.NOTE,
            actor=actor,
            message=_("Điều phối viên ghi nhận phản ánh qua tổng đài 1022."),
            is_public=False,
        )
    return report
