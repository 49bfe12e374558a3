"""What every app's REST API v1 (`<app>/api.py`, mounted under /api/v1/) shares.

- One error shape for every 4xx/5xx: `{"error": {"status", "code", "message", "fields"}}`, the
  message in the request's language (LocaleMiddleware reads Accept-Language). Open311 views keep
  the list Open311 defines (feedback.open311).
- Sign-in: the app client sends allauth's session token in `X-Session-Token` (allauth headless,
  /_allauth/app/v1/); the browser uses its session cookie (CSRF checked). An officer whose account
  has no second factor is refused, as on the officer site.
- Keyset pages: `{"next": url or null, "results": [...]}`, never a count or an offset.
- Throttles per client address and per signed-in user, their rates in settings.
- Views validate input with the same Django forms as the pages (`form_errors` turns their errors
  into the error shape; `form_serializer` describes a form in the schema), and write through the
  apps' services: a rule lives in one place.
"""

import uuid

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .api_auth import (  # noqa: F401 (the apps' api.py take them from here)
    ClientRateThrottle,
    SessionAuthentication,
    SessionTokenAuthentication,
    UserRateThrottle,
    WriteRateThrottle,
)

# --- Errors -----------------------------------------------------------------------------------

# Messages of DRF's own exceptions, in Vietnamese first (DRF's catalog has few of them in vi).
MESSAGES = {
    exceptions.NotAuthenticated: gettext_lazy(
        "Bạn cần đăng nhập: gửi mã phiên (X-Session-Token) nhận được khi đăng nhập."
    ),
    exceptions.AuthenticationFailed: gettext_lazy("Phiên đăng nhập không hợp lệ hoặc đã hết hạn. Hãy đăng nhập lại."),
    exceptions.PermissionDenied: gettext_lazy("Bạn không có quyền thực hiện thao tác này."),
    exceptions.NotFound: gettext_lazy("Không tìm thấy."),
    exceptions.MethodNotAllowed: gettext_lazy("Phương thức này không được hỗ trợ ở địa chỉ này."),
    exceptions.NotAcceptable: gettext_lazy("Không trả lời được theo định dạng yêu cầu (chỉ có JSON)."),
    exceptions.UnsupportedMediaType: gettext_lazy(
        "Định dạng dữ liệu gửi lên không được hỗ trợ (dùng JSON hoặc multipart/form-data)."
    ),
    exceptions.ParseError: gettext_lazy("Dữ liệu gửi lên không đọc được (JSON hoặc biểu mẫu bị lỗi)."),
    exceptions.ValidationError: gettext_lazy("Dữ liệu chưa hợp lệ. Xem chi tiết ở từng trường."),
}
THROTTLED = gettext_lazy("Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau %(seconds)s giây.")


class ApiError(exceptions.APIException):
    """An error with a message of our own (already in the user's language) and a code."""

    def __init__(self, message, *, code="invalid", status_code=status.HTTP_400_BAD_REQUEST, fields=None):
        super().__init__(detail=str(message), code=code)
        self.status_code = status_code
        self.code = code
        self.message = str(message)
        self.fields = fields or {}


def form_errors(form):
    """An ApiError (400) from a Django form's errors: the first as the message, all per field."""
    fields = {}
    general = []
    for name, errors in form.errors.items():
        messages = [str(message) for message in errors]
        if name == "__all__":
            general.extend(messages)
        else:
            fields[name] = messages
    first = general[0] if general else next(iter(fields.values()))[0]
    return ApiError(first, code="invalid", fields=fields)


def _flatten(detail):
    """DRF's nested ValidationError detail → {field: [messages]}."""
    if isinstance(detail, dict):
        return {
            str(key): [str(item) for item in (value if isinstance(value, list) else [value])]
            for key, value in detail.items()
        }
    if isinstance(detail, list):
        return {"non_field_errors": [str(item) for item in detail]}
    return {"non_field_errors": [str(detail)]}


def _is_open311(context):
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is not None and "open311" in (match.namespaces or []):
        return True
    return bool(request is not None and request.path.startswith("/api/open311/"))


