"""Forms: allauth's account forms with Vietnamese labels and the project's SMS-code rules, and the
citizen's own forms (profile, consent, forgotten password, erasure)."""

import re

from allauth.account import forms as account_forms
from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.phone_verification import phone_already_exists
from allauth.core import context
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.totp import forms as mfa_totp_forms
from allauth.socialaccount import forms as social_forms
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from government.models import AdministrativeUnit, ResidentialGroup, UnitKind

from . import codes, limits, validators
from .consent import CONSENT_TEXTS
from .models import ConsentPurpose, Gender
from .phones import INVALID_PHONE, PhoneField, normalize_phone

PASSWORDS_DIFFER = _("Hai lần nhập mật khẩu không giống nhau.")
_LOOKS_LIKE_PHONE = re.compile(r"^[\d\s+.()\-]{6,}$")


def _relabel(field, label, help_text=None):
    field.label = label
    field.widget.attrs.pop("placeholder", None)
    if help_text is not None:
        field.help_text = help_text


def _password_help():
    return password_validation.password_validators_help_text_html()


class ConsentFieldsMixin:
    """One unticked box per purpose; each decision is recorded with the version of its text."""

    def add_consent_fields(self):
        for purpose in ConsentPurpose:
            text = CONSENT_TEXTS[purpose]
            self.fields[f"consent_{purpose.value}"] = forms.BooleanField(
                required=False, initial=False, label=text["label"], help_text=text["help"]
            )

    def consent_decisions(self):
        return {purpose: self.cleaned_data.get(f"consent_{purpose.value}", False) for purpose in ConsentPurpose}

    def consent_fields(self):
        return [self[f"consent_{purpose.value}"] for purpose in ConsentPurpose]


def _sms_limit_error(phone):
    """A ValidationError when no code may be sent to `phone` now (counts nothing)."""
    message = limits.check(context.request, phone)
    if message:
        raise ValidationError(message, code="sms_limit")


# --- Sign-up ------------------------------------------------------------------------------------


def _referral_field():
    return forms.CharField(
        label=_("Mã giới thiệu (không bắt buộc)"),
        max_length=24,
        required=False,
        help_text=_("Số điện thoại của người hướng dẫn bạn cài đặt (tổ công nghệ số, đoàn viên), hoặc mã chiến dịch."),
    )


class SignupForm(ConsentFieldsMixin, account_forms.SignupForm):
    """Phone number (required), password (optional), the helper's referral code (optional), and
    consent per purpose."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password1" in self.fields:
            _relabel(
                self.fields["password1"],
                _("Mật khẩu (không bắt buộc)"),
                _("Để trống nếu bạn muốn đăng nhập bằng mã gửi qua tin nhắn SMS."),
            )
        self.fields["referral_code"] = _referral_field()
        self.add_consent_fields()

    def clean_referral_code(self):
        value = self.cleaned_data.get("referral_code")
        return validators.validate_referral_code(value) if value else ""

    def clean(self):
        cleaned_data = super().clean()
        phone = cleaned_data.get("phone")
        if phone and "phone" not in self.errors:
            try:
                _sms_limit_error(phone)
            except ValidationError as exc:
                self.add_error("phone", exc)
        return cleaned_data

    def custom_signup(self, request, user):
        from . import services

        super().custom_signup(request, user)
        services.record_consents(user=user, decisions=self.consent_decisions())
        if self.cleaned_data.get("referral_code"):
            services.set_referral_code(user=user, code=self.cleaned_data["referral_code"])


class SocialSignupForm(ConsentFieldsMixin, social_forms.SignupForm):
    """Signing up through VNeID: the number VNeID vouches for is taken as is; otherwise the citizen
    types one and confirms it by SMS."""

    def _get_signup_fields(self, kwargs):
        # allauth's social form always says whether e-mail is required; the portal asks for none.
        signup_fields = account_forms.app_settings.SIGNUP_FIELDS
        if "email" not in signup_fields:
            kwargs.pop("email_required", None)
        return super()._get_signup_fields(kwargs)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.sociallogin.phone and self.sociallogin.phone_verified and "phone" in self.fields:
            del self.fields["phone"]
            self._has_phone_field = False
            self._signup_fields = {k: v for k, v in self._signup_fields.items() if k != "phone"}
        self.add_consent_fields()

    def custom_signup(self, request, user):
        from . import services

        super().custom_signup(request, user)
        services.record_consents(user=user, decisions=self.consent_decisions())


# --- Sign-in ------------------------------------------------------------------------------------


class LoginForm(account_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self.fields["login"], _("Số điện thoại (hoặc email, tên đăng nhập)"))
        self.fields["login"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        if "password" in self.fields:
            _relabel(self.fields["password"], _("Mật khẩu"))

    def clean_login(self):
        login = super().clean_login()
        # A number mistyped would otherwise be taken for a user name: say what is wrong with it.
        if _LOOKS_LIKE_PHONE.match(login) and normalize_phone(login) is None:
            raise ValidationError(INVALID_PHONE, code="invalid_phone")
        return login


class RequestLoginCodeForm(account_forms.RequestLoginCodeForm):
    """Sign-in by a code sent by SMS (phone only: the portal sends no e-mail codes)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("email", None)
        self.fields["phone"].required = True

    def clean_phone(self):
        phone = super().clean_phone()
        if phone:
            _sms_limit_error(phone)
        return phone


