"""Forms of the officer site for PAKN (the 1022 centre's phone intake and caller lookup)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from citizens.phones import PhoneField
from government.models import AdministrativeUnit

from .models import Category, Urgency


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class IntakeForm(forms.Form):
    """A report phoned in to 1022: the caller's name and phone, the place, the category, the content."""

    caller_name = forms.CharField(label=_("Họ tên người gọi"), max_length=150)
    caller_phone = PhoneField(label=_("Số điện thoại người gọi"))
    category = CategoryChoiceField(
        label=_("Lĩnh vực"), queryset=Category.objects.filter(is_active=True).select_related("parent")
    )
    urgency = forms.ModelChoiceField(label=_("Mức độ khẩn cấp"), queryset=Urgency.objects.all(), required=False)
    unit = forms.ModelChoiceField(label=_("Phường, xã, đặc khu"), queryset=AdministrativeUnit.objects.all())
    address = forms.CharField(label=_("Địa chỉ, địa điểm"), max_length=255)
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    description = forms.CharField(
        label=_("Nội dung phản ánh"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    is_public = forms.BooleanField(label=_("Công khai phản ánh"), required=False, initial=True)
    hide_identity = forms.BooleanField(label=_("Người gọi đề nghị giữ bí mật danh tính"), required=False)
    # One key per form drawn: a double submit files the report once.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4().hex


class LookupForm(forms.Form):
    phone = PhoneField(label=_("Số điện thoại người gọi"))
