"""What every Open311 view shares: the format named by the address (`.json` or `.xml`, whatever the
Accept header says), Open311's error list for every refusal (wrong method, throttled, unreadable
body, unknown address), no session: the write side authenticates by `api_key` alone, so no
cookie and no CSRF token are involved.

Open311 views are built by `open311_view`, whose class `Open311View` handles its own errors
(`get_exception_handler`): they do not depend on REST_FRAMEWORK["EXCEPTION_HANDLER"].
"""

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from .xml import XMLRenderer

ERRORS = ("errors", "error")


class Open311Throttle(AnonRateThrottle):
    """Per client address, every Open311 view (REST_FRAMEWORK's "open311" rate). POSTs also count
    against their key's own limit (feedback.open311.keys.over_limit)."""

    scope = "open311"


class SuffixNegotiation(BaseContentNegotiation):
    """The renderer is the one the address names: requests.xml is XML even when a client's Accept
    header asks for JSON (civicbot sends `Accept: application/json` whatever it asks for)."""

    def select_parser(self, request, parsers):
        return DefaultContentNegotiation().select_parser(request, parsers)

    def select_renderer(self, request, renderers, format_suffix=None):
        wanted = format_suffix or "json"
        renderer = next((r for r in renderers if r.format == wanted), renderers[0])
        return renderer, renderer.media_type


class Open311View(APIView):
    """The base of every Open311 view (see `open311_view`)."""

    open311 = True
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [Open311Throttle]
    renderer_classes = [JSONRenderer, XMLRenderer]
    parser_classes = [FormParser, MultiPartParser, JSONParser]
    content_negotiation_class = SuffixNegotiation
    # Open311 is documented by its standard; the /api/v1/ schema (and schemathesis) leave it out.
    schema = None

    def get_exception_handler(self):
        return exception_handler


def _view(name, handlers, doc, module):
    def method(func):
        def handle(self, request, *args, **kwargs):
            kwargs.pop("format", None)
            return func(request, *args, **kwargs)

        return handle

    attrs = {name.lower(): method(func) for name, func in handlers.items()}
    attrs.update(handlers=handlers, __doc__=doc, __module__=module)
    return type(name, (Open311View,), attrs).as_view()


def open311_view(view=None, *, methods=("GET",)):
    """Make an Open311 view of a function `view(request, **url_kwargs)`; the `format` of the address
    (json or xml) picks the renderer and is not passed on. Use as `@open311_view` (GET) or
    `@open311_view(methods=["POST"])`; `combined(a, b)` serves two of them at one address."""

    def build(func):
        return _view(func.__name__, dict.fromkeys(methods, func), func.__doc__, func.__module__)

    return build(view) if view is not None else build


def combined(*views):
    """One view answering each method with the Open311 view made for it (GET and POST requests.json)."""
    handlers = {}
    for view in views:
        handlers.update(view.cls.handlers)
    return _view("_".join(view.cls.__name__ for view in views), handlers, views[0].cls.__doc__, views[0].cls.__module__)


def respond(data, names, *, status=200, headers=None):
    """An Open311 answer; `names` = (root, item) are its XML wrappers, e.g. ("services", "service")."""
    response = Response(data, status=status, headers=headers)
    response.xml_names = names
    return response


def error(status, description):
    return respond([{"code": status, "description": str(description)}], ERRORS, status=status)


def _description(exc, response):
    if isinstance(exc, exceptions.Throttled):
        if exc.wait:
            return _("Quá nhiều yêu cầu. Vui lòng thử lại sau %(seconds)s giây.") % {"seconds": int(exc.wait) + 1}
        return _("Quá nhiều yêu cầu. Vui lòng thử lại sau.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("Phương thức %(method)s không dùng được ở địa chỉ này.") % {"method": exc.args[0] if exc.args else ""}
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("Dữ liệu gửi lên cần ở dạng application/x-www-form-urlencoded, multipart/form-data hoặc JSON.")
    if isinstance(exc, exceptions.ParseError):
        return _("Dữ liệu gửi lên không đọc được (biểu mẫu hoặc JSON bị lỗi).")
    data = response.data
    while isinstance(data, (dict, list)) and data:
        data = data.get("detail", next(iter(data.values()))) if isinstance(data, dict) else data[0]
    return str(data)


def _is_open311(context):
    view = context.get("view")
    match = getattr(context.get("request"), "resolver_match", None)
    return getattr(view, "open311", False) or (match is not None and match.namespace == "open311")


def exception_handler(exc, context):
    """DRF's handler, with Open311's error list ([{code, description}], or <errors> in XML) for the
    Open311 views; other views get DRF's answer unchanged."""
    if not _is_open311(context):
        return drf_exception_handler(exc, context)
    if isinstance(exc, RequestDataTooBig):
        return error(413, _("Dữ liệu gửi lên quá lớn."))
    if isinstance(exc, SuspiciousOperation):  # e.g. too many form fields
        return error(400, _("Dữ liệu gửi lên không hợp lệ."))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    described = error(response.status_code, _description(exc, response))
    for header in ("Retry-After", "Allow", "WWW-Authenticate"):
        if header in response:
            described[header] = response[header]
    return described


class NotFoundView(Open311View):
    """Any other address under /api/open311/v2/: 404 in Open311's format, not an HTML page."""

    def _not_found(self, request, *args, **kwargs):
        raise exceptions.NotFound(_("Không có địa chỉ này trong Open311 GeoReport v2."))

    get = post = put = patch = delete = _not_found
