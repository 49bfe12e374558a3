"""Open311 GeoReport v2 under /api/open311/v2/ (read side: feedback.open311.views; write side:
feedback.open311.write). Every address ends in .json or .xml, which picks the format."""

from django.urls import re_path

from ..urls import CODE
from . import views, write
from .base import NotFoundView, combined

app_name = "open311"
FORMAT = r"\.(?P<format>json|xml)$"

urlpatterns = [
    re_path(rf"^discovery{FORMAT}", views.discovery, name="discovery"),
    re_path(rf"^services{FORMAT}", views.services, name="services"),
    re_path(rf"^services/(?P<service_code>[^/]+){FORMAT}", views.service_definition, name="service"),
    re_path(rf"^requests{FORMAT}", combined(views.requests, write.create_request), name="requests"),
    re_path(rf"^requests/{CODE}{FORMAT}", views.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[^/]+){FORMAT}", write.token_status, name="token"),
    # Anything else: Open311's 404, in XML when the address asks for it.
    re_path(r"^.*?(?:\.(?P<format>json|xml))?$", NotFoundView.as_view(), name="not_found"),
]
