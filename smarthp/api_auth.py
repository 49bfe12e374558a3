"""Who is asking the REST API v1, and how often: authentication and throttles.

Kept apart from smarthp.api because DRF imports these classes (DEFAULT_AUTHENTICATION_CLASSES,
DEFAULT_THROTTLE_CLASSES) while rest_framework.views itself is being imported: this module must
not import it back.
"""

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy
from rest_framework import authentication, exceptions, throttling
from rest_framework.settings import api_settings

SECOND_FACTOR_REQUIRED = gettext_lazy(
    "Tài khoản cán bộ phải bật xác thực hai lớp (ứng dụng xác thực) trước khi dùng API. "
    "Hãy đăng nhập trang cán bộ để bật."
)


class SecondFactorRequired(exceptions.PermissionDenied):
    default_code = "second_factor_required"

    def __init__(self):
        super().__init__(detail=str(SECOND_FACTOR_REQUIRED), code=self.default_code)


# --- Authentication ----------------------------------------------------------------------------


def _refuse_officer_without_second_factor(user):
    """Officers sign in with a second factor (DESIGN §4): one whose account has none yet may not use
    the API, whichever way they signed in. One query, for citizens too (no membership: allowed)."""
    from allauth.mfa.models import Authenticator

    from government.models import Membership

    User = get_user_model()
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            officer=Exists(Membership.objects.active().filter(user=OuterRef("pk"))),
            totp=Exists(Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)),
        )
        .values_list("officer", "totp")
        .first()
    )
    if row and row[0] and not row[1]:
        raise SecondFactorRequired()


class SessionTokenAuthentication(XSessionTokenAuthentication):
    """allauth headless's session token (header X-Session-Token), as the app client gets it from
    /_allauth/app/v1/auth/...: no cookie, so no CSRF check either."""

    def authenticate(self, request):
        token = self.get_session_token(request)
        if not token:
            return None
        found = super().authenticate(request)
        if found is None:
            raise exceptions.AuthenticationFailed()
        user, _session = found
        if not user.is_active:
            raise exceptions.AuthenticationFailed()
        _refuse_officer_without_second_factor(user)
        return found

    def authenticate_header(self, request):
        return "X-Session-Token"


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session cookie, with DRF's CSRF check on unsafe methods."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:
            _refuse_officer_without_second_factor(found[0])
        return found

    def authenticate_header(self, request):
        # A 401 (not 403) for a request without credentials, so that clients know to sign in.
        return "X-Session-Token"


# --- Throttles ---------------------------------------------------------------------------------


class _SettingsRate:
    """Rates read from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] when used, not when imported."""

    def get_rate(self):
        rates = api_settings.DEFAULT_THROTTLE_RATES or {}
        return rates.get(self.scope)


class ClientRateThrottle(_SettingsRate, throttling.SimpleRateThrottle):
    """Per client address (behind a proxy: REST_FRAMEWORK["NUM_PROXIES"] hops back), signed in or not."""

    scope = "api_client"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserRateThrottle(_SettingsRate, throttling.SimpleRateThrottle):
    """Per signed-in user, whatever address or device they come from."""

    scope = "api_user"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class WriteRateThrottle(UserRateThrottle):
    """Filing things (a report): fewer per user than reads."""

    scope = "api_write"

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)
