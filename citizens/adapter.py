"""The project's allauth adapters: phone storage on citizens.User, SMS codes, Vietnamese messages,
where people land after signing in, and VNeID (OpenID Connect) account linking by verified phone."""

import re
import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import codes, limits, services, sms
from .phones import PhoneField, normalize_phone

ACCOUNT_ERRORS = {
    "account_inactive": _("Tài khoản này đang bị khóa."),
    "cannot_remove_primary_email": _("Bạn không thể xóa địa chỉ email chính."),
    "duplicate_email": _("Địa chỉ email này đã gắn với tài khoản của bạn."),
    "email_password_mismatch": _("Email hoặc mật khẩu không đúng."),
    "phone_password_mismatch": _("Số điện thoại hoặc mật khẩu không đúng."),
    "email_taken": _("Địa chỉ email này đã được một tài khoản khác sử dụng."),
    "enter_current_password": _("Mật khẩu hiện tại không đúng."),
    "incorrect_code": _("Mã không đúng."),
    "incorrect_password": _("Mật khẩu không đúng."),
    "invalid_or_expired_key": _("Liên kết không hợp lệ hoặc đã hết hạn."),
    "invalid_login": _("Thông tin đăng nhập không hợp lệ."),
    "invalid_password_reset": _("Liên kết đặt lại mật khẩu không hợp lệ hoặc đã hết hạn."),
    "max_email_addresses": _("Bạn không thể thêm quá %d địa chỉ email."),
    "phone_taken": _(
        "Số điện thoại này đã được đăng ký. Hãy đăng nhập, hoặc chọn “Quên mật khẩu” nếu bạn không nhớ mật khẩu."
    ),
    "too_many_login_attempts": _("Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau 5 phút."),
    "unknown_email": _("Địa chỉ email này chưa gắn với tài khoản nào."),
    "unknown_phone": _("Số điện thoại này chưa đăng ký tài khoản. Hãy đăng ký tài khoản mới."),
    "unverified_primary_email": _("Email chính của bạn cần được xác minh trước."),
    "username_blacklisted": _("Không thể dùng tên đăng nhập này."),
    "username_password_mismatch": _("Tên đăng nhập hoặc mật khẩu không đúng."),
    "username_taken": _("Tên đăng nhập này đã có người dùng."),
    "select_only_one": _("Chỉ chọn một."),
    "same_as_current": _("Giá trị mới phải khác giá trị hiện tại."),
    "rate_limited": _("Bạn thao tác quá nhanh. Vui lòng đợi một lát rồi thử lại."),
}

SOCIAL_ERRORS = {
    "email_taken": _(
        "Địa chỉ email này đã gắn với một tài khoản khác. Hãy đăng nhập tài khoản đó rồi liên kết với %s."
    ),
    "invalid_token": _("Mã xác thực không hợp lệ."),
    "no_password": _("Tài khoản của bạn chưa có mật khẩu."),
    "no_verified_email": _("Tài khoản của bạn chưa có email đã xác minh."),
    "disconnect_last": _("Bạn không thể hủy liên kết cuối cùng khi tài khoản chưa có mật khẩu."),
    "connected_other": _("Tài khoản VNeID này đã liên kết với một tài khoản khác."),
}

# The request attribute holding codes made in this request, until the SMS carrying them is sent.
_PENDING_CODES = "_citizens_sms_codes"


