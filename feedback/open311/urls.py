"""Open311 GeoReport v2 under /api/open311/v2/ (feedback.open311.views)."""

from django.urls import path, re_path

from ..urls import CODE
from . import views as api

app_name = "open311"

urlpatterns = [
    path("services.json", api.services, name="services"),
    path("requests.json", api.requests, name="requests"),
    re_path(rf"^requests/{CODE}\.json$", api.request_detail, name="request"),
]
