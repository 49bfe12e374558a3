"""URLs for tests/smarthp/test_db_outage.py: the portal's, plus views whose database is away."""

from django.db import InterfaceError, OperationalError
from django.urls import path

from smarthp.urls import urlpatterns as portal_urlpatterns

handler500 = "smarthp.views.server_error"


def database_restarting(request):
    raise OperationalError("terminating connection due to administrator command")


def connection_closed(request):
    raise InterfaceError("connection already closed")


def broken(request):
    raise RuntimeError("a bug, not an outage")


urlpatterns = [
    path("test/db-restarting/", database_restarting),
    path("test/connection-closed/", connection_closed),
    path("api/test/db-restarting/", database_restarting),
    path("test/broken/", broken),
    *portal_urlpatterns,
]
