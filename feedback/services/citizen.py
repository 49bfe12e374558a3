"""What a citizen does with a filed report: follow it, rate the answer, reopen it."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .. import deadlines
from ..models import (
    Answer,
    AnswerStatus,
    EventKind,
    Follow,
    Rating,
    Report,
    ReportStatus,
    Satisfaction,
)
from ..rules import DESCRIPTION_MIN_LENGTH, ReportActionError
from .common import (
    lock_report,
    log_event,
    now,
    set_status,
)
from .notices import queue_notification

REOPEN_WITHIN = datetime.timedelta(days=7)


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
