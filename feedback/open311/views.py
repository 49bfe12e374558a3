"""Open311 GeoReport v2, read side: the public reports as service requests, for apps, newsrooms and
researchers who want the city's PAKN data without scraping pages. JSON only.

    GET /api/open311/v2/services.json
    GET /api/open311/v2/requests.json?service_code=a,b&status=open|closed&start_date=&end_date=
        &page_size=1..100&cursor=
    GET /api/open311/v2/requests/<service_request_id>.json

Only what the public feed shows, never who reported. Pages are newest first and keyset-paged like
the feed: the next page's address is in the `Link` header (rel="next"). Errors are Open311's list
of {code, description}, the description in the language the request asks for.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes, renderer_classes, throttle_classes
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from .. import selectors
from ..selectors import active_categories

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


class Open311Throttle(AnonRateThrottle):
    scope = "open311"


def open311_view(view):
    """A public, read-only, JSON-only, throttled DRF view."""
    view = throttle_classes([Open311Throttle])(view)
    view = renderer_classes([JSONRenderer])(view)
    view = permission_classes([AllowAny])(view)
    return api_view(["GET"])(view)


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


def _error(status, description):
    return Response([{"code": status, "description": str(description)}], status=status)


def exception_handler(exc, context):
    """DRF's handler, with Open311's error list for the Open311 views (wrong method, throttled)."""
    response = drf_exception_handler(exc, context)
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if response is not None and match is not None and match.namespace == "open311":
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = [{"code": response.status_code, "description": str(detail)}]
    return response


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


def _filters(params):
    """The keyword arguments of selectors.open311_requests from the query string, or ValidationError."""
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
    return {"category_ids": category_ids, "closed": closed, "start": start, "end": end, "cursor": cursor, "size": size}


@open311_view
def services(request):
    """Every active category a report can be filed under (the sub-categories, and the top-level
    ones that have none), with its group."""
    categories = active_categories()
    names = {category.pk: category.name for category in categories}
    leaves = [category for category in categories if not category.children_ids]
    for category in leaves:
        category.group_name = names.get(category.parent_id, category.name)
    return Response(ServiceSerializer(leaves, many=True).data)


@open311_view
def requests(request):
    try:
        filters = _filters(request.query_params)
    except ValidationError as exc:
        return _error(400, exc.detail[0])
    reports, next_cursor = selectors.open311_requests(**filters)
    data = ServiceRequestSerializer(reports, many=True, context={"request": request}).data
    response = Response(data)
    if next_cursor:
        params = request.query_params.copy()
        params["cursor"] = next_cursor
        response["Link"] = f'<{request.build_absolute_uri(request.path)}?{params.urlencode()}>; rel="next"'
    return response


@open311_view
def request_detail(request, code):
    reports, _next = selectors.open311_requests(code=code, size=1)
    if not reports:
        return _error(404, _("Không tìm thấy phản ánh này, hoặc phản ánh không công khai."))
    data = ServiceRequestSerializer(reports, many=True, context={"request": request}).data
    return Response(data)  # Open311 answers a list here too
