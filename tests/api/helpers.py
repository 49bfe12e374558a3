"""Helpers of the API tests: an app client speaking JSON with a session token, like the city's app."""

import json

from django.test import Client

AUTH = "/_allauth/app/v1"
API = "/api/v1"


class AppClient:
    """Django's test client as a native app uses the API: JSON bodies, the X-Session-Token header
    once signed in (no cookies are kept between requests), and a language."""

    def __init__(self, language="vi"):
        self.client = Client(enforce_csrf_checks=True)
        self.token = None
        self.language = language

    def _headers(self, headers):
        result = {"Accept-Language": self.language, **(headers or {})}
        if self.token:
            result["X-Session-Token"] = self.token
        return result

    def _keep_token(self, response):
        self.client.cookies.clear()  # an app keeps no cookie: only the token
        if response.get("Content-Type", "").startswith("application/json"):
            body = response.json()
            token = body.get("meta", {}).get("session_token") if isinstance(body, dict) else None
            if token:
                self.token = token
        return response

    def get(self, path, params=None, headers=None):
        return self._keep_token(self.client.get(path, params or {}, headers=self._headers(headers)))

    def post(self, path, data=None, headers=None):
        body = json.dumps(data or {})
        response = self.client.post(path, body, content_type="application/json", headers=self._headers(headers))
        return self._keep_token(response)

    def post_multipart(self, path, data, headers=None):
        return self._keep_token(self.client.post(path, data, headers=self._headers(headers)))

    def send(self, method, path, data=None, headers=None):
        call = getattr(self.client, method)
        body = json.dumps(data) if data is not None else ""
        response = call(path, body, content_type="application/json", headers=self._headers(headers))
        return self._keep_token(response)


def last_code(phone):
    """The 6-digit code of the latest SMS recorded for `phone` (the development SMS backend)."""
    import re

    from citizens.models import OutboundSms

    text = OutboundSms.objects.filter(phone=phone).order_by("-created_at", "-id").values_list("text", flat=True)[0]
    return re.search(r"\b(\d{6})\b", text).group(1)


def session_token_for(user):
    """A session token for `user`, as allauth's headless sign-in hands it out (the session key)."""
    client = Client()
    client.force_login(user)
    return client.session.session_key


def error(response):
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"status", "code", "message", "fields"}, body
    assert body["error"]["status"] == response.status_code
    return body["error"]
