"""The app's sign-in: allauth's headless API for the `app` client, with the web's rules.

allauth's headless views validate with inputs built on allauth's *base* forms, not on the forms the
portal configures (ACCOUNT_FORMS), so out of the box the app would skip what citizens.forms adds:
SMS codes checked by citizens.codes (hashed, single use, 5 tries: allauth's own comparison would
never match the reference it keeps), the SMS limits checked before a code is made, consent per
purpose at sign-up, phone numbers typed the Vietnamese way. `app_urlpatterns()` builds allauth's
URL patterns for the app client and swaps, in each view, allauth's input for one made of the
portal's own form; the rules stay in citizens.forms, written once.

A limit on SMS codes that stops a request half-way (a race for the last unit, or a password
sign-in whose phone needs verifying) is a 429 with the limit's message, in allauth's error format,
rather than the web's redirect (citizens.middleware).
"""

from allauth.core import context
from allauth.headless.account import inputs as allauth_inputs
from allauth.headless.base.views import APIView
from allauth.headless.constants import Client
from allauth.headless.internal.restkit.inputs import Input
from allauth.headless.internal.restkit.response import APIResponse
from allauth.headless.urls import build_urlpatterns
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver

from . import forms, limits, services
from .phones import PhoneField


class SignupInput(forms.ConsentFieldsMixin, allauth_inputs.SignupInput):
    """Phone (required), password (optional), and consent per purpose: the web's sign-up form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_consent_fields()

    def clean(self):
        cleaned_data = super().clean()
        phone = cleaned_data.get("phone")
        if phone and "phone" not in self.errors:
            message = limits.check(context.request, phone)
            if message:
                self.add_error("phone", ValidationError(message, code="sms_limit"))
        return cleaned_data

    def custom_signup(self, request, user):
        super().custom_signup(request, user)
        services.record_consents(user=user, decisions=self.consent_decisions())


class LoginInput(allauth_inputs.LoginInput):
    """Sign-in by password; the phone may be typed as 0912 345 678 (allauth's field wants +84...)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "phone" in self.fields:
            self.fields["phone"] = PhoneField(required=False)


class RequestLoginCodeInput(forms.RequestLoginCodeForm, Input):
    pass


class ConfirmLoginCodeInput(forms.ConfirmLoginCodeForm, Input):
    pass


class VerifyPhoneInput(forms.VerifyPhoneForm, Input):
    pass


class ChangePhoneInput(forms.ChangePhoneForm, Input):
    pass


INPUTS = {
    allauth_inputs.SignupInput: SignupInput,
    allauth_inputs.LoginInput: LoginInput,
    allauth_inputs.RequestLoginCodeInput: RequestLoginCodeInput,
    allauth_inputs.ConfirmLoginCodeInput: ConfirmLoginCodeInput,
    allauth_inputs.VerifyPhoneInput: VerifyPhoneInput,
    allauth_inputs.ChangePhoneInput: ChangePhoneInput,
}


class SmsLimitResponse(APIResponse):
    def __init__(self, request, message):
        super().__init__(request, errors=[{"message": str(message), "code": "sms_limit"}], status=429)


class SmsLimitMixin:
    """Answers a refused SMS code (citizens.limits) with a 429 carrying the limit's message."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except limits.SmsLimitReached as exc:
            return SmsLimitResponse(request, exc.message)


def _swapped_input(input_class):
    if isinstance(input_class, dict):
        return {method: INPUTS.get(cls, cls) for method, cls in input_class.items()}
    return INPUTS.get(input_class, input_class)


def _adapt(pattern):
    view_class = getattr(pattern.callback, "view_class", None)
    if view_class is None or not issubclass(view_class, APIView):
        return pattern
    attrs = {"__module__": __name__, "__doc__": view_class.__doc__}
    if view_class.input_class is not None:
        attrs["input_class"] = _swapped_input(view_class.input_class)
    adapted = type(view_class.__name__, (SmsLimitMixin, view_class), attrs)
    callback = adapted.as_api_view(**pattern.callback.view_initkwargs)
    return URLPattern(pattern.pattern, callback, pattern.default_args, pattern.name)


def _adapt_all(patterns):
    for index, pattern in enumerate(patterns):
        if isinstance(pattern, URLResolver):
            if isinstance(pattern.urlconf_name, list):
                _adapt_all(pattern.urlconf_name)
        else:
            patterns[index] = _adapt(pattern)
    return patterns


def app_urlpatterns():
    """allauth's headless URL patterns for the app client, with the portal's inputs."""
    return _adapt_all(build_urlpatterns(Client.APP))