def error_body(status_code, code, message, fields=None):
    return {"error": {"status": status_code, "code": code, "message": str(message), "fields": fields or {}}}


def exception_handler(exc, context):
    """The project's DRF exception handler (REST_FRAMEWORK["EXCEPTION_HANDLER"]).

    Open311 views answer in Open311's own error format (their handler); every other view in the
    v1 shape. Anything that is not an API error is left to Django (a 500, logged).
    """
    if _is_open311(context):
        from feedback.open311 import views as open311_views

        return open311_views.exception_handler(exc, context)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ApiError):
        body = error_body(exc.status_code, exc.code, exc.message, exc.fields)
    elif isinstance(exc, exceptions.Throttled):
        seconds = int(exc.wait or 1)
        body = error_body(exc.status_code, "throttled", THROTTLED % {"seconds": seconds})
    elif isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        body = error_body(exc.status_code, "invalid", MESSAGES[exceptions.ValidationError], fields)
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
        message = next((text for kind, text in MESSAGES.items() if type(exc) is kind), None)
        if message is None:
            message = exc.detail if isinstance(exc.detail, str) else MESSAGES[exceptions.ValidationError]
        body = error_body(exc.status_code, code, message)
    response.data = body
    return response


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(help_text="A stable, machine-readable code (invalid, not_found, throttled, ...).")
    message = serializers.CharField(help_text="What went wrong, in the language of Accept-Language (vi, en).")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Per input field, its messages (empty when the error is not about a field).",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


def _error(description):
    return OpenApiResponse(ErrorSerializer, description=description)


# The errors any operation may answer; each view adds what it answers besides (400, 404, 409).
COMMON_ERRORS = {
    401: _error("Not signed in, or the session token is invalid or expired."),
    403: _error("Not allowed (e.g. an officer without a second factor, a CSRF failure in a browser)."),
    429: _error("Throttled: too many requests from this client or user; Retry-After says when to try again."),
}
READ_ERRORS = {429: COMMON_ERRORS[429]}
BAD_REQUEST = {400: _error("Invalid input: `fields` holds the message of each field.")}
NOT_FOUND = {404: _error("Not found, or not yours to see.")}


def errors(*groups):
    merged = {}
    for group in groups:
        merged.update(group)
    return merged


# --- Keyset pages ------------------------------------------------------------------------------

CURSOR_PARAMETER = OpenApiParameter(
    "cursor", str, description="The `next` link of the previous page carries it; omit for the newest page."
)


def page_response(request, rows, next_cursor, serializer_class, *, context=None, cursor_param="cursor"):
    """A keyset page: the rows serialised, and the link to the next (older) page or null."""
    next_url = None
    if next_cursor:
        params = request.query_params.copy()
        params[cursor_param] = str(next_cursor)
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    context = {"request": request, **(context or {})}
    return Response({"next": next_url, "results": serializer_class(rows, many=True, context=context).data})


_PAGES = {}


def page_serializer(serializer_class, name=None):
    """The schema of a keyset page of `serializer_class` (one component per name)."""
    name = name or f"{serializer_class.__name__.removesuffix('Serializer')}Page"
    if name in _PAGES:
        return _PAGES[name]
    _PAGES[name] = inline_serializer(
        name=name,
        fields={
            "next": serializers.URLField(allow_null=True, help_text="The next (older) page, or null at the end."),
            "results": serializer_class(many=True),
        },
    )
    return _PAGES[name]


class KeysetPagination(CursorPagination):
    """The default pagination of the API (REST_FRAMEWORK): keyset on (created_at, id), newest first,
    `{"next", "results"}` like the lists built on the apps' own keyset selectors. Views whose model
    orders otherwise set `ordering` (a unique, indexed order)."""

    ordering = ("-created_at", "-pk")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_cursor_message = gettext_lazy("cursor không hợp lệ: hãy dùng liên kết `next` của trang trước.")

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound as exc:
            raise ApiError(self.invalid_cursor_message, code="invalid_cursor") from exc

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {"next": {"type": "string", "format": "uri", "nullable": True}, "results": schema},
        }


