"""Outage schedules: entered by the companies' staff (only for their own company) or imported from
CSV; the day-before warning; citizens' EVN customer codes with their substation and street.

Thông tư 22/2020/TT-BCT: a planned cut is announced at least five days ahead, with its place,
reason, start and expected restore time. A planned outage starting sooner is refused (enter it as
an emergency if it is one); an emergency may be entered at any time, even while it lasts.
"""

import csv
import datetime
import io

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from government.models import Agency, AgencyKind

from ..models import Outage, OutageFollow, OutageKind, UtilityKind
from . import delivery
from .common import NewsError, now, units, utility_agency_ids

PLANNED_NOTICE_DAYS = 5
MAX_LENGTH = datetime.timedelta(days=7)
CSV_MAX_ROWS = 2000
CSV_COLUMNS = ["loai", "dich_vu", "tu", "den", "khu_vuc", "phuong", "tram_duong", "ly_do"]


def company_for(staff, company_id):
    """The utility company `staff` works for, or NewsError (never another company's)."""
    if company_id is None or int(company_id) not in utility_agency_ids(staff):
        raise NewsError(_("Bạn không thuộc đơn vị cấp điện, nước này."))
    return Agency.objects.get(pk=company_id, kind=AgencyKind.UTILITY)


def check_outage(*, kind, utility, area, wards, starts_at, ends_at, reason, current, changed_start=True):
    if kind not in OutageKind.values:
        raise NewsError(_("Loại lịch không hợp lệ."), field="kind")
    if utility not in UtilityKind.values:
        raise NewsError(_("Dịch vụ phải là điện hoặc nước."), field="utility")
    if not (area or "").strip():
        raise NewsError(_("Hãy ghi khu vực bị ảnh hưởng."), field="area")
    if not (reason or "").strip():
        raise NewsError(_("Hãy ghi lý do (Thông tư 22/2020/TT-BCT)."), field="reason")
    if starts_at is None or ends_at is None:
        raise NewsError(_("Hãy nhập thời gian bắt đầu và dự kiến có lại."), field="starts_at")
    if ends_at <= starts_at:
        raise NewsError(_("Thời điểm có lại phải ở sau thời điểm bắt đầu."), field="ends_at")
    if ends_at - starts_at > MAX_LENGTH:
        raise NewsError(_("Một lịch không dài quá 7 ngày: hãy tách thành nhiều lịch."), field="ends_at")
    if ends_at <= current:
        raise NewsError(_("Lịch này đã kết thúc."), field="ends_at")
    if (
        kind == OutageKind.PLANNED
        and changed_start
        and starts_at < current + datetime.timedelta(days=PLANNED_NOTICE_DAYS)
    ):
        raise NewsError(
            _(
                "Lịch cắt theo kế hoạch phải được báo trước ít nhất %(days)s ngày (Thông tư 22/2020/TT-BCT). "
                "Nếu là sự cố, hãy chọn loại “Sự cố, khẩn cấp”."
            )
            % {"days": PLANNED_NOTICE_DAYS},
            field="starts_at",
        )
    if not wards:
        raise NewsError(_("Hãy chọn ít nhất một phường, xã."), field="wards")


def _clean_places(places):
    return "\n".join(line.strip() for line in (places or "").replace(";", "\n").splitlines() if line.strip())


def save_outage(
    *,
    staff,
    company_id,
    kind,
    utility,
    area,
    ward_codes,
    starts_at,
    ends_at,
    reason,
    places="",
    outage_id=None,
):
    """Create or change an outage of the staff's own company. Returns the outage."""
    company = company_for(staff, company_id)
    wards = units(ward_codes, required=True)
    current = now()
    with transaction.atomic():
        if outage_id is None:
            outage = Outage(company=company, created_by=staff)
            changed_start = True
        else:
            outage = Outage.objects.select_for_update().filter(pk=outage_id, company=company).first()
            if outage is None:
                raise NewsError(_("Không tìm thấy lịch này."))
            if outage.cancelled_at:
                raise NewsError(_("Lịch đã hủy, không sửa được."))
            changed_start = outage.starts_at != starts_at
        check_outage(
            kind=kind, utility=utility, area=area, wards=wards, starts_at=starts_at, ends_at=ends_at,
            reason=reason, current=current, changed_start=changed_start,
        )  # fmt: skip
        _fill(outage, kind, utility, area, places, starts_at, ends_at, reason)
        outage.save()
        outage.wards.set(wards)
    return outage


def _fill(outage, kind, utility, area, places, starts_at, ends_at, reason):
    outage.kind, outage.utility = kind, utility
    outage.area, outage.reason = area.strip(), reason.strip()
    outage.places = _clean_places(places)
    outage.starts_at, outage.ends_at = starts_at, ends_at
    outage.refresh_keys()


def cancel_outage(*, staff, outage_id):
    with transaction.atomic():
        outage = (
            Outage.objects.select_for_update().filter(pk=outage_id, company_id__in=utility_agency_ids(staff)).first()
        )
        if outage is None:
            raise NewsError(_("Không tìm thấy lịch này."))
        if outage.cancelled_at is None:
            outage.cancelled_at = now()
            outage.save(update_fields=["cancelled_at", "updated_at"])
    return outage


