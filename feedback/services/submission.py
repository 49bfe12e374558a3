"""Filing a report: the tracking code, the checks, and the one transaction that writes it."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Channel,
    EventKind,
    Report,
    ReportCodeCounter,
    ReportStatus,
)
from ..photos import delete_files, save_photos
from ..rules import DESCRIPTION_MIN_LENGTH, MAX_PHOTOS, TITLE_MIN_LENGTH, ReportActionError, check_point
from .common import (
    log_event,
    now,
)
from .routing import queue_routing


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
