import logging
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache

from . import home as home_panels
from .middleware import DATABASE_ERRORS, busy_response

log = logging.getLogger(__name__)


def home(request):
    return render(request, "home.html", {"panels": home_panels.panels_for(request)})


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    # The portal's cache answers misses while Redis is away: ask Redis itself (within its timeouts).
    ping = getattr(cache, "ping", None)
    if ping is not None:
        ping()
        return
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return what was written")


def _check_broker():
    from smarthp.celery import app

    # One attempt within about a second: the probe must answer before the load balancer's timeout.
    with app.connection_for_write(connect_timeout=1) as conn:
        conn.ensure_connection(max_retries=0, timeout=1)


@never_cache
def healthz(request):
    """Ready to serve (the database answers): 200; degraded (cache or broker away): still 200.

    A web node without Redis still serves every page (smarthp.cache) and files reports (the sweeper
    queues their routing once the broker is back), so a load balancer must keep it in service: the
    answer is 200 with "status": "degraded" and the checks that failed. Without the database nothing
    works: 503.
    """
    checks = {"database": _check_database}
    if settings.REDIS_URL:
        checks["cache"] = _check_cache
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _check_broker
    status = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as exc:
            log.warning("healthz: %s is down: %s", name, type(exc).__name__)
            status[name] = "down"
        else:
            status[name] = "up"
    if status["database"] != "up":
        return JsonResponse({"status": "error", "checks": status}, status=503)
    degraded = any(value != "up" for value in status.values())
    return JsonResponse({"status": "degraded" if degraded else "ok", "checks": status})


def server_error(request):
    """handler500: the busy page (503) when the error is the database being away, else Django's 500.

    Errors raised by a middleware before the view (the session or the signed-in user read from the
    database) reach only this handler: see smarthp.middleware.DatabaseUnavailableMiddleware.
    """
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        return busy_response(request, exc)
    return defaults.server_error(request)


def _api_error(request, status, code, message):
    """Under /api/v1/ an address the resolver does not know (or a request refused before any view) is
    answered in the API's one JSON error shape, never an HTML page an app cannot read."""
    if not request.path.startswith("/api/v1/"):
        return None
    from .api import error_body

    return JsonResponse(error_body(status, code, message), status=status)


def page_not_found(request, exception):
    """handler404."""
    return _api_error(request, 404, "not_found", _("Không tìm thấy.")) or defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """handler400 (e.g. smarthp.middleware.RefuseNulMiddleware)."""
    answer = _api_error(request, 400, "invalid", _("Yêu cầu không hợp lệ"))
    return answer or defaults.bad_request(request, exception)