# --- CSV import ---------------------------------------------------------------------------------

_KINDS = {
    "ke-hoach": OutageKind.PLANNED,
    "planned": OutageKind.PLANNED,
    "su-co": OutageKind.EMERGENCY,
    "emergency": OutageKind.EMERGENCY,
}
_UTILITIES = {
    "dien": UtilityKind.POWER,
    "điện": UtilityKind.POWER,
    "nuoc": UtilityKind.WATER,
    "nước": UtilityKind.WATER,
}


def parse_time(value):
    """ "dd/mm/yyyy HH:MM" (as companies write it) or ISO 8601, in the city's time."""
    value = (value or "").strip()
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S"):
        try:
            return timezone.make_aware(datetime.datetime.strptime(value, fmt))
        except ValueError:
            pass
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def import_outages(*, staff, company_id, data):
    """Import a CSV (text or bytes) of outages for the staff's company: all rows or none.

    Columns: loai (ke-hoach / su-co), dich_vu (dien / nuoc), tu, den (dd/mm/yyyy HH:MM), khu_vuc,
    phuong (ward codes, separated by ;), tram_duong (substations or streets, separated by ;), ly_do.
    Returns the outages created; raises NewsError listing every bad line by its number."""
    company = company_for(staff, company_id)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise NewsError(_("Tệp không phải văn bản UTF-8 (CSV).")) from exc
    reader = csv.DictReader(io.StringIO(data))
    missing = [name for name in CSV_COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        raise NewsError(_("Tệp CSV thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)})
    current = now()
    rows, errors = [], []
    for number, row in enumerate(reader, start=2):
        if number - 1 > CSV_MAX_ROWS:
            raise NewsError(_("Tệp có quá %(n)s dòng.") % {"n": CSV_MAX_ROWS})
        try:
            rows.append(_parse_row(row, current))
        except NewsError as exc:
            errors.append(_("Dòng %(line)s: %(error)s") % {"line": number, "error": exc.message})
    if errors:
        raise NewsError(" ".join(errors[:20]))
    if not rows:
        raise NewsError(_("Tệp không có dòng nào."))
    created = []
    with transaction.atomic():
        for kind, utility, area, wards, places, starts_at, ends_at, reason in rows:
            outage = Outage(company=company, created_by=staff)
            _fill(outage, kind, utility, area, places, starts_at, ends_at, reason)
            outage.save()
            outage.wards.set(wards)
            created.append(outage)
    return created


def _parse_row(row, current):
    kind = _KINDS.get((row.get("loai") or "").strip().lower())
    if kind is None:
        raise NewsError(_("cột loai phải là ke-hoach hoặc su-co."))
    utility = _UTILITIES.get((row.get("dich_vu") or "").strip().lower())
    if utility is None:
        raise NewsError(_("cột dich_vu phải là dien hoặc nuoc."))
    starts_at, ends_at = parse_time(row.get("tu")), parse_time(row.get("den"))
    if starts_at is None or ends_at is None:
        raise NewsError(_("thời gian phải viết dạng dd/mm/yyyy HH:MM."))
    wards = units((row.get("phuong") or "").split(";"), required=True)
    area, reason = (row.get("khu_vuc") or "").strip(), (row.get("ly_do") or "").strip()
    check_outage(
        kind=kind, utility=utility, area=area, wards=wards, starts_at=starts_at, ends_at=ends_at,
        reason=reason, current=current,
    )  # fmt: skip
    return kind, utility, area, wards, row.get("tram_duong") or "", starts_at, ends_at, reason


# --- The day-before warning ---------------------------------------------------------------------


def warn_due_outages(*, at=None):
    """Open the warning fan-out of every outage whose warning time has come (the day before it
    starts; at once for one entered later than that). Each outage is claimed once. Returns how many."""
    current = at or now()
    due = Outage.objects.filter(
        cancelled_at__isnull=True, warned_at__isnull=True, warn_at__lte=current, ends_at__gt=current
    ).values_list("pk", flat=True)
    started = 0
    for pk in list(due[:200]):
        with transaction.atomic():
            if not Outage.objects.filter(pk=pk, warned_at__isnull=True).update(warned_at=current):
                continue  # another run claimed it
            delivery.start(Outage.objects.get(pk=pk))
            started += 1
    return started


# --- A citizen's EVN customer code --------------------------------------------------------------


def save_outage_follow(*, user, substation, street):
    """Follow the citizen's EVN customer code (from their profile) with its substation and street."""
    from citizens.models import Profile

    code = Profile.objects.filter(user=user).values_list("evn_customer_code", flat=True).first()
    if not code:
        raise NewsError(_("Hãy lưu mã khách hàng điện (EVN) trong hồ sơ cá nhân trước."))
    substation, street = (substation or "").strip(), (street or "").strip()
    if not substation and not street:
        raise NewsError(_("Hãy ghi trạm biến áp hoặc đường phố in trên hóa đơn tiền điện."), field="substation")
    follow = OutageFollow.objects.filter(user=user).first() or OutageFollow(user=user)
    follow.customer_code, follow.substation, follow.street = code, substation[:120], street[:120]
    follow.save()
    return follow


def stop_outage_follow(*, user):
    return OutageFollow.objects.filter(user=user).delete()[0]
