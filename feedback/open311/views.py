"""Open311 GeoReport v2, read side: the public reports as service requests, for apps, newsrooms and
researchers who want the city's PAKN data without scraping pages. JSON or XML, as the address ends.

    GET /api/open311/v2/discovery.{json,xml}
    GET /api/open311/v2/services.{json,xml}
    GET /api/open311/v2/services/<service_code>.{json,xml}        (no extra questions: no attributes)
    GET /api/open311/v2/requests.{json,xml}?service_code=a,b&status=open|closed&start_date=&end_date=
        &lat=&long=&radius=(metres)&page_size=1..100&cursor=
    GET /api/open311/v2/requests.{json,xml}?service_request_id=PA-…,PA-…   (overrides every other)
    GET /api/open311/v2/requests/<service_request_id>.{json,xml}

Only what the public feed shows, never who reported. Pages are newest first and keyset-paged like
the feed: the next page's address is in the `Link` header (rel="next"). Errors are Open311's list
of {code, description}, the description in the language the request asks for. The write side
(POST requests, tokens) is in feedback.open311.write.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from .. import selectors
from ..selectors import active_categories

# The module's public face: the REST API's exception handler dispatches Open311 views here.
from .base import (  # noqa: F401
    Open311Throttle,
    Open311View,
    error,
    exception_handler,
    open311_view,
    respond,
)

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
MAX_REQUEST_IDS = 100
DEFAULT_RADIUS_M = 1000
MAX_RADIUS_M = 50_000
SERVICES = ("services", "service")
REQUESTS = ("service_requests", "request")
# When this API last changed (discovery's changeset).
CHANGESET = "2026-12-02T00:00:00+07:00"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


class ServiceSerializer(serializers.Serializer):
    service_code = serializers.CharField(source="slug")
    service_name = serializers.CharField(source="name")
    description = serializers.CharField()
    group = serializers.CharField(source="group_name")

    def to_representation(self, category):
        # No extra questions beyond the report form's (metadata), answered as they come (realtime).
        return {**super().to_representation(category), "metadata": False, "type": "realtime", "keywords": ""}


class ServiceRequestSerializer(serializers.Serializer):
    service_request_id = serializers.CharField(source="code")
    status = serializers.SerializerMethodField()
    status_notes = serializers.SerializerMethodField()
    service_name = serializers.CharField(source="category_name")
    service_code = serializers.CharField(source="category_slug")
    description = serializers.CharField()
    agency_responsible = serializers.CharField(source="agency.name", default=None)
    requested_datetime = serializers.DateTimeField(source="created_at")
    updated_datetime = serializers.DateTimeField(source="updated_at")
    expected_datetime = serializers.SerializerMethodField()
    address = serializers.CharField()
    lat = serializers.FloatField(allow_null=True)
    long = serializers.FloatField(source="lng", allow_null=True)
    media_url = serializers.SerializerMethodField()
    # Beyond Open311: the ward (the 114 units are what the city reports by) and the report's page.
    ward = serializers.CharField(source="unit_name")
    url = serializers.SerializerMethodField()

    def to_representation(self, report):
        # Open311 fields the portal has nothing for.
        return {**super().to_representation(report), "service_notice": None, "address_id": None, "zipcode": None}

    def _closed(self, report):
        return report.status in selectors.OPEN311_CLOSED_STATUSES

    def get_status(self, report):
        return "closed" if self._closed(report) else "open"

    def get_status_notes(self, report):
        return report.published[-1].text if report.published else None

    def get_expected_datetime(self, report):
        if self._closed(report) or report.answer_due_at is None:
            return None
        return serializers.DateTimeField().to_representation(report.answer_due_at)

    def get_media_url(self, report):
        if not report.public_photos:
            return None
        path = reverse("feedback:photo", args=[report.code, report.public_photos[0].pk])
        return self.context["request"].build_absolute_uri(path)

    def get_url(self, report):
        return self.context["request"].build_absolute_uri(report.url)


def _parse_moment(value, name, *, end=False):
    """An ISO 8601 date-time (or a bare date: its first or, for an end, last moment), aware."""
    if not value:
        return None
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is None:
                raise ValueError(value)
            moment = datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min)
    except ValueError:
        raise ValidationError(
            _("%(name)s không đúng định dạng ngày giờ ISO 8601 (ví dụ 2026-11-01T08:00:00+07:00).") % {"name": name}
        ) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _number(params, name):
    try:
        return float(params[name])
    except (TypeError, ValueError):
        raise ValidationError(_("%(name)s phải là một số.") % {"name": name}) from None


def _near(params):
    """(lat, lng, radius in metres) from lat/long/radius, or None when no point is asked for."""
    if not params.get("lat") and not params.get("long"):
        if params.get("radius"):
            raise ValidationError(_("radius cần đi cùng lat và long."))
        return None
    if not params.get("lat") or not params.get("long"):
        raise ValidationError(_("lat và long phải có cả hai."))
    lat, lng = _number(params, "lat"), _number(params, "long")
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationError(_("lat phải từ -90 đến 90, long từ -180 đến 180."))
    radius = _number(params, "radius") if params.get("radius") else DEFAULT_RADIUS_M
    if not 1 <= radius <= MAX_RADIUS_M:
        raise ValidationError(_("radius (mét) phải từ 1 đến %(max)s.") % {"max": MAX_RADIUS_M})
    return lat, lng, radius


def _filters(params):
    """The keyword arguments of selectors.open311_requests from the query string, or ValidationError."""
    if params.get("service_request_id"):
        # The standard: service_request_id overrides every other parameter.
        codes = list(dict.fromkeys(part.strip() for part in params["service_request_id"].split(",") if part.strip()))
        if len(codes) > MAX_REQUEST_IDS:
            raise ValidationError(_("Tối đa %(max)s mã service_request_id mỗi lần.") % {"max": MAX_REQUEST_IDS})
        return {"codes": codes, "size": max(len(codes), 1)}
    category_ids = []
    if params.get("service_code"):
        known = {category.slug: category for category in active_categories()}
        for slug in params["service_code"].split(","):
            category = known.get(slug.strip())
            if category is None:
                raise ValidationError(_("Không có lĩnh vực (service_code) “%(code)s”.") % {"code": slug.strip()})
            category_ids.extend((category.pk, *category.children_ids))
    statuses = {part.strip() for part in params.get("status", "").split(",") if part.strip()}
    if not statuses <= {"open", "closed"}:
        raise ValidationError(_("status chỉ nhận “open” hoặc “closed”."))
    closed = None if len(statuses) != 1 else statuses == {"closed"}
    start = _parse_moment(params.get("start_date"), "start_date")
    end = _parse_moment(params.get("end_date"), "end_date", end=True)
    if start and end and start > end:
        raise ValidationError(_("start_date phải trước end_date."))
    try:
        size = int(params.get("page_size", DEFAULT_PAGE_SIZE))
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError(_("page_size phải là số từ 1 đến %(max)s.") % {"max": MAX_PAGE_SIZE})
    cursor = params.get("cursor")
    if cursor and selectors.parse_cursor(cursor) is None:
        raise ValidationError(_("cursor không hợp lệ: hãy dùng địa chỉ trong tiêu đề Link của trang trước."))
    return {
        "category_ids": category_ids,
        "closed": closed,
        "start": start,
        "end": end,
        "near": _near(params),
        "cursor": cursor,
        "size": size,
    }


def service_list():
    """Every active category a report can be filed under (the sub-categories, and the top-level
    ones that have none), with its group's name."""
    categories = active_categories()
    names = {category.pk: category.name for category in categories}
    leaves = [category for category in categories if not category.children_ids]
    for category in leaves:
        category.group_name = names.get(category.parent_id, category.name)
    return leaves


