"""Editing what the public sees of a report: its text and its photos (hide, blur)."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    EventKind,
    ReportPhoto,
)
from ..officer_access import roles_for
from ..photo_redaction import blur_region
from ..rules import ReportActionError
from .common import (
    REASON_MAX_LENGTH,
    _bump,
    _check_worker,
    _require,
    _required_text,
    lock_report,
    log_event,
)


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