def _check_code(reference, phone, entered):
    result, tries_left = codes.check(reference, phone, entered)
    if result is codes.Check.OK:
        return
    if result is codes.Check.WRONG:
        if tries_left <= 0:
            raise ValidationError(codes.MESSAGES[codes.Check.TOO_MANY], code="too_many")
        raise ValidationError(codes.wrong_code_message(tries_left), code="incorrect_code")
    raise ValidationError(codes.MESSAGES[result], code=result.value)


class _CodeFieldMixin:
    def relabel_code(self):
        field = self.fields["code"]
        _relabel(field, _("Mã xác thực (6 chữ số)"))
        field.widget.attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "9"})


class ConfirmLoginCodeForm(_CodeFieldMixin, account_forms.ConfirmLoginCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.relabel_code()

    def clean_code(self):
        if not str(self.expected_code or "").startswith(codes.REF_PREFIX):
            return super().clean_code()
        code = self.cleaned_data["code"]
        _check_code(self.expected_code, None, code)
        return code


class VerifyPhoneForm(_CodeFieldMixin, account_forms.VerifyPhoneForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.relabel_code()

    def clean_code(self):
        code = self.cleaned_data["code"]
        # Before spending a try: could the number be taken at all?
        phone_already_exists(self.user, self.phone, always_raise=True)
        _check_code(self.expected_code, self.phone, code)
        return code


class ChangePhoneForm(account_forms.ChangePhoneForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self.fields["phone"], _("Số điện thoại mới"))

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if phone == self.phone:
            raise ValidationError(_("Số mới phải khác số hiện tại."), code="same_as_current")
        phone = super().clean_phone()
        _sms_limit_error(phone)
        return phone


# --- Passwords ----------------------------------------------------------------------------------


class _SamePasswordTwice:
    def clean(self):
        cleaned_data = super(account_forms.PasswordVerificationMixin, self).clean()
        password1, password2 = cleaned_data.get("password1"), cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", PASSWORDS_DIFFER)
        return cleaned_data


class ChangePasswordForm(_SamePasswordTwice, account_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self.fields["oldpassword"], _("Mật khẩu hiện tại"), "")
        _relabel(self.fields["password1"], _("Mật khẩu mới"), _password_help())
        _relabel(self.fields["password2"], _("Nhập lại mật khẩu mới"))


class SetPasswordForm(_SamePasswordTwice, account_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self.fields["password1"], _("Mật khẩu"), _password_help())
        _relabel(self.fields["password2"], _("Nhập lại mật khẩu"))


class ReauthenticateForm(account_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self.fields["password"], _("Mật khẩu"), "")


class AddEmailForm(account_forms.AddEmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self.fields["email"], _("Địa chỉ email"))


class ForgotPasswordForm(forms.Form):
    """Forgotten password: the account's phone number, to which a sign-in code is sent."""

    phone = PhoneField(label=_("Số điện thoại đã đăng ký"))

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        self.user = get_adapter().get_user_by_phone(phone)
        if self.user is None or not self.user.is_active:
            raise ValidationError(get_adapter().error_messages["unknown_phone"], code="unknown_phone")
        _sms_limit_error(phone)
        return phone


class NewPasswordForm(_SamePasswordTwice, account_forms.SetPasswordForm):
    """The new password after a forgotten one (the citizen has just signed in with an SMS code)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self.fields["password1"], _("Mật khẩu mới"), _password_help())
        _relabel(self.fields["password2"], _("Nhập lại mật khẩu mới"))


# --- Profile ------------------------------------------------------------------------------------


def _ward_choices():
    groups = {kind: [] for kind in UnitKind}
    for code, name, kind in AdministrativeUnit.objects.order_by("name", "code").values_list("code", "name", "kind"):
        groups[UnitKind(kind)].append((code, name))
    choices = [("", _("— Chọn phường, xã, đặc khu —"))]
    choices += [(kind.label, options) for kind, options in groups.items() if options]
    return choices


class ProfileForm(forms.Form):
    """Cập nhật thông tin cá nhân. Every field is optional; each code is checked against its format.

    Without JavaScript, the residential group list shows the groups of the ward saved (or posted);
    a group from another ward is refused with a message, and the list then offers the right ones.
    """

    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    gender = forms.ChoiceField(label=_("Giới tính"), choices=[("", "—"), *Gender.choices], required=False)
    date_of_birth = forms.DateField(
        label=_("Ngày sinh"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validators.validate_date_of_birth],
        error_messages={"invalid": _("Ngày sinh không hợp lệ.")},
    )
    # Plain fields with a select widget: the form says itself what is wrong with a posted value.
    ward = forms.CharField(label=_("Phường, xã, đặc khu nơi ở hiện nay"), required=False, widget=forms.Select)
    residential_group = forms.CharField(label=_("Tổ dân phố, thôn"), required=False, widget=forms.Select)
    street_address = forms.CharField(label=_("Số nhà, đường phố"), max_length=200, required=False)
    workplace_name = forms.CharField(label=_("Tên cơ quan, doanh nghiệp nơi làm việc"), max_length=200, required=False)
    workplace_address = forms.CharField(label=_("Địa chỉ cơ quan, doanh nghiệp"), max_length=255, required=False)
    referral_code = forms.CharField(
        label=_("Mã giới thiệu"),
        max_length=24,
        required=False,
        help_text=_("Số điện thoại của người hướng dẫn bạn cài đặt (tổ công nghệ số, đoàn viên), hoặc mã chiến dịch."),
    )
    evn_customer_code = forms.CharField(
        label=_("Mã khách hàng điện (EVN)"),
        max_length=20,
        required=False,
        help_text=_("13 ký tự, in trên hóa đơn tiền điện."),
    )
    social_insurance_number = forms.CharField(
        label=_("Mã số BHXH"), max_length=16, required=False, help_text=_("10 chữ số.")
    )
    tax_code = forms.CharField(
        label=_("Mã số thuế cá nhân"),
        max_length=20,
        required=False,
        help_text=_("10 chữ số, hoặc 12 chữ số định danh."),
    )
    health_insurance_number = forms.CharField(
        label=_("Mã thẻ BHYT"), max_length=20, required=False, help_text=_("15 ký tự in trên thẻ BHYT.")
    )
    citizen_id = forms.CharField(
        label=_("Số CCCD (căn cước)"),
        max_length=20,
        required=False,
        help_text=_("12 chữ số. Chỉ nhập số, không tải ảnh thẻ lên."),
    )

    CODE_VALIDATORS = {
        "referral_code": validators.validate_referral_code,
        "evn_customer_code": validators.validate_evn_customer_code,
        "social_insurance_number": validators.validate_social_insurance_number,
        "tax_code": validators.validate_tax_code,
        "health_insurance_number": validators.validate_health_insurance_number,
        "citizen_id": validators.validate_citizen_id,
    }
    NUMERIC = ("social_insurance_number", "citizen_id")

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["ward"].widget.choices = _ward_choices()
        ward_code = self.data.get(self.add_prefix("ward")) if self.is_bound else self.initial.get("ward")
        self.fields["residential_group"].widget.choices = self.group_choices(ward_code)
        # For static/js/citizens.js: where to fetch a ward's groups, and what to say meanwhile.
        self.fields["ward"].widget.attrs.update(
            {
                "data-groups-url": reverse("citizens:residential_groups"),
                "data-groups-target": self["residential_group"].auto_id,
                "data-groups-status": "group-status",
                "autocomplete": "off",
            }
        )
        self.fields["residential_group"].widget.attrs.update(
            {
                "data-pick": _("— Chọn tổ dân phố, thôn —"),
                "data-pick-ward": _("— Chọn phường, xã trước —"),
                "data-none": _("Phường, xã này chưa có danh sách tổ dân phố, thôn. Bạn có thể bỏ trống."),
                "data-error": _("Không tải được danh sách tổ dân phố. Hãy bấm Lưu, trang sẽ hiện danh sách đúng."),
            }
        )
        for name in self.NUMERIC:
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["street_address"].widget.attrs["autocomplete"] = "street-address"

    @staticmethod
    def group_choices(ward_code):
        groups = ResidentialGroup.objects.filter(unit_id=ward_code).order_by("name").values_list("pk", "name")
        placeholder = _("— Chọn tổ dân phố, thôn —") if ward_code else _("— Chọn phường, xã trước —")
        return [("", placeholder), *[(str(pk), name) for pk, name in groups]]

    @classmethod
    def initial_for(cls, user):
        profile = getattr(user, "profile", None)
        initial = {"full_name": user.full_name}
        if profile:
            for name in cls.base_fields:
                if name in ("full_name", "ward", "residential_group"):
                    continue
                initial[name] = getattr(profile, name) or ""
            initial["ward"] = profile.ward_id or ""
            initial["residential_group"] = str(profile.residential_group_id or "")
            initial["date_of_birth"] = profile.date_of_birth
        return initial

    def clean_ward(self):
        code = self.cleaned_data["ward"]
        if not code:
            return None
        ward = AdministrativeUnit.objects.filter(code=code).first()
        if ward is None:
            raise ValidationError(_("Hãy chọn phường, xã, đặc khu trong danh sách."), code="invalid_ward")
        return ward

    def clean(self):
        cleaned_data = super().clean()
        for name, validate in self.CODE_VALIDATORS.items():
            value = cleaned_data.get(name)
            if value:
                try:
                    cleaned_data[name] = validate(value)
                except ValidationError as exc:
                    self.add_error(name, exc)
        self._clean_group(cleaned_data)
        self._clean_cross_checks(cleaned_data)
        return cleaned_data

    def _clean_group(self, cleaned_data):
        ward = cleaned_data.get("ward")
        group_id = cleaned_data.get("residential_group")
        cleaned_data["residential_group"] = None
        if not group_id:
            return
        group = ResidentialGroup.objects.filter(pk=group_id if str(group_id).isdigit() else None).first()
        if ward is None or group is None or group.unit_id != ward.pk:
            self.add_error(
                "residential_group",
                ValidationError(
                    _("Tổ dân phố, thôn đã chọn không thuộc phường, xã đã chọn. Hãy chọn lại trong danh sách."),
                    code="group_not_in_ward",
                ),
            )
            return
        cleaned_data["residential_group"] = group

    def _clean_cross_checks(self, cleaned_data):
        citizen_id = cleaned_data.get("citizen_id")
        if citizen_id and "citizen_id" not in self.errors:
            for error in validators.check_citizen_id_against(
                citizen_id, date_of_birth=cleaned_data.get("date_of_birth"), gender=cleaned_data.get("gender")
            ):
                self.add_error("citizen_id", error)
            if (
                "citizen_id" not in self.errors
                and get_user_model().objects.filter(profile__citizen_id=citizen_id).exclude(pk=self.user.pk).exists()
            ):
                from .services import DUPLICATE_CITIZEN_ID

                self.add_error("citizen_id", ValidationError(DUPLICATE_CITIZEN_ID, code="duplicate_citizen_id"))
        bhxh, bhyt = cleaned_data.get("social_insurance_number"), cleaned_data.get("health_insurance_number")
        if (
            bhxh
            and bhyt
            and not self.has_error("social_insurance_number")
            and not self.has_error("health_insurance_number")
            and bhyt[-10:] != bhxh
        ):
            self.add_error(
                "health_insurance_number",
                ValidationError(
                    _("10 chữ số cuối của mã thẻ BHYT phải trùng với mã số BHXH (%(bhxh)s)."),
                    code="bhyt_bhxh_mismatch",
                    params={"bhxh": bhxh},
                ),
            )

    def profile_data(self):
        data = dict(self.cleaned_data)
        data["full_name"] = data.get("full_name") or ""
        for name in ("gender", *self.CODE_VALIDATORS, "street_address", "workplace_name", "workplace_address"):
            data[name] = data.get(name) or ""
        return data


# --- Privacy ------------------------------------------------------------------------------------


class ConsentForm(ConsentFieldsMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_consent_fields()


class EraseAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Tôi hiểu rằng tài khoản và thông tin cá nhân của tôi sẽ bị xóa vĩnh viễn, không thể khôi phục."),
        error_messages={"required": _("Hãy đánh dấu ô xác nhận để xóa tài khoản.")},
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if not self.user.check_password(password):
            raise ValidationError(_("Mật khẩu không đúng."), code="incorrect_password")
        return password


# --- Second factor (allauth.mfa) ------------------------------------------------------------------


class _TotpCodeLabel:
    def relabel_totp_code(self, label):
        field = self.fields["code"]
        _relabel(field, label)
        field.widget.attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code"})


class MFAAuthenticateForm(_TotpCodeLabel, mfa_base_forms.AuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.relabel_totp_code(_("Mã từ ứng dụng xác thực (hoặc một mã khôi phục)"))


class MFAReauthenticateForm(_TotpCodeLabel, mfa_base_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.relabel_totp_code(_("Mã từ ứng dụng xác thực"))


class ActivateTOTPForm(_TotpCodeLabel, mfa_totp_forms.ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.relabel_totp_code(_("Mã 6 chữ số hiện trên ứng dụng"))