def find_service(code):
    """The category a service_code names (one that services lists), or None."""
    return next((category for category in service_list() if category.slug == code), None)


@open311_view
def discovery(request):
    """Where the API is, what it speaks, and whom to ask for a key."""
    base = request.build_absolute_uri(reverse("open311:services", kwargs={"format": "json"})).rsplit("/", 1)[0]
    return respond(
        {
            "changeset": CHANGESET,
            "contact": getattr(settings, "OPEN311_CONTACT", "") or _("Trung tâm 1022 Hải Phòng, điện thoại 1022."),
            "key_service": getattr(settings, "OPEN311_KEY_SERVICE", "")
            or _("Khóa API (api_key) do quản trị viên cổng cấp cho từng ứng dụng; hãy liên hệ Trung tâm 1022."),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": base,
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        },
        ("discovery", None),
    )


@open311_view
def services(request):
    return respond(ServiceSerializer(service_list(), many=True).data, SERVICES)


@open311_view
def service_definition(request, service_code):
    """The extra questions of a service: none (services lists metadata false), but clients that ask
    anyway get a valid, empty definition."""
    if find_service(service_code) is None:
        return error(404, _("Không có lĩnh vực (service_code) “%(code)s”.") % {"code": service_code})
    return respond({"service_code": service_code, "attributes": []}, ("service_definition", None))


@open311_view
def requests(request):
    try:
        filters = _filters(request.query_params)
    except ValidationError as exc:
        return error(400, exc.detail[0])
    reports, next_cursor = selectors.open311_requests(**filters)
    data = ServiceRequestSerializer(reports, many=True, context={"request": request}).data
    response = respond(data, REQUESTS)
    if next_cursor:
        params = request.query_params.copy()
        params["cursor"] = next_cursor
        response["Link"] = f'<{request.build_absolute_uri(request.path)}?{params.urlencode()}>; rel="next"'
    return response


@open311_view
def request_detail(request, code):
    reports, _next = selectors.open311_requests(code=code, size=1)
    if not reports:
        return error(404, _("Không tìm thấy phản ánh này, hoặc phản ánh không công khai."))
    data = ServiceRequestSerializer(reports, many=True, context={"request": request}).data
    return respond(data, REQUESTS)  # Open311 answers a list here too
