"""Citizen forms of publicservices (HTTP only: every write is a service)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from citizens.phones import PhoneField
from government.models import Agency, AgencyKind

from .files import ACCEPT_ATTRIBUTE, UploadError, check_upload
from .models import Attitude, Contacts, Level, Satisfaction


def _file_input():
    return forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE})


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm thủ tục"), required=False, max_length=100)
    linh_vuc = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    cap = forms.ChoiceField(label=_("Cấp thực hiện"), required=False, choices=[("", _("Tất cả")), *Level.choices])
    co_quan = forms.ChoiceField(label=_("Cơ quan thực hiện"), required=False)
    truc_tuyen = forms.BooleanField(label=_("Chỉ thủ tục nộp trực tuyến"), required=False)

    def __init__(self, *args, fields=(), agencies=(), **kwargs):
        """`fields`, `agencies`: (slug, name, ...) tuples, as publicservices.lists.catalogue_choices() gives."""
        super().__init__(*args, **kwargs)
        self.fields["linh_vuc"].choices = [("", _("Tất cả")), *[(slug, name) for slug, name, *_rest in fields]]
        self.fields["co_quan"].choices = [("", _("Tất cả")), *[(slug, name) for slug, name, *_rest in agencies]]


def catalogue_filters(data, *, fields=(), agencies=()):
    """(filters, the search box's text) of a catalogue request: what CatalogueFilterForm(data or
    None, fields=..., agencies=...) gives, its cleaned_data when valid and {} when not or when
    nothing was asked, with form["q"].value() for the box; without building the form (copying its
    five fields cost about 0.3 ms a request). tests/publicservices/test_compiled.py holds the two
    to the same answers."""
    if not data:
        return {}, ""
    shown = data.get("q") or ""
    query = data.get("q")
    query = "" if query in (None, "") else str(query).strip()
    if len(query) > CatalogueFilterForm.base_fields["q"].max_length or "\x00" in query:
        return {}, shown
    cleaned = {"q": query}
    allowed = {
        "linh_vuc": {slug for slug, *_rest in fields},
        "cap": set(Level.values),
        "co_quan": {slug for slug, *_rest in agencies},
    }
    for name, values in allowed.items():
        value = data.get(name)
        value = "" if value in (None, "") else str(value)
        if value and value not in values:
            return {}, shown
        cleaned[name] = value
    online = False
    if "truc_tuyen" in data:  # as CheckboxInput reads it
        online = data.get("truc_tuyen")
        if isinstance(online, str):
            online = {"true": True, "false": False}.get(online.lower(), online)
        online = bool(online)
    cleaned["truc_tuyen"] = online
    return cleaned, shown


class PhoneForm(forms.Form):
    phone = PhoneField(help_text=_("Chúng tôi gửi mã xác thực 6 chữ số tới số này."))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}),
    )


class DossierForm(forms.Form):
    """The dossier: applicant, then one upload per document of the procedure."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=36)
    name = forms.CharField(label=_("Họ và tên người nộp"), max_length=150, min_length=2)
    id_number = forms.RegexField(
        label=_("Số CCCD"),
        regex=r"^\d{12}$",
        required=False,
        max_length=12,
        error_messages={"invalid": _("Số CCCD gồm 12 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    address = forms.CharField(label=_("Địa chỉ liên hệ"), max_length=255, required=False)
    agency = forms.ModelChoiceField(
        label=_("Nơi nộp hồ sơ (UBND phường, xã)"), queryset=Agency.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, procedure, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.documents = documents
        self.initial.setdefault("idempotency_key", str(uuid.uuid4()))
        if procedure.agency_id:
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = Agency.objects.filter(kind=AgencyKind.WARD_COMMITTEE, is_active=True).only(
                "pk", "name"
            )
            self.fields["agency"].required = True
        for document in documents:
            self.fields[f"doc_{document.pk}"] = forms.FileField(
                label=document.name,
                required=document.required,
                widget=_file_input(),
                help_text=_("Bắt buộc. PDF, JPEG hoặc PNG.") if document.required else _("Nếu có. PDF, JPEG hoặc PNG."),
            )

    def document_fields(self):
        return [self[f"doc_{document.pk}"] for document in self.documents]

    def clean_idempotency_key(self):
        try:
            return str(uuid.UUID(self.cleaned_data["idempotency_key"]))
        except ValueError:
            raise forms.ValidationError(_("Biểu mẫu đã cũ. Vui lòng tải lại trang.")) from None

    def clean(self):
        data = super().clean()
        self.checked = {}
        for document in self.documents:
            upload = data.get(f"doc_{document.pk}")
            if upload:
                try:
                    self.checked[document.pk] = check_upload(upload)
                except UploadError as exc:
                    self.add_error(f"doc_{document.pk}", str(exc))
        return data


class SupplementForm(forms.Form):
    """One upload per item the desk asked for."""

    note = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for number, item in enumerate(items):
            self.fields[f"item_{number}"] = forms.FileField(label=item, required=False, widget=_file_input())

    def item_fields(self):
        return [self[f"item_{number}"] for number in range(len(self.items))]

    def clean(self):
        data = super().clean()
        self.checked = []
        for number, item in enumerate(self.items):
            upload = data.get(f"item_{number}")
            if upload:
                try:
                    self.checked.append((item, check_upload(upload)))
                except UploadError as exc:
                    self.add_error(f"item_{number}", str(exc))
        if not self.errors and not self.checked:
            raise forms.ValidationError(_("Vui lòng tải lên ít nhất một giấy tờ bổ sung."))
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Lý do rút hồ sơ"), required=False, max_length=500)


class RatingForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("Mức độ hài lòng"), choices=Satisfaction.choices, widget=forms.RadioSelect)
    on_time = forms.TypedChoiceField(
        label=_("Bạn nhận kết quả đúng hẹn?"),
        choices=[("1", _("Đúng hẹn")), ("0", _("Trễ hẹn"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    contacts = forms.TypedChoiceField(
        label=_("Bạn phải liên hệ bộ phận một cửa bao nhiêu lần?"),
        choices=Contacts.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    attitude = forms.ChoiceField(label=_("Thái độ của cán bộ"), choices=Attitude.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Góp ý thêm"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class LookupForm(forms.Form):
    ma = forms.CharField(label=_("Mã hồ sơ"), max_length=40, required=False)
    k = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
