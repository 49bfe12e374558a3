"""Open311 GeoReport v2, write side: client apps file reports.

    POST /api/open311/v2/requests.{json,xml}
        api_key (or the X-Api-Key header), service_code, lat + long or address_string (naming the
        ward), description, media (an uploaded photo) or media_url (only from listed hosts),
        first_name, last_name, phone, email; optional header Idempotency-Key.
        Body: application/x-www-form-urlencoded (what Open311 clients send), multipart/form-data
        (with `media`) or JSON.
        -> 201 [{service_request_id, service_notice, account_id}], or [{token, service_notice}]
           while the report is still being routed.
    GET /api/open311/v2/tokens/<token>.{json,xml} -> [{token, service_request_id (null until routed)}]

Refusals are Open311's error list: 403 without a valid key (or with a revoked one), 429 past the
key's limit, 413 for an oversized body, 400 for anything the web form would refuse. A refused
request saves nothing. Fields Open311 defines that the portal has no use for (jurisdiction_id,
address_id, attribute[…], device_id, account_id, email) are accepted and ignored.
"""

import math

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from citizens.phones import INVALID_PHONE, normalize_phone

from .. import photos
from ..rules import ReportActionError
from . import filing, keys
from .base import error, open311_view, respond
from .media import MediaError, fetch_photo
from .views import REQUESTS, find_service

FORM_BYTES = 256 * 1024
UNIT_NOT_IN_ADDRESS = gettext_lazy(
    "address_string cần ghi rõ phường, xã (ví dụ “120 Lạch Tray, Phường Lê Chân”), hoặc gửi lat và long."
)  # without a photo: a description is at most 5000 characters


class Refused(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status, self.message = status, message


def _body_limit(request):
    limit = getattr(settings, "OPEN311_MAX_FORM_BYTES", FORM_BYTES)
    if (request.content_type or "").startswith("multipart/"):
        limit += photos.MAX_UPLOAD_BYTES
    return limit


def _check_size(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > _body_limit(request):
        limit_kb = _body_limit(request) // 1024
        raise Refused(413, _("Dữ liệu gửi lên quá lớn (tối đa %(size)s KB).") % {"size": limit_kb})


def _text(data, name, max_length=5000):
    value = data.get(name)
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        raise Refused(400, _("%(name)s phải là một giá trị, không phải danh sách.") % {"name": name})
    value = str(value).strip()
    if len(value) > max_length:
        raise Refused(400, _("%(name)s quá dài (tối đa %(max)s ký tự).") % {"name": name, "max": max_length})
    return value


def _point(data):
    lat, lng = _text(data, "lat", 40), _text(data, "long", 40)
    if not lat and not lng:
        return None, None
    if not lat or not lng:
        raise Refused(400, _("lat và long phải có cả hai."))
    try:
        point = float(lat), float(lng)
    except ValueError:
        raise Refused(400, _("lat và long phải là số (độ, WGS 84).")) from None
    if not all(math.isfinite(value) for value in point) or not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
        raise Refused(400, _("lat phải từ -90 đến 90, long từ -180 đến 180."))
    return point


def _photos(request, data):
    upload = request.FILES.get("media")
    if upload is not None:
        try:
            return [photos.process(upload)]
        except photos.PhotoError as exc:
            raise Refused(400, exc) from None
    url = _text(data, "media_url", 2000)
    if not url:
        return []
    try:
        return [fetch_photo(url)]
    except MediaError as exc:
        raise Refused(400, exc) from None


def _request_fields(request, data):
    """The keyword arguments of filing.file_request from the POST, or Refused."""
    code = _text(data, "service_code", 80)
    if not code:
        raise Refused(400, _("Thiếu service_code (mã lĩnh vực, xem services.json)."))
    category = find_service(code)
    if category is None:
        raise Refused(400, _("Không có lĩnh vực (service_code) “%(code)s”.") % {"code": code})
    lat, lng = _point(data)
    address = _text(data, "address_string", 255)
    unit = None
    if lat is None:
        if not address:
            raise Refused(400, _("Cần vị trí: lat và long, hoặc address_string."))
        unit = filing.unit_in_address(address)
        if unit is None:
            raise Refused(400, UNIT_NOT_IN_ADDRESS)
    phone = _text(data, "phone", 24)
    if phone and normalize_phone(phone) is None:
        raise Refused(400, INVALID_PHONE)
    idempotency_key = request.headers.get("Idempotency-Key", "").strip()
    if len(idempotency_key) > 100:
        raise Refused(400, _("Idempotency-Key quá dài (tối đa 100 ký tự)."))
    return {
        "category": category,
        "description": _text(data, "description"),
        "lat": lat,
        "lng": lng,
        "address": address,
        "unit": unit,
        "first_name": _text(data, "first_name", 75),
        "last_name": _text(data, "last_name", 75),
        "phone": normalize_phone(phone),
        "idempotency_key": idempotency_key or None,
        # Last: a photo is fetched or decoded only for an otherwise acceptable request.
        "photos": _photos(request, data),
    }


def _client_key(request, data):
    key = keys.find_key(_text(data, "api_key", 200) or request.headers.get("X-Api-Key", ""))
    if key is None:
        raise Refused(403, _("api_key không hợp lệ: cần khóa API do quản trị viên cổng cấp để gửi phản ánh."))
    if not key.is_active:
        raise Refused(403, _("api_key này đã bị thu hồi."))
    if keys.over_limit(key):
        raise Refused(429, _("Khóa API này đã gửi quá số phản ánh cho phép mỗi phút. Vui lòng thử lại sau."))
    return key


@open311_view(methods=["POST"])
def create_request(request):
    try:
        _check_size(request)
        data = request.data
        if not hasattr(data, "get"):
            raise Refused(400, _("Dữ liệu gửi lên phải là một biểu mẫu hoặc một đối tượng JSON."))
        key = _client_key(request, data)
        fields = _request_fields(request, data)
        report, token, _created = filing.file_request(key=key, **fields)
    except Refused as exc:
        return error(exc.status, exc.message)
    except ReportActionError as exc:
        return error(400, exc.message)
    if filing.is_routed(report):
        item = {
            "service_request_id": report.code,
            "service_notice": _("Đã nhận phản ánh %(code)s.") % {"code": report.code},
            "account_id": None,
        }
    else:
        item = {
            "token": token.token,
            "service_notice": _("Đã nhận phản ánh; mã tra cứu có tại tokens/%(token)s khi phản ánh được chuyển xử lý.")
            % {"token": token.token},
        }
    return respond([item], REQUESTS, status=201)


@open311_view
def token_status(request, token):
    found = filing.find_token(token)
    if found is None:
        return error(404, _("Không có token này, hoặc token đã hết hạn."))
    code = found.report.code if filing.is_routed(found.report) else None
    return respond([{"token": found.token, "service_request_id": code}], REQUESTS)
