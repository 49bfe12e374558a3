"""VNeID sign-in through allauth's OpenID Connect provider, against a fake provider the test starts
(discovery, authorize, token, userinfo, keys)."""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model
from django.urls import reverse

from citizens.models import Consent

from .conftest import last_code

pytestmark = pytest.mark.django_db
User = get_user_model()
CLIENT_ID, CLIENT_SECRET = "cong-dan-so-hai-phong", "bi-mat-cua-ung-dung"


class FakeOpenIDProvider:
    """A tiny OpenID Connect provider: one client, authorization code flow with PKCE, RS256 tokens.
    `person` is whoever "signs in" at /authorize; `requests` logs the calls received."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.person = {}
        self.codes = {}
        self.tokens = {}
        self.requests = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def reply(self, status, body=None, headers=None):
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                if body is not None:
                    data = json.dumps(body).encode()
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                else:
                    self.end_headers()

            def do_GET(self):
                url = urlparse(self.path)
                provider.requests.append(("GET", url.path))
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    return self.reply(200, provider.discovery())
                if url.path == "/jwks":
                    return self.reply(200, provider.jwks())
                if url.path == "/authorize":
                    return provider.authorize(self, query)
                if url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in provider.tokens:
                        return self.reply(401, {"error": "invalid_token"})
                    return self.reply(200, provider.tokens[token])
                return self.reply(404, {"error": "not_found"})

            def do_POST(self):
                url = urlparse(self.path)
                provider.requests.append(("POST", url.path))
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if url.path == "/token":
                    return provider.token(self, form)
                return self.reply(404, {"error": "not_found"})

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def discovery(self):
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self):
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": "k1", "use": "sig", "alg": "RS256"})
        return {"keys": [jwk]}

    def authorize(self, handler, query):
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return handler.reply(400, {"error": "invalid_request"})
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"redirect_uri": query["redirect_uri"], "challenge": query.get("code_challenge")}
        location = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return handler.reply(302, headers={"Location": location})

    def token(self, handler, form):
        grant = self.codes.pop(form.get("code"), None)
        if (
            grant is None
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("redirect_uri") != grant["redirect_uri"]
        ):
            return handler.reply(400, {"error": "invalid_grant"})
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if grant["challenge"] and challenge != grant["challenge"]:
            return handler.reply(400, {"error": "invalid_grant", "error_description": "PKCE"})
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = dict(self.person)
        now = int(time.time())
        id_token = jwt.encode(
            {"iss": self.issuer, "aud": CLIENT_ID, "sub": self.person["sub"], "iat": now, "exp": now + 300},
            self.key,
            algorithm="RS256",
            headers={"kid": "k1"},
        )
        return handler.reply(200, {"access_token": access_token, "token_type": "Bearer", "id_token": id_token})


@pytest.fixture
def vneid(settings):
    provider = FakeOpenIDProvider()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "vneid",
                    "name": "VNeID",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {
                        "server_url": provider.issuer,
                        "scope": ["openid", "profile", "phone"],
                        "oauth_pkce_enabled": True,
                    },
                }
            ]
        }
    }
    yield provider
    provider.close()


def through_vneid(client, provider, person):
    """Press "Đăng nhập bằng VNeID", sign in at the provider as `person`, come back to the portal."""
    provider.person = person
    login_url = reverse("openid_connect_login", kwargs={"provider_id": "vneid"})
    response = client.post(login_url, {"process": "login"})
    assert response.status_code == 302, response.content[:500]
    authorize = response["Location"]
    assert authorize.startswith(f"{provider.issuer}/authorize?")
    at_provider = requests.get(authorize, allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    back = urlparse(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


PERSON = {
    "sub": "VNEID-0001",
    "name": "Phạm Thị Hoa",
    "phone_number": "+84987654321",
    "phone_number_verified": True,
}


def test_without_configuration_there_is_no_vneid_anywhere(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert "VNeID" not in client.get(reverse("account_login")).content.decode()
    assert "VNeID" not in client.get(reverse("account_signup")).content.decode()
    assert client.post("/accounts/oidc/vneid/login/").status_code == 404


def test_configured_the_sign_in_page_offers_vneid(client, vneid):
    page = client.get(reverse("account_login")).content.decode()
    assert "Đăng nhập bằng VNeID" in page
    assert reverse("openid_connect_login", kwargs={"provider_id": "vneid"}) in page


def test_a_newcomer_signs_up_through_vneid_with_its_verified_phone(client, vneid):
    response = through_vneid(client, vneid, PERSON)
    assert response["Location"] == reverse("socialaccount_signup")
    page = client.get(response["Location"]).content.decode()
    assert "0987 654 321" in page and "đã xác thực qua VNeID" in page
    assert 'name="phone"' not in page  # the number VNeID vouches for is not retyped
    response = client.post(reverse("socialaccount_signup"), {"consent_processing": "on"})
    assert response.status_code == 302
    user = User.objects.get()
    assert (user.phone, user.phone_verified, user.full_name) == ("+84987654321", True, "Phạm Thị Hoa")
    assert SocialAccount.objects.get(user=user).uid == "VNEID-0001"
    assert Consent.objects.filter(user=user, purpose="processing", granted=True).exists()
    assert client.session["_auth_user_id"] == str(user.pk)
    assert ("POST", "/token") in vneid.requests and ("GET", "/userinfo") in vneid.requests


def test_vneid_links_to_the_existing_account_with_the_same_verified_phone(client, vneid, make_user):
    existing = make_user(username="hoa", phone="+84987654321", phone_verified=True, full_name="Hoa")
    response = through_vneid(client, vneid, PERSON)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(existing.pk)
    assert SocialAccount.objects.get().user == existing
    assert User.objects.count() == 1
    # Next time, the link itself signs them in.
    client.post(reverse("account_logout"))
    through_vneid(client, vneid, PERSON)
    assert client.session["_auth_user_id"] == str(existing.pk)


def test_no_link_when_the_local_phone_was_never_verified(client, vneid, make_user):
    """A number typed at a sign-up that was never confirmed proves nothing: no link to that account."""
    stranger = make_user(username="x", phone="+84987654321", phone_verified=False)
    User.objects.filter(pk=stranger.pk).update(last_login="2025-01-01T00:00:00Z")  # not a pending sign-up
    response = through_vneid(client, vneid, PERSON)
    assert response["Location"] == reverse("socialaccount_signup")
    assert not SocialAccount.objects.exists()
    assert client.session.get("_auth_user_id") is None
    # Signing up, the number VNeID vouches for goes to the new account; the unproven claim ends.
    client.post(reverse("socialaccount_signup"), {})
    newcomer = SocialAccount.objects.get().user
    assert (newcomer.phone, newcomer.phone_verified) == ("+84987654321", True)
    stranger.refresh_from_db()
    assert stranger.phone is None


def test_no_link_when_vneid_does_not_vouch_for_the_phone(client, vneid, alice):
    person = {**PERSON, "phone_number": "0911000001", "phone_number_verified": False}
    response = through_vneid(client, vneid, person)
    assert response["Location"] == reverse("socialaccount_signup")
    assert client.session.get("_auth_user_id") is None
    page = client.get(reverse("socialaccount_signup")).content.decode()
    assert 'name="phone"' in page  # to be typed (prefilled) and confirmed by SMS


def test_without_a_verified_phone_the_number_is_confirmed_by_sms(client, vneid):
    person = {"sub": "VNEID-0002", "name": "Lê Minh"}
    through_vneid(client, vneid, person)
    response = client.post(reverse("socialaccount_signup"), {"phone": "0912 345 678"})
    assert response["Location"] == reverse("account_verify_phone")
    client.post(reverse("account_verify_phone"), {"code": last_code()})
    user = User.objects.get()
    assert user.phone_verified and SocialAccount.objects.get().user == user
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_provider_error_ends_on_a_vietnamese_page(client, vneid):
    vneid.person = PERSON
    response = client.get(
        reverse("openid_connect_callback", kwargs={"provider_id": "vneid"}), {"error": "access_denied", "state": "x"}
    )
    assert response.status_code in (200, 401)
    page = response.content.decode()
    assert "Không đăng nhập được" in page or "Đã hủy đăng nhập" in page
    assert client.session.get("_auth_user_id") is None
