"""The one-stop desk's and the processing unit's steps on a dossier.

Each step locks the dossier's row, checks that the officer works at the receiving agency (read
from the database, not the session) and that the dossier is still where the officer saw it: two
officers acting at once, one wins and the other is told what happened. Every step is on the
timeline and tells the applicant (notices pipeline: in-site and SMS, or SMS to the phone).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from government.models import Membership, Role

from ..files import delete_files, store
from ..models import RUNNING, DossierFile, DossierStatus, EventKind, FileKind
from .common import DossierActionError, due_from, local_date, lock, log_event, now, tell_applicant

HANDLER_ROLES = (Role.OFFICER, Role.LEADER)
ONE_STOP_DESK = "Bộ phận tiếp nhận và trả kết quả"


def works_at(user, agency_id):
    return Membership.objects.active().filter(user=user, agency_id=agency_id, role__in=HANDLER_ROLES).exists()


def _officer_lock(dossier, officer, expected):
    locked = lock(dossier)
    if officer is None or not works_at(officer, locked.agency_id):
        raise DossierActionError(_("Bạn không thuộc cơ quan tiếp nhận hồ sơ này."))
    if locked.status not in expected:
        raise DossierActionError(
            _("Hồ sơ đã chuyển sang trạng thái “%(status)s” (có thể do người khác vừa xử lý). Vui lòng xem lại.")
            % {"status": locked.get_status_display()}
        )
    return locked


def _hold(dossier, user, unit):
    dossier.holder = user
    dossier.holder_unit = unit
    dossier.holder_since = now()


def _clean_text(value, *, required_message, limit=2000):
    text = (value or "").strip()
    if required_message and not text:
        raise DossierActionError(required_message)
    if len(text) > limit:
        raise DossierActionError(_("Nội dung quá dài (tối đa %(limit)s ký tự).") % {"limit": limit})
    return text


@transaction.atomic
def receive(*, dossier, officer, note=""):
    """Receive a complete dossier (Mẫu 01): the due date counts from now in working days (or hours)."""
    dossier = _officer_lock(dossier, officer, (DossierStatus.NEW,))
    current = now()
    dossier.status = DossierStatus.RECEIVED
    dossier.received_at = current
    dossier.due_at = dossier.original_due_at = due_from(dossier.procedure, current)
    _hold(dossier, officer, ONE_STOP_DESK)
    dossier.save()
    event = log_event(
        dossier, EventKind.RECEIVED, actor=officer, note=_clean_text(note, required_message=None), due_at=dossier.due_at
    )
    tell_applicant(
        dossier,
        _("Hồ sơ %(code)s đã được tiếp nhận. Hẹn trả kết quả ngày %(date)s.")
        % {"code": dossier.code, "date": local_date(dossier.due_at)},
        source=event,
    )
    return dossier


def _items(items):
    cleaned, seen = [], set()
    for item in items or []:
        text = " ".join(str(item).split())
        if not text:
            continue
        if len(text) > 300:
            raise DossierActionError(_("Mỗi giấy tờ cần bổ sung tối đa 300 ký tự."))
        if text.casefold() not in seen:
            seen.add(text.casefold())
            cleaned.append(text)
    if not cleaned:
        raise DossierActionError(_("Vui lòng liệt kê các giấy tờ cần bổ sung (mỗi dòng một giấy tờ)."))
    if len(cleaned) > 30:
        raise DossierActionError(_("Tối đa 30 giấy tờ cần bổ sung trong một lần."))
    return cleaned


@transaction.atomic
def ask_supplement(*, dossier, officer, items, note=""):
    """Ask, once and completely, for what is missing (Mẫu 02). The clock stops: when the citizen
    supplies it, processing time counts again from zero (Nghị định 61/2018 Art. 19)."""
    dossier = _officer_lock(dossier, officer, (DossierStatus.NEW, DossierStatus.RECEIVED, DossierStatus.PROCESSING))
    items = _items(items)
    dossier.status = DossierStatus.SUPPLEMENT
    dossier.due_at = None
    dossier.save()
    event = log_event(
        dossier, EventKind.SUPPLEMENT_ASKED, actor=officer, items=items, note=_clean_text(note, required_message=None)
    )
    tell_applicant(
        dossier,
        _("Hồ sơ %(code)s cần bổ sung %(count)s giấy tờ. Xem chi tiết và bổ sung trực tuyến.")
        % {"code": dossier.code, "count": len(items)},
        source=event,
    )
    return dossier


@transaction.atomic
def refuse(*, dossier, officer, reason):
    """Refuse to receive the dossier, with the reason (Mẫu 03)."""
    dossier = _officer_lock(dossier, officer, (DossierStatus.NEW, DossierStatus.SUPPLEMENT))
    reason = _clean_text(reason, required_message=_("Vui lòng ghi rõ lý do từ chối tiếp nhận."))
    dossier.status = DossierStatus.REFUSED
    dossier.due_at = None
    dossier.save()
    event = log_event(dossier, EventKind.REFUSED, actor=officer, note=reason)
    tell_applicant(
        dossier,
        _("Hồ sơ %(code)s không được tiếp nhận. Lý do: %(reason)s") % {"code": dossier.code, "reason": reason},
        source=event,
    )
    return dossier


@transaction.atomic
def hand_over(*, dossier, officer, to_officer=None, unit="", note=""):
    """Hand the dossier to the officer or unit that processes it; the timeline keeps who holds it since when."""
    dossier = _officer_lock(dossier, officer, (DossierStatus.RECEIVED, DossierStatus.PROCESSING))
    unit = _clean_text(unit, required_message=None, limit=150)
    if to_officer is None and not unit:
        raise DossierActionError(_("Vui lòng chọn cán bộ hoặc ghi tên bộ phận nhận hồ sơ."))
    if to_officer is not None and not works_at(to_officer, dossier.agency_id):
        raise DossierActionError(_("Cán bộ được chọn không thuộc cơ quan này."))
    dossier.status = DossierStatus.PROCESSING
    _hold(dossier, to_officer, unit)
    dossier.save()
    event = log_event(dossier, EventKind.HANDED_OVER, actor=officer, note=_clean_text(note, required_message=None))
    tell_applicant(dossier, _("Hồ sơ %(code)s đang được xử lý.") % {"code": dossier.code}, source=event)
    return dossier


@transaction.atomic
def ask_fees(*, dossier, officer, amount, note=""):
    """Ask the applicant to pay the fees and charges."""
    dossier = _officer_lock(dossier, officer, (DossierStatus.RECEIVED, DossierStatus.PROCESSING))
    if amount is None or amount <= 0 or amount > 10**10:
        raise DossierActionError(_("Vui lòng nhập số tiền phải nộp (đồng)."))
    dossier.status = DossierStatus.FEES
    dossier.fee_amount = amount
    dossier.save()
    event = log_event(dossier, EventKind.FEES_ASKED, actor=officer, note=_clean_text(note, required_message=None))
    tell_applicant(
        dossier,
        _("Hồ sơ %(code)s: vui lòng nộp phí, lệ phí %(amount)s đồng.")
        % {"code": dossier.code, "amount": f"{amount:,}".replace(",", ".")},
        source=event,
    )
    return dossier


@transaction.atomic
def fees_paid(*, dossier, officer):
    dossier = _officer_lock(dossier, officer, (DossierStatus.FEES,))
    dossier.status = DossierStatus.PROCESSING
    dossier.save()
    event = log_event(dossier, EventKind.FEES_PAID, actor=officer)
    tell_applicant(dossier, _("Hồ sơ %(code)s: đã ghi nhận nộp phí, lệ phí.") % {"code": dossier.code}, source=event)
    return dossier


def finish(*, dossier, officer, result_note, result_file=None):
    """Finish processing with the result (a note, and a document the applicant can download)."""
    written = []
    try:
        with transaction.atomic():
            dossier = _officer_lock(dossier, officer, (DossierStatus.RECEIVED, DossierStatus.PROCESSING))
            result_note = _clean_text(result_note, required_message=_("Vui lòng ghi kết quả giải quyết."))
            dossier.status = DossierStatus.DONE
            dossier.finished_at = now()
            dossier.result_note = result_note
            _hold(dossier, officer, ONE_STOP_DESK)
            dossier.save()
            if result_file is not None:
                row = DossierFile(dossier=dossier, kind=FileKind.RESULT, label=_("Kết quả giải quyết"))
                store(row, result_file, written)
                row.save()
            event = log_event(dossier, EventKind.DONE, actor=officer, note=result_note)
            tell_applicant(
                dossier,
                _("Hồ sơ %(code)s đã xử lý xong. Kết quả sẵn sàng để nhận.") % {"code": dossier.code},
                source=event,
            )
    except Exception:
        delete_files(written)
        raise
    return dossier


@transaction.atomic
def return_result(*, dossier, officer):
    dossier = _officer_lock(dossier, officer, (DossierStatus.DONE,))
    dossier.status = DossierStatus.RETURNED
    dossier.returned_at = now()
    dossier.save()
    event = log_event(dossier, EventKind.RETURNED, actor=officer)
    tell_applicant(
        dossier,
        _("Hồ sơ %(code)s đã trả kết quả. Mời bạn đánh giá sự phục vụ của cán bộ.") % {"code": dossier.code},
        source=event,
    )
    return dossier


@transaction.atomic
def apologise(*, dossier, officer, reason, new_due):
    """Apologise and set a new date (Mẫu 04): once per dossier, at the latest the day before the due date."""
    dossier = _officer_lock(dossier, officer, RUNNING)
    if dossier.apologised:
        raise DossierActionError(
            _("Hồ sơ này đã có phiếu xin lỗi và hẹn lại ngày trả kết quả; chỉ được hẹn lại một lần.")
        )
    today = timezone.localdate()
    if dossier.due_at is None or today >= timezone.localtime(dossier.due_at).date():
        raise DossierActionError(_("Phiếu xin lỗi phải gửi chậm nhất 01 ngày trước hạn trả kết quả; hạn này đã qua."))
    if isinstance(new_due, dt.date) and not isinstance(new_due, dt.datetime):
        new_due = timezone.make_aware(dt.datetime.combine(new_due, dt.time(17, 0)))
    if new_due is None or new_due <= dossier.due_at:
        raise DossierActionError(_("Ngày hẹn mới phải sau ngày hẹn cũ."))
    reason = _clean_text(reason, required_message=_("Vui lòng ghi lý do chậm trả kết quả."))
    dossier.due_at = new_due
    dossier.apologised = True
    dossier.save()
    event = log_event(dossier, EventKind.APOLOGY, actor=officer, note=reason, due_at=new_due)
    tell_applicant(
        dossier,
        _("Xin lỗi vì hồ sơ %(code)s chậm so với hẹn. Ngày hẹn mới: %(date)s.")
        % {"code": dossier.code, "date": local_date(new_due)},
        source=event,
    )
    return dossier


@transaction.atomic
def stop(*, dossier, officer, reason):
    """Stop processing (e.g. the supplement never came), with the reason."""
    dossier = _officer_lock(dossier, officer, (*RUNNING, DossierStatus.SUPPLEMENT))
    reason = _clean_text(reason, required_message=_("Vui lòng ghi lý do dừng xử lý."))
    dossier.status = DossierStatus.STOPPED
    dossier.save()
    event = log_event(dossier, EventKind.STOPPED, actor=officer, note=reason)
    tell_applicant(
        dossier,
        _("Hồ sơ %(code)s đã dừng xử lý. Lý do: %(reason)s") % {"code": dossier.code, "reason": reason},
        source=event,
    )
    return dossier
