"""Importing procedures from a JSON file in the national catalogue's field names.

The file is a list of procedures (or {"data": [...]}), each an object:

    {
      "MaTTHC": "1.001193",                       required, the procedure's code
      "TenTTHC": "Thủ tục đăng ký khai sinh",     required
      "LinhVuc": "Hộ tịch",                      required; a string, or [{"TenLinhVuc": "Hộ tịch"}]
      "CapThucHien": "Cấp Xã",                   required: "Cấp Tỉnh" / "Cấp Thành phố" or "Cấp Xã"
      "CoQuanThucHien": "so-tu-phap",            the agency's code (slug) or exact name; empty for Cấp Xã
      "CachThucThucHien": ["Trực tiếp", "Trực tuyến", "Dịch vụ bưu chính"],
                                                 strings, or [{"Kenh": "Trực tuyến"}]
      "MucDoDVC": "Toàn trình",                   "Toàn trình", "Một phần" or "" (not online)
      "ThoiHanGiaiQuyet": {"SoLuong": 3, "DonViTinh": "Ngày làm việc"},   or "Giờ làm việc"
      "PhiLePhi": "Miễn lệ phí",  "TrinhTuThucHien": "…",  "YeuCauDieuKien": "…",
      "KetQuaThucHien": "…",  "CanCuPhapLy": "…",
      "ThanhPhanHoSo": [{"TenGiayTo": "Tờ khai đăng ký khai sinh", "BatBuoc": true,
                         "SoBanChinh": 1, "SoBanSao": 0}]
    }

Every row is checked before anything is written; one bad row imports nothing and is named
(its position from 1 and its code). Running the same file again changes nothing.
"""

import json
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from government.models import Agency

from ..models import Level, OnlineLevel, Procedure, ProcedureDocument, ProcedureField
from .common import DossierActionError

LEVELS = {"cap tinh": Level.CITY, "cap thanh pho": Level.CITY, "cap xa": Level.WARD}
ONLINE = {"toan trinh": OnlineLevel.FULL, "mot phan": OnlineLevel.PARTIAL, "": OnlineLevel.NONE}
TEXTS = {
    "fees": "PhiLePhi",
    "steps": "TrinhTuThucHien",
    "conditions": "YeuCauDieuKien",
    "result": "KetQuaThucHien",
    "legal_basis": "CanCuPhapLy",
}


class ImportError_(DossierActionError):
    pass


@dataclass
class Row:
    values: dict
    field_name: str
    documents: list


def _key(text):
    from smarthp.text import search_key

    return search_key(text)


def _names(value, key):
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [item.get(key, "") if isinstance(item, dict) else str(item) for item in value]
    return []


def _parse(position, item, agencies):
    if not isinstance(item, dict):
        raise ValueError(_("không phải một đối tượng JSON"))
    code = str(item.get("MaTTHC") or "").strip()
    name = str(item.get("TenTTHC") or "").strip()
    if not code or len(code) > 30:
        raise ValueError(_("thiếu MaTTHC hoặc mã quá dài"))
    if not name or len(name) > 400:
        raise ValueError(_("thiếu TenTTHC hoặc tên quá dài"))
    fields = [n.strip() for n in _names(item.get("LinhVuc"), "TenLinhVuc") if n.strip()]
    if not fields:
        raise ValueError(_("thiếu LinhVuc"))
    level = LEVELS.get(_key(str(item.get("CapThucHien") or "")))
    if level is None:
        raise ValueError(_("CapThucHien phải là “Cấp Tỉnh” hoặc “Cấp Xã”"))
    agency = None
    agency_ref = str(item.get("CoQuanThucHien") or "").strip()
    if agency_ref:
        agency = agencies.get(agency_ref) or agencies.get(_key(agency_ref))
        if agency is None:
            raise ValueError(_("không có cơ quan “%(agency)s”") % {"agency": agency_ref})
    elif level == Level.CITY:
        raise ValueError(_("thủ tục cấp tỉnh cần CoQuanThucHien"))
    channels = {_key(n) for n in _names(item.get("CachThucThucHien"), "Kenh")}
    online_level = ONLINE.get(_key(str(item.get("MucDoDVC") or "")))
    if online_level is None:
        raise ValueError(_("MucDoDVC phải là “Toàn trình”, “Một phần” hoặc để trống"))
    deadline = item.get("ThoiHanGiaiQuyet") or {}
    try:
        amount = int(deadline.get("SoLuong", 0)) if isinstance(deadline, dict) else int(deadline)
    except (TypeError, ValueError):
        raise ValueError(_("ThoiHanGiaiQuyet.SoLuong phải là số")) from None
    if not 0 <= amount <= 3650:
        raise ValueError(_("ThoiHanGiaiQuyet.SoLuong không hợp lệ"))
    in_hours = isinstance(deadline, dict) and "gio" in _key(str(deadline.get("DonViTinh", "")))
    values = {
        "name": name,
        "level": level,
        "agency": agency,
        "in_person": "truc tiep" in channels or not channels,
        "online": "truc tuyen" in channels,
        "by_post": any("buu chinh" in channel for channel in channels),
        "online_level": online_level if "truc tuyen" in channels else OnlineLevel.NONE,
        "processing_days": 0 if in_hours else amount,
        "processing_hours": amount if in_hours else None,
        "is_active": True,
    }
    for attr, key in TEXTS.items():
        values[attr] = str(item.get(key) or "").strip()
    documents = []
    for doc in item.get("ThanhPhanHoSo") or []:
        if not isinstance(doc, dict) or not str(doc.get("TenGiayTo") or "").strip():
            raise ValueError(_("ThanhPhanHoSo có giấy tờ thiếu TenGiayTo"))
        try:
            originals, copies = int(doc.get("SoBanChinh", 1) or 0), int(doc.get("SoBanSao", 0) or 0)
        except (TypeError, ValueError):
            raise ValueError(_("SoBanChinh, SoBanSao phải là số")) from None
        documents.append((str(doc["TenGiayTo"]).strip()[:400], bool(doc.get("BatBuoc", True)), originals, copies))
    return code, Row(values=values, field_name=fields[0][:150], documents=documents)


