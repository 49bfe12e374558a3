"""Officer workflow: agencies, leaders and the 1022 centre.

Who may do what (feedback.officer_access): officers and leaders of the report's agency work it;
leaders alone assign officers and approve answers; 1022 operators triage, route, merge and correct
any report. The views show only the buttons that will work, but these checks are the ones that
count. Every function takes the row lock, checks the form's `expected_version` (a stale screen
cannot act), checks role and state, writes, and logs one event: internal steps with
is_public=False, so a citizen sees the public steps only.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from government.models import Role

from .. import deadlines
from ..models import (
    Answer,
    AnswerStatus,
    EventKind,
    PhotoKind,
    ReportStatus,
)
from ..officer_access import HANDLER_ROLES, roles_for
from ..photos import PhotoError, delete_files, process, save_photos
from ..rules import MAX_PHOTOS, ReportActionError
from .common import (
    AGENCY_OPEN,
    ANSWER_MAX_LENGTH,
    ANSWERING,
    CENTRE_OPEN,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    _bump,
    _check_handler,
    _check_leader,
    _check_state,
    _check_worker,
    _require,
    _required_text,
    lock_report,
    log_event,
    now,
    set_status,
)
from .notices import notify_officers, queue_notification


def _set_status_and_announce(report, status, *, kind, actor, fields=()):
    """A public step taken by the handling agency: change the status, log it, and tell the reporter
    and followers once the transaction commits."""
    event = set_status(report, status, kind=kind, actor=actor, agency=report.agency, fields=fields)
    queue_notification(event)
    return event


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
