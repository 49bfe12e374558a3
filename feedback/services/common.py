"""Every write to PAKN reports goes through a function here: views, the API, tasks and commands call
the same functions, so each rule lives in one place.

Conventions:
- A function that changes a report's state takes the row lock first (`lock_report`), checks that the
  change is allowed from the state it finds, and raises `ReportActionError` with a message for the
  user when it is not. Nothing is written in that case.
- Every state change bumps `Report.version` and is logged as a `ReportEvent`.
- Work for other processes (routing, SMS, notices) is queued with `transaction.on_commit`, never
  before the rows it needs exist.

This module holds what every use case shares: the row lock, the event log, the status step,
queueing on commit, and the checks an action makes before it writes.
"""

import datetime
import logging

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from smarthp.sweeping import publish_on_commit

from ..models import (
    Report,
    ReportEvent,
    ReportStatus,
)
from ..rules import ReportActionError

log = logging.getLogger(__name__)


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
    publish_on_commit(task, *args)


ROUTING_RETRY_AFTER = datetime.timedelta(seconds=60)
SWEEP_BATCH = 500


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
