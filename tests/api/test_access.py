"""Throttles per client and per user, CORS closed unless configured, officers' second factor, CSRF."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client

from tests.api.helpers import API, AUTH, AppClient, error, session_token_for

pytestmark = pytest.mark.django_db
PASSWORD = "mật-khẩu-thử-1"


def rates(settings, **changed):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **changed},
    }


def test_a_client_address_is_throttled_with_the_error_shape(settings):
    rates(settings, api_client="3/min")
    app = AppClient()
    statuses = [app.get(f"{API}/report-categories/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = app.get(f"{API}/report-categories/")
    assert int(response["Retry-After"]) > 0
    body = error(response)
    assert body["code"] == "throttled" and "giây" in body["message"]


def test_a_user_is_throttled_whatever_the_address_and_others_are_not(settings, alice, bob):
    rates(settings, api_client="1000/min", api_user="2/min")
    alice_app, bob_app = AppClient(), AppClient()
    alice_app.token, bob_app.token = session_token_for(alice), session_token_for(bob)
    assert [alice_app.get(f"{API}/me/").status_code for _ in range(3)] == [200, 200, 429]
    assert bob_app.get(f"{API}/me/").status_code == 200


def test_cors_is_closed_unless_an_origin_is_configured(settings):
    preflight = {
        "HTTP_ORIGIN": "https://app.example.vn",
        "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "POST",
        "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "x-session-token, idempotency-key, content-type",
    }
    client = Client()
    closed = client.options(f"{API}/reports/", **preflight)
    assert "Access-Control-Allow-Origin" not in closed
    assert "Access-Control-Allow-Origin" not in client.get(f"{API}/reports/", HTTP_ORIGIN="https://app.example.vn")

    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.vn"]
    opened = client.options(f"{API}/reports/", **preflight)
    assert opened["Access-Control-Allow-Origin"] == "https://app.example.vn"
    assert "x-session-token" in opened["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in opened  # a token, never a cookie, across origins
    other = client.options(f"{API}/reports/", **{**preflight, "HTTP_ORIGIN": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other
    # The portal's pages never answer other origins.
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN="https://app.example.vn")


def test_the_browser_session_needs_its_csrf_token_for_writes(alice):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.get(f"{API}/me/").status_code == 200
    refused = browser.patch(f"{API}/me/", {"full_name": "X"}, content_type="application/json")
    assert refused.status_code == 403 and error(refused)["code"] == "permission_denied"
    assert "CSRF" in error(refused)["message"] or error(refused)["message"]


def test_an_officer_without_a_second_factor_is_refused(officer):
    app = AppClient()
    response = app.post(f"{AUTH}/auth/login", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 200
    refused = app.get(f"{API}/me/")
    assert refused.status_code == 403
    assert error(refused)["code"] == "second_factor_required"
    browser = Client()
    browser.force_login(officer)
    assert error(browser.get(f"{API}/me/"))["code"] == "second_factor_required"


def test_an_officer_signs_in_with_the_totp_step_then_uses_the_api(officer):
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)
    app = AppClient()
    response = app.post(f"{AUTH}/auth/login", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 401  # the password alone does not sign an officer in
    pending = {flow["id"] for flow in response.json()["data"]["flows"] if flow.get("is_pending")}
    assert pending == {"mfa_authenticate"}
    assert app.get(f"{API}/me/").status_code == 401
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = app.post(f"{AUTH}/auth/2fa/authenticate", {"code": code})
    assert response.status_code == 200, response.json()
    assert app.get(f"{API}/me/").status_code == 200


def test_the_schema_is_complete_and_the_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    spec = schema.json()
    assert spec["components"]["securitySchemes"]["sessionToken"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Session-Token",
        "description": spec["components"]["securitySchemes"]["sessionToken"]["description"],
    }
    paths = spec["paths"]
    assert {"/api/v1/reports/", "/api/v1/me/", "/api/v1/notifications/"} <= set(paths)
    assert {"/_allauth/app/v1/auth/signup", "/_allauth/app/v1/auth/phone/verify"} <= set(paths)
    assert "consent_processing" in spec["components"]["schemas"]["AllauthBaseSignup"]["properties"]
    for path, item in paths.items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in item.items():
            assert "429" in operation["responses"], (method, path)
    assert set(paths["/api/v1/reports/{code}/"]["get"]["responses"]) >= {"200", "404", "429"}

    for url in ("/api/docs/", "/api/docs/redoc/"):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "https://" not in html.replace("https://testserver", "")  # no CDN, no web fonts
        assert "/static/drf_spectacular_sidecar/" in html
        assert "'unsafe-eval'" not in page["Content-Security-Policy"]
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
