import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

log = logging.getLogger(__name__)


def home(request):
    return render(request, "home.html")


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return what was written")


def _check_broker():
    from smarthp.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


@never_cache
def healthz(request):
    """State of the database and, where configured, the broker and the cache: 200 when all are up."""
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
    healthy = all(value == "up" for value in status.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": status}, status=200 if healthy else 503)
