"""Security headers and cookies, as a browser receives them."""

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path

from tests.helpers import settings_from_env


def remember_something(request):
    request.session["seen"] = True
    return HttpResponse("ok")


# The portal's URLs plus a view that starts a session (sign-in flows belong to citizens/).
urlpatterns = [path("test/session/", remember_something), path("", include("smarthp.urls"))]

HTTPS_SETTINGS = {
    name: f"settings.{name}"
    for name in (
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SECURE",
    )
}
HTTPS_SETTINGS["SECURE_PROXY_SSL_HEADER"] = "settings.SECURE_PROXY_SSL_HEADER"


def csp_directives(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.django_db
def test_home_page_sends_a_strict_content_security_policy(client):
    """Scripts only from the portal itself (no inline script), and no framing by other sites."""
    response = client.get("/")

    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]


@pytest.mark.django_db
def test_home_page_sends_the_other_security_headers(client):
    response = client.get("/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response  # plain HTTP in development: no HSTS


def test_https_turns_on_redirect_hsts_and_secure_cookies():
    values = settings_from_env({"HTTPS": "1"}, HTTPS_SETTINGS)

    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["LANGUAGE_COOKIE_SECURE"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_without_https_cookies_are_not_marked_secure():
    """A newcomer's http://127.0.0.1:8000 must still be able to sign in."""
    values = settings_from_env({}, HTTPS_SETTINGS)

    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False


@pytest.fixture
def behind_tls(settings):
    """This process's settings as HTTPS=1 makes them (read from a fresh interpreter)."""
    for name, value in settings_from_env({"HTTPS": "1"}, HTTPS_SETTINGS).items():
        setattr(settings, name, tuple(value) if isinstance(value, list) else value)
    return settings


@pytest.mark.django_db
def test_behind_tls_plain_http_is_redirected_to_https(behind_tls):
    response = Client().get("/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


@pytest.mark.django_db
def test_behind_tls_pages_send_hsts_and_secure_httponly_cookies(behind_tls):
    """Through the TLS proxy (X-Forwarded-Proto: https): HSTS, and the CSRF, session and language
    cookies are Secure and HttpOnly."""
    behind_tls.ROOT_URLCONF = __name__
    browser = Client(headers={"X-Forwarded-Proto": "https"})

    home = browser.get("/")
    assert home.status_code == 200
    assert home["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csrf = home.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]

    session = browser.get("/test/session/").cookies["sessionid"]
    assert session["secure"] and session["httponly"]

    switched = browser.post("/i18n/setlang/", {"language": "en", "next": "/"})
    language = switched.cookies["django_language"]
    assert language["secure"] and language["httponly"]
    assert language["samesite"] == "Lax"


@pytest.mark.django_db
def test_a_health_probe_through_the_proxy_is_answered(behind_tls):
    """A load balancer probing /healthz with the public host name and X-Forwarded-Proto gets the
    health answer, not a redirect."""
    behind_tls.ALLOWED_HOSTS = ["portal.example.vn"]

    response = Client().get("/healthz", headers={"Host": "portal.example.vn", "X-Forwarded-Proto": "https"})

    assert response.status_code == 200
