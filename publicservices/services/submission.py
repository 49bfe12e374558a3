"""Submitting a dossier: the code, the phone confirmed by SMS (no account), the one transaction."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens import codes, limits, sms
from citizens.phones import normalize_phone
from government.models import AgencyKind

from ..files import delete_files, store
from ..models import (
    Dossier,
    DossierCodeCounter,
    DossierFile,
    DossierStatus,
    EventKind,
    FileKind,
    Level,
    PhoneConfirmation,
)
from .common import DossierActionError, log_event, now, tell_applicant

# How long a confirmed phone may be used to submit (the citizen fills in the form meanwhile).
CONFIRMATION_LIFETIME = timedelta(minutes=60)


def agency_code(agency):
    """The receiving agency's code in dossier codes: from PUBLICSERVICES_AGENCY_CODES when the city
    set it (its codes in the national catalogue), else the ward's statistics code or the agency's slug."""
    pairs = (pair.partition("=") for pair in settings.PUBLICSERVICES_AGENCY_CODES.split(",") if "=" in pair)
    configured = {slug.strip(): code.strip() for slug, _eq, code in pairs}.get(agency.slug)
    if configured:
        return configured
    if agency.kind == AgencyKind.WARD_COMMITTEE and agency.unit_id:
        return f"UBND.{agency.unit_id}"
    return agency.slug.upper()[:24]


def next_dossier_code(agency, *, day=None):
    """A new code in the structure of TT 01/2018/TT-VPCP Art. 19: agency code, date (yymmdd), the
    day's sequence at that agency (0001, 0002, … growing past 9999).

    The (agency, day) counter row is locked with SELECT … FOR UPDATE until the caller's transaction
    commits, so parallel submissions to one desk take numbers one after the other; a day's first
    two submissions racing to create the row meet on its unique constraint, and the loser locks the
    winner's row.
    """
    day = day or timezone.localdate()
    with transaction.atomic():
        row = DossierCodeCounter.objects.select_for_update().filter(agency=agency, day=day).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = DossierCodeCounter.objects.create(agency=agency, day=day, last=0)
            except IntegrityError:
                row = DossierCodeCounter.objects.select_for_update().get(agency=agency, day=day)
        row.last += 1
        row.save(update_fields=["last"])
    return f"{agency_code(agency)}-{day:%y%m%d}-{row.last:04d}"


# --- Phone confirmed by an SMS code (submission without an account) ----------------------------


def send_phone_code(*, request, phone):
    """Send a code to `phone` under the portal's SMS limits. Returns the PhoneConfirmation."""
    e164 = normalize_phone(phone)
    if e164 is None:
        raise DossierActionError(str(_("Số điện thoại di động không hợp lệ.")))
    try:
        limits.consume(request, e164)
    except limits.SmsLimitReached as exc:
        raise DossierActionError(str(exc.message)) from None
    with transaction.atomic():
        reference, code = codes.issue(e164)
        try:
            sms.send_sms(e164, settings.SMS_CODE_TEMPLATE.format(code=code))
        except sms.SmsBudgetExhausted:
            raise DossierActionError(str(limits.BUDGET_MESSAGE)) from None
        return PhoneConfirmation.objects.create(phone=e164, reference=reference)


def confirm_phone(*, token, code):
    """Check `code` for the confirmation `token`. Returns it, confirmed; raises with the reason."""
    confirmation = PhoneConfirmation.objects.filter(token=token or "", used_at__isnull=True).first()
    if confirmation is None:
        raise DossierActionError(_("Phiên xác thực đã hết. Vui lòng nhập lại số điện thoại."))
    if confirmation.confirmed_at:
        return confirmation
    result, tries_left = codes.check(confirmation.reference, confirmation.phone, code)
    if result == codes.Check.OK:
        PhoneConfirmation.objects.filter(pk=confirmation.pk).update(confirmed_at=now())
        confirmation.refresh_from_db()
        return confirmation
    if result == codes.Check.WRONG:
        raise DossierActionError(codes.wrong_code_message(tries_left))
    raise DossierActionError(str(codes.MESSAGES[result]))


def confirmed_phone(token):
    """The live confirmed PhoneConfirmation of `token`, or None."""
    if not token:
        return None
    return PhoneConfirmation.objects.filter(
        token=token, confirmed_at__gte=now() - CONFIRMATION_LIFETIME, used_at__isnull=True
    ).first()


# --- The dossier ---------------------------------------------------------------------------------


def scoped_key(applicant, phone, key):
    if not key:
        return None
    owner = applicant.pk if applicant is not None else phone
    return f"{owner}:{key}"[:80]


def find_submission(*, applicant, phone, key):
    key = scoped_key(applicant, phone, key)
    return Dossier.objects.filter(idempotency_key=key).first() if key else None