# --- Forms in the schema ------------------------------------------------------------------------

_FORM_FIELDS = {}


def form_serializer(form_class, *, name, exclude=(), extra=None, partial=False):
    """A serializer describing `form_class`'s fields, for the schema only: the view validates with
    the form itself (its rules and messages), so nothing is written twice."""
    from django import forms

    key = (form_class, name)
    if key in _FORM_FIELDS:
        return _FORM_FIELDS[key]
    fields = {}
    for field_name, field in form_class.base_fields.items():
        if field_name in exclude:
            continue
        common = {
            "required": bool(field.required) and not partial,
            "help_text": str(field.help_text or field.label or ""),
        }
        if isinstance(field, forms.BooleanField):
            fields[field_name] = serializers.BooleanField(**common)
        elif isinstance(field, forms.FloatField):
            fields[field_name] = serializers.FloatField(
                min_value=field.min_value, max_value=field.max_value, allow_null=True, **common
            )
        elif isinstance(field, forms.IntegerField):
            fields[field_name] = serializers.IntegerField(allow_null=True, **common)
        elif isinstance(field, forms.DateField):
            fields[field_name] = serializers.DateField(allow_null=True, **common)
        elif isinstance(field, forms.FileField):
            fields[field_name] = serializers.ListField(child=serializers.FileField(), **common)
        elif isinstance(field, forms.ChoiceField) and field.choices and not callable(field.choices):
            values = [value for value, _label in field.choices if value != "" and not isinstance(_label, list | tuple)]
            blank = not field.required or any(value == "" for value, _label in field.choices)
            fields[field_name] = (
                serializers.ChoiceField(choices=values, allow_blank=blank, **common)
                if values
                else serializers.CharField(allow_blank=blank, **common)
            )
        else:
            fields[field_name] = serializers.CharField(
                max_length=getattr(field, "max_length", None), allow_blank=not field.required, **common
            )
    fields.update(extra or {})
    serializer = inline_serializer(name=name, fields=fields)
    _FORM_FIELDS[key] = serializer
    return serializer


def form_fields(request):
    """The request's fields as a Django form's data: a copy of the QueryDict (multipart, urlencoded),
    or the JSON object's keys as text (true/false as a checkbox would send them)."""
    data = request.data
    if isinstance(data, QueryDict):
        # request.POST: the form fields without the uploaded files (request.FILES holds those).
        return request.POST.copy()
    if not isinstance(data, dict):
        raise ApiError(_("Dữ liệu gửi lên phải là một đối tượng JSON."), code="parse_error")
    result = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            result.setlist(key, ["" if item is None else str(item) for item in value])
        elif isinstance(value, bool):
            result[key] = "on" if value else ""
        elif value is not None:
            result[key] = str(value)
    return result


# --- Idempotency -------------------------------------------------------------------------------

IDEMPOTENCY_NAMESPACE = uuid.UUID("6f1c8e6e-2d0b-4a55-9b7e-2f8a4f6f0b11")
IDEMPOTENCY_MAX_LENGTH = 200
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    description=(
        "Any string of yours (a UUID is best), up to 200 characters: sending the same request again "
        "with the same key files nothing new and answers 200 with the first result."
    ),
)


def idempotency_key(request):
    """The request's Idempotency-Key as a UUID string (any string maps to one), or a fresh one
    when there is none; ApiError when it is too long."""
    raw = (request.headers.get("Idempotency-Key") or "").strip()
    if not raw:
        return str(uuid.uuid4()), False
    if len(raw) > IDEMPOTENCY_MAX_LENGTH or not raw.isprintable():
        raise ApiError(
            _("Idempotency-Key tối đa %(max)s ký tự in được.") % {"max": IDEMPOTENCY_MAX_LENGTH},
            code="invalid_idempotency_key",
        )
    try:
        return str(uuid.UUID(raw)), True
    except ValueError:
        return str(uuid.uuid5(IDEMPOTENCY_NAMESPACE, raw)), True
