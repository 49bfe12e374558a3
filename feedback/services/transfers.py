"""Moving a report between agencies: returned to 1022, routed by 1022, merged, corrected.

The checks of feedback.services.officer apply: row lock, expected version, role, state.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from government.models import AdministrativeUnit, Agency, AgencyKind

from .. import deadlines
from ..models import (
    Category,
    EventKind,
    Follow,
    Report,
    ReportStatus,
)
from ..officer_access import reports_for, roles_for
from .common import (
    CENTRE_OPEN,
    REASON_MAX_LENGTH,
    _bump,
    _check_handler,
    _check_operator,
    _check_state,
    _check_worker,
    _require,
    _required_text,
    lock_report,
    log_event,
    now,
    set_status,
)
from .notices import notify_about_report, queue_notification
from .routing import hotline_agency, routing_agency_for


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
        # Only those who may see the original follow it: a private original must not reach a stranger
        # through its notices or their data export. The others are told the report was merged.
        movable = _who_may_see(original, followers)
        Follow.objects.bulk_create(
            [Follow(user_id=user_id, report=original) for user_id in sorted(movable)], ignore_conflicts=True
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
        # The duplicate's reporter hears of the merge through its event; its other followers no longer
        # follow it, so those left behind are told here.
        left_behind = followers - movable - {report.reporter_id}
        notify_about_report(
            left_behind,
            report,
            _("Phản ánh %(code)s bạn theo dõi đã được gộp vào một phản ánh khác và sẽ được xử lý cùng phản ánh đó.")
            % {"code": report.code},
            source=event,
        )
    return report


def _who_may_see(report, user_ids):
    """Of `user_ids`, the accounts for which `report` is visible (Report.objects.visible_to)."""
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True)
    return {user.pk for user in users if Report.objects.visible_to(user).filter(pk=report.pk).exists()}


def correct_report(*, report_id, actor, expected_version, category_id=None, unit_code=None, address=None, reason=""):
    """Correct a report's category or place. A change that the routing rules send elsewhere re-routes
    the report (or sends it to 1022 triage when no rule matches)."""
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
