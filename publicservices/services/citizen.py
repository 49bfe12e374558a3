"""The applicant's steps: supplying documents, withdrawing, rating the service."""

import hmac

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..files import delete_files, store
from ..models import (
    WITHDRAWABLE,
    DossierEvent,
    DossierFile,
    DossierStatus,
    EventKind,
    FileKind,
    Rating,
    Satisfaction,
)
from .common import DossierActionError, due_from, local_date, lock, log_event, now, tell_applicant


def is_applicant(dossier, *, user=None, secret=None):
    """Whether the person is the applicant: signed in as them, or holding the receipt's secret."""
    if user is not None and user.is_authenticated and dossier.applicant_id == user.pk:
        return True
    return bool(secret) and hmac.compare_digest(str(secret), dossier.secret)


def _applicant_lock(dossier, user, secret):
    locked = lock(dossier)
    if not is_applicant(locked, user=user, secret=secret):
        raise DossierActionError(_("Không tìm thấy hồ sơ."))
    return locked


def supply(*, dossier, user=None, secret=None, uploads, note=""):
    """Supply what the desk asked for. `uploads`: list of (label, CheckedFile). A dossier received
    before restarts its clock from zero now (NĐ 61/2018 Art. 19); one asked at the desk goes back
    to the desk's queue, to be received with its due date then."""
    written = []
    try:
        with transaction.atomic():
            dossier = _applicant_lock(dossier, user, secret)
            if dossier.status == DossierStatus.REFUSED:
                raise DossierActionError(
                    _("Hồ sơ đã bị từ chối tiếp nhận nên không thể bổ sung. Vui lòng nộp hồ sơ mới.")
                )
            if dossier.status != DossierStatus.SUPPLEMENT:
                raise DossierActionError(_("Hồ sơ này không có yêu cầu bổ sung giấy tờ."))
            if not uploads:
                raise DossierActionError(_("Vui lòng tải lên ít nhất một giấy tờ bổ sung."))
            for label, checked in uploads:
                row = DossierFile(dossier=dossier, kind=FileKind.SUPPLEMENT, label=label[:400])
                store(row, checked, written)
                row.save()
            if dossier.received_at:
                current = now()
                dossier.status = DossierStatus.PROCESSING
                dossier.received_at = current
                dossier.due_at = due_from(dossier.procedure, current)
                message = _("Hồ sơ %(code)s đã được bổ sung. Thời hạn tính lại từ hôm nay; hẹn trả ngày %(date)s.") % {
                    "code": dossier.code,
                    "date": local_date(dossier.due_at),
                }
            else:
                dossier.status = DossierStatus.NEW
                message = _("Hồ sơ %(code)s đã được bổ sung và chờ cán bộ tiếp nhận.") % {"code": dossier.code}
            dossier.save()
            event = log_event(
                dossier,
                EventKind.SUPPLIED,
                actor=user if user is not None and user.is_authenticated else None,
                note=(note or "").strip()[:2000],
                due_at=dossier.due_at,
            )
            tell_applicant(dossier, message, source=event)
    except Exception:
        delete_files(written)
        raise
    return dossier


@transaction.atomic
def withdraw(*, dossier, user=None, secret=None, reason=""):
    """The applicant withdraws the dossier (before it is finished)."""
    dossier = _applicant_lock(dossier, user, secret)
    if dossier.status not in WITHDRAWABLE:
        raise DossierActionError(_("Hồ sơ đã xử lý xong hoặc đã kết thúc nên không thể rút."))
    dossier.status = DossierStatus.WITHDRAWN
    dossier.save()
    event = log_event(
        dossier,
        EventKind.WITHDRAWN,
        actor=user if user is not None and user.is_authenticated else None,
        note=(reason or "").strip()[:2000],
    )
    tell_applicant(
        dossier, _("Hồ sơ %(code)s đã được rút theo yêu cầu của bạn.") % {"code": dossier.code}, source=event
    )
    return dossier


def served_by(dossier):
    """The officer rated: the one who returned the result, else the one who received the dossier."""
    for kind in (EventKind.RETURNED, EventKind.RECEIVED):
        event = DossierEvent.objects.filter(dossier=dossier, kind=kind, actor__isnull=False).order_by("-at").first()
        if event is not None:
            return event.actor_id
    return None


def rate(*, dossier, user=None, secret=None, satisfaction, on_time, contacts, attitude, comment=""):
    """Rate the service, once per dossier, after the result was returned. Stores no rater."""
    if satisfaction not in Satisfaction.values:
        raise DossierActionError(_("Vui lòng chọn mức độ hài lòng."))
    try:
        with transaction.atomic():
            dossier = _applicant_lock(dossier, user, secret)
            if dossier.status != DossierStatus.RETURNED:
                raise DossierActionError(_("Chỉ đánh giá được sau khi đã nhận kết quả."))
            if Rating.objects.filter(dossier=dossier).exists():
                raise DossierActionError(_("Bạn đã đánh giá hồ sơ này rồi; mỗi hồ sơ chỉ đánh giá một lần."))
            return Rating.objects.create(
                dossier=dossier,
                agency_id=dossier.agency_id,
                officer_id=served_by(dossier),
                satisfaction=satisfaction,
                on_time=bool(on_time),
                contacts=contacts,
                attitude=attitude,
                comment=(comment or "").strip()[:500],
            )
    except IntegrityError:
        raise DossierActionError(_("Bạn đã đánh giá hồ sơ này rồi; mỗi hồ sơ chỉ đánh giá một lần.")) from None
