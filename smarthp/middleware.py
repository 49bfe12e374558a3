"""The portal's own middleware: the "busy" page while the database is away, security headers, gzip."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware
from django.template import loader
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

# What a database that is restarting, failing over or refusing connections raises through Django.
DATABASE_ERRORS = (OperationalError, InterfaceError)
# Seconds a client (or a proxy) should wait before trying again: a PostgreSQL restart takes a few.
RETRY_AFTER_SECONDS = 30


def busy_response(request, exc):
    """503 "the service is busy, try again" for a request the database could not serve.

    Rendered without the request, so without context processors: nothing on this page queries the
    database. API paths get JSON. One log line, with the path only (no query string, no user).
    """
    log.warning("database unavailable (%s): %s %s answered 503", type(exc).__name__, request.method, request.path)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": _("Hệ thống đang bận, vui lòng thử lại sau một phút.")}, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Logged above in one line: Django would add a traceback per request (with SQL that may hold
    # personal data) for every request of the outage.
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    """Turns a database error into the busy page (503, Retry-After), wherever it is raised.

    - In a view: process_exception below (called after every other middleware's own).
    - In another middleware (the session or the signed-in user read before the view): Django turns
      it into a 500 response at that middleware, so it never reaches this one; smarthp.views.server_error
      (handler500) answers those with the same page.
    - Anything that still escapes (DEBUG_PROPAGATE_EXCEPTIONS): caught here, first in MIDDLEWARE.

    A failed write inside transaction.atomic() has been rolled back by then: nothing half-saved.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except DATABASE_ERRORS as exc:
            return busy_response(request, exc)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return busy_response(request, exception)
        return None


class SecurityHeadersMiddleware:
    """Headers Django has no setting for, on every response, static files included.

    Placed before WhiteNoise, which answers static files itself: its responses pass through here too.
    Permissions-Policy: no camera, microphone or payment; geolocation for the portal's own pages (the
    report form's "use my position"). Cross-Origin-Resource-Policy: no other site embeds our pages,
    photos or scripts.
    """

    PERMISSIONS_POLICY = "camera=(), microphone=(), payment=(), geolocation=(self)"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class RefuseNulMiddleware:
    """A NUL character in the address (its path or its query string) is a 400 for every page and
    API, before any view reads it.

    PostgreSQL text cannot hold NUL: a view that looks up a code from the path or filters on a
    parameter would fail inside the database (a 500) where SQLite quietly finds nothing. No real
    link carries one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        decoded = (value for _, values in request.GET.lists() for value in values)
        in_path = "\x00" in request.path
        if in_path or "\x00" in query or "%00" in query or any("\x00" in value for value in decoded):
            # Answered here, one line in the log: a bot's garbage is not worth a traceback.
            from .views import bad_request

            log.info("refused a NUL in the %s of %r", "path" if in_path else "query string", request.path)
            return bad_request(request, None)
        return self.get_response(request)


class GZipMiddleware(DjangoGZipMiddleware):
    """Django's gzip, for text only: photos (JPEG, PNG, WEBP) are compressed already, and gzipping
    them again would cost CPU on every download for nothing.

    BREACH (a secret in a compressed page guessed from response sizes): Django's GZipMiddleware adds
    up to 100 random bytes to each response's gzip header since Django 4.2, and the CSRF token in
    our forms is masked anew for each response, so its compressed size leaks nothing stable. Static
    files never come here: WhiteNoise (placed before) serves its own precompressed copies.
    """

    COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml", "application/xml")

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(self.COMPRESSIBLE):
            return response
        return super().process_response(request, response)