class AccountAdapter(DefaultAccountAdapter):
    error_messages = ACCOUNT_ERRORS

    def __init__(self, request=None):
        super().__init__(request)
        reason = getattr(context.request, "_citizens_sms_limit", None)
        if reason:
            # allauth's resend views report any RateLimited as "rate_limited": say which limit it was.
            self.error_messages = {**ACCOUNT_ERRORS, "rate_limited": reason}

    # --- Phone numbers live on citizens.User (E.164) ---

    def phone_form_field(self, **kwargs):
        kwargs["label"] = _("Số điện thoại di động")
        return PhoneField(**kwargs)

    def clean_phone(self, phone):
        return normalize_phone(phone) or phone

    def get_user_by_phone(self, phone):
        """The account holding `phone`, leaving out sign-ups that never verified it: such a number is
        free to register again (the stale sign-up is removed then)."""
        phone = normalize_phone(phone)
        if not phone:
            return None
        return get_user_model().objects.holding_phone(phone).first()

    def get_phone(self, user):
        if not user.phone:
            return None
        return user.phone, user.phone_verified

    def set_phone(self, user, phone, verified):
        services.set_phone(user=user, phone=normalize_phone(phone) or phone, verified=verified)

    def set_phone_verified(self, user, phone):
        services.set_phone(user=user, phone=normalize_phone(phone) or phone, verified=True)

    # --- SMS codes ---

    def generate_phone_verification_code(self, *, user, phone):
        """Apply the SMS limits, then issue a code. allauth keeps the returned reference in the
        session; the code itself only travels to send_verification_code_sms in this request."""
        request = context.request
        pending = getattr(request, _PENDING_CODES, {})
        for reference, (pending_phone, _code) in pending.items():
            # allauth's resend of a sign-in code asks twice before sending once: one code, one count.
            if pending_phone == phone:
                return reference
        try:
            limits.consume(request, phone)
        except limits.SmsLimitReached as exc:
            request._citizens_sms_limit = exc.message
            raise
        reference, code = codes.issue(phone)
        pending[reference] = (phone, code)
        setattr(request, _PENDING_CODES, pending)
        return reference

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        issued = getattr(context.request, _PENDING_CODES, {}).pop(code, None)
        if issued is None:
            raise RuntimeError("send_verification_code_sms called without a code issued in this request")
        _phone, code = issued
        text = settings.SMS_CODE_TEMPLATE.format(code=code)
        try:
            sms.send_sms(phone, text)
        except sms.SmsBudgetExhausted:
            context.request._citizens_sms_limit = limits.BUDGET_MESSAGE
            raise limits.SmsLimitReached(limits.BUDGET_MESSAGE) from None

    def send_unknown_account_sms(self, phone, **kwargs):
        # Not sent: a message to a number with no account would cost budget and help nobody.
        pass

    def send_account_already_exists_sms(self, phone):
        pass

    # --- Accounts ---

    def populate_username(self, request, user):
        """Citizens never see a user name: give them a random one (officers get theirs from the admin)."""
        if user.username:
            return
        User = get_user_model()
        while True:
            candidate = f"cd{secrets.token_hex(6)}"
            if not User.objects.filter(username=candidate).exists():
                user.username = candidate
                return

    def save_user(self, request, user, form, commit=True):
        with transaction.atomic():
            return super().save_user(request, user, form, commit=commit)

    def _get_login_attempts_cache_key(self, request, **credentials):
        """The failed-login counter's key: one per account whatever way the login was typed.

        allauth builds it from `email` or `username` only, so phone logins would all share one key,
        and 0912 345 678 and 0912345678 would count apart.
        """
        login = credentials.get("phone") or credentials.get("email") or credentials.get("username") or ""
        login = normalize_phone(login) or re.sub(r"\s+", "", login).lower()
        return f"login:{login}"

    def get_login_stages(self):
        ours = {"allauth.account.stages.PhoneVerificationStage": "citizens.stages.PhoneVerificationStage"}
        return [ours.get(path, path) for path in super().get_login_stages()]

    def get_login_redirect_url(self, request):
        """Officers land on the officer site; citizens on the home page (or where `next` says)."""
        from government.access import memberships_of

        if memberships_of(request.user).exists():
            return reverse("government:officer_home")
        return super().get_login_redirect_url(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """VNeID through allauth's OpenID Connect provider.

    The phone number comes from the standard claims `phone_number` and `phone_number_verified`. When
    VNeID vouches for a number that a local account has verified by SMS, the two are linked and the
    person signs in to that account: both proved they hold the same number.
    """

    error_messages = SOCIAL_ERRORS

    @staticmethod
    def claims(sociallogin):
        data = sociallogin.account.extra_data or {}
        return data.get("userinfo") or data.get("id_token") or data

    def pre_social_login(self, request, sociallogin):
        claims = self.claims(sociallogin)
        phone = normalize_phone(claims.get("phone_number"))
        verified = phone is not None and claims.get("phone_number_verified") in (True, "true", "True", 1)
        # Only a number VNeID vouches for is stored as is; any other only fills in the signup form,
        # and is verified by SMS like a number typed by hand.
        sociallogin.phone = phone if verified else None
        sociallogin.phone_verified = verified
        if phone and not verified:
            sociallogin.state["claimed_phone"] = phone
        if sociallogin.is_existing or not verified:
            return
        owner = get_user_model().objects.filter(phone=phone, phone_verified=True, is_active=True).first()
        if owner is not None:
            sociallogin.connect(request, owner)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(filter(None, [data.get("last_name"), data.get("first_name")]))
        user.full_name = (name or "").strip()[:150]
        return user

    def get_signup_form_initial_data(self, sociallogin):
        initial = super().get_signup_form_initial_data(sociallogin)
        phone = sociallogin.phone or sociallogin.state.get("claimed_phone")
        if phone:
            initial["phone"] = phone
        return initial


class MFAAdapter(DefaultMFAAdapter):
    """Second factor (TOTP and recovery codes): Vietnamese messages; officers cannot switch it off."""

    error_messages = {
        "add_email_blocked": _("Không thể thêm email cho tài khoản đang bật xác thực hai lớp."),
        "cannot_delete_authenticator": _("Tài khoản cán bộ bắt buộc dùng xác thực hai lớp, không thể tắt."),
        "cannot_generate_recovery_codes": _("Hãy bật xác thực hai lớp trước khi tạo mã khôi phục."),
        "incorrect_code": _("Mã không đúng."),
        "unverified_email": _("Hãy xác minh địa chỉ email của bạn trước khi bật xác thực hai lớp."),
    }

    def can_delete_authenticator(self, authenticator):
        from government.access import memberships_of

        if memberships_of(authenticator.user).exists():
            return False
        return super().can_delete_authenticator(authenticator)