def _load(source):
    try:
        data = json.load(source) if hasattr(source, "read") else json.loads(source)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportError_(_("Tệp không phải JSON hợp lệ: %(error)s") % {"error": exc}) from None
    if isinstance(data, dict):
        data = data.get("data", data.get("procedures"))
    if not isinstance(data, list):
        raise ImportError_(_("Tệp cần là một danh sách thủ tục."))
    return data


def import_procedures(source):
    """Import (create or update) every procedure of `source` (a file or a JSON string), all or nothing.

    Returns {"created": n, "updated": n, "unchanged": n}. Raises ImportError_ naming the first bad row.
    """
    items = _load(source)
    agencies = {}
    for agency in Agency.objects.all():
        agencies[agency.slug] = agency
        agencies[_key(agency.name)] = agency
    parsed, seen = [], set()
    for position, item in enumerate(items, start=1):
        code = item.get("MaTTHC") if isinstance(item, dict) else None
        try:
            code, row = _parse(position, item, agencies)
        except ValueError as exc:
            raise ImportError_(
                _("Dòng %(n)s (mã %(code)s): %(error)s. Không thủ tục nào được nhập.")
                % {"n": position, "code": code or "?", "error": exc}
            ) from None
        if code in seen:
            raise ImportError_(
                _("Dòng %(n)s: mã %(code)s lặp lại. Không thủ tục nào được nhập.") % {"n": position, "code": code}
            )
        seen.add(code)
        parsed.append((code, row))
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for code, row in parsed:
            field, _created = ProcedureField.objects.get_or_create(
                name=row.field_name, defaults={"slug": _unique_slug(row.field_name)}
            )
            values = {**row.values, "field": field}
            procedure = Procedure.objects.filter(code=code).first()
            created = procedure is None
            changed = []
            if created:
                procedure = Procedure.objects.create(code=code, **values)
            else:
                changed = [attr for attr, value in values.items() if getattr(procedure, attr) != value]
                for attr in changed:
                    setattr(procedure, attr, values[attr])
                if changed:
                    procedure.save()
            current = [(d.name, d.required, d.originals, d.copies) for d in procedure.documents.all()]
            if current != row.documents:
                procedure.documents.all().delete()
                ProcedureDocument.objects.bulk_create(
                    ProcedureDocument(procedure=procedure, position=i, name=n, required=r, originals=o, copies=c)
                    for i, (n, r, o, c) in enumerate(row.documents)
                )
                changed.append("documents")
            counts["created" if created else "updated" if changed else "unchanged"] += 1
    return counts


def _unique_slug(name):
    base = slugify(_key(name))[:70] or "linh-vuc"
    slug, number = base, 2
    while ProcedureField.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