def receiving_agency(procedure, agency):
    """The agency that receives a dossier of `procedure`: its own, or the ward committee chosen."""
    if procedure.agency_id:
        return procedure.agency
    if procedure.level == Level.WARD and agency is not None and agency.kind == AgencyKind.WARD_COMMITTEE:
        return agency
    raise DossierActionError(_("Vui lòng chọn UBND phường, xã nơi nộp hồ sơ."))


def check_documents(procedure, uploads):
    """`uploads`: {ProcedureDocument id: CheckedFile}. Every required document needs its file."""
    documents = list(procedure.documents.all())
    missing = [doc.name for doc in documents if doc.required and doc.pk not in uploads]
    if missing:
        raise DossierActionError(_("Còn thiếu giấy tờ bắt buộc: %(names)s.") % {"names": "; ".join(missing)})
    known = {doc.pk: doc for doc in documents}
    unknown = set(uploads) - set(known)
    if unknown:
        raise DossierActionError(_("Có tệp không thuộc thành phần hồ sơ của thủ tục này."))
    total = sum(upload.size for upload in uploads.values())
    if total > settings.PUBLICSERVICES_MAX_DOSSIER_MB * 1024 * 1024:
        raise DossierActionError(
            _("Tổng dung lượng hồ sơ quá lớn (tối đa %(size)s MB).") % {"size": settings.PUBLICSERVICES_MAX_DOSSIER_MB}
        )
    return known


def submit_dossier(
    *,
    procedure,
    applicant=None,
    confirmation=None,
    name,
    phone=None,
    address="",
    id_number="",
    note="",
    agency=None,
    uploads,
    idempotency_key=None,
):
    """File a dossier. `uploads` maps ProcedureDocument ids to files checked by files.check_upload.

    With an account, `applicant` is the user and the phone is theirs; without one, `confirmation`
    is a PhoneConfirmation confirmed by SMS, spent here. The same idempotency key files once: the
    dossier already filed is returned. Returns (dossier, created).
    """
    if not procedure.accepts_online:
        raise DossierActionError(_("Thủ tục này chưa nhận hồ sơ trực tuyến."))
    if applicant is not None:
        phone = applicant.phone or normalize_phone(phone)
        if not phone:
            raise DossierActionError(_("Vui lòng nhập số điện thoại di động để nhận thông báo."))
    else:
        if confirmation is None or not confirmation.confirmed_at:
            raise DossierActionError(_("Vui lòng xác thực số điện thoại bằng mã gửi qua tin nhắn."))
        phone = confirmation.phone
    existing = find_submission(applicant=applicant, phone=phone, key=idempotency_key)
    if existing is not None:
        return existing, False
    name = (name or "").strip()
    if len(name) < 2 or len(name) > 150:
        raise DossierActionError(_("Vui lòng nhập họ và tên người nộp (2 đến 150 ký tự)."))
    if len(address or "") > 255 or len(note or "") > 2000:
        raise DossierActionError(_("Địa chỉ hoặc ghi chú quá dài."))
    id_number = (id_number or "").strip()
    if id_number and not (id_number.isdigit() and len(id_number) == 12):
        raise DossierActionError(_("Số CCCD gồm 12 chữ số."))
    agency = receiving_agency(procedure, agency)
    documents = check_documents(procedure, uploads)

    written = []
    try:
        with transaction.atomic():
            if confirmation is not None:
                spent = PhoneConfirmation.objects.filter(pk=confirmation.pk, used_at__isnull=True).update(used_at=now())
                if not spent:
                    # A double tap: the first one spent the confirmation and filed the dossier.
                    existing = find_submission(applicant=None, phone=phone, key=idempotency_key)
                    if existing is not None:
                        return existing, False
                    raise DossierActionError(
                        _("Số điện thoại này đã được dùng để nộp một hồ sơ. Vui lòng xác thực lại.")
                    )
            dossier = Dossier.objects.create(
                code=next_dossier_code(agency),
                procedure=procedure,
                agency=agency,
                applicant=applicant,
                applicant_name=name,
                applicant_phone=phone,
                applicant_address=(address or "").strip(),
                applicant_id_number=id_number,
                note=(note or "").strip(),
                status=DossierStatus.NEW,
                idempotency_key=scoped_key(applicant, phone, idempotency_key),
            )
            for document_id, checked in uploads.items():
                row = DossierFile(
                    dossier=dossier, document_id=document_id, kind=FileKind.APPLICANT, label=documents[document_id].name
                )
                store(row, checked, written)
                row.save()
            event = log_event(dossier, EventKind.SUBMITTED, actor=applicant)
            tell_applicant(
                dossier,
                _("Hồ sơ %(code)s đã được gửi tới %(agency)s. Cán bộ sẽ kiểm tra và báo kết quả tiếp nhận.")
                % {"code": dossier.code, "agency": agency.name},
                source=event,
            )
    except IntegrityError:
        delete_files(written)
        existing = find_submission(applicant=applicant, phone=phone, key=idempotency_key)
        if existing is not None:
            return existing, False
        raise
    except Exception:
        delete_files(written)
        raise
    return dossier, True
