"""Vietnamese mobile numbers: what citizens type, and the E.164 form the database keeps.

0912 345 678, +84 912 345 678, 84912345678 and (+84) 912-345-678 are one number: +84912345678.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Mobile prefixes in use since the 2018 renumbering (03x, 05x, 07x, 08x, 09x), as nine digits after
# the country code.
_MOBILE = re.compile(r"^(?:3[2-9]|5[25689]|7[06-9]|8[1-9]|9\d)\d{7}$")
_SEPARATORS = re.compile(r"[\s.\-()]")

INVALID_PHONE = _(
    "Số điện thoại di động không hợp lệ. Nhập 10 chữ số bắt đầu bằng 0 (ví dụ 0912 345 678) hoặc dạng +84 912 345 678."
)


def normalize_phone(value):
    """The E.164 form (+84912345678) of a Vietnamese mobile number, or None when it is not one."""
    if not value:
        return None
    text = _SEPARATORS.sub("", str(value).strip())
    if text.startswith("+84"):
        national = text[3:]
    elif text.startswith("0084"):
        national = text[4:]
    elif text.startswith("84") and len(text) == 11:
        national = text[2:]
    elif text.startswith("0"):
        national = text[1:]
    else:
        return None
    if national.startswith("0"):  # +84 0912... typed with the trunk zero
        national = national[1:]
    if not _MOBILE.match(national):
        return None
    return "+84" + national


def display_phone(e164):
    """+84912345678 → 0912 345 678, the way people read their number."""
    if not e164 or not e164.startswith("+84"):
        return e164 or ""
    national = "0" + e164[3:]
    return f"{national[:4]} {national[4:7]} {national[7:]}"


class PhoneField(forms.CharField):
    """A Vietnamese mobile number; cleans to E.164."""

    default_error_messages = {"invalid": INVALID_PHONE}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Số điện thoại di động"))
        kwargs.setdefault("max_length", 24)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "placeholder": "0912 345 678"}
            ),
        )
        kwargs.pop("validators", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        phone = normalize_phone(value)
        if phone is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return phone
