"""Forms of the places pages (HTTP only: the rules live in utilities.services.common)."""

import functools
import html

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from government import geo

from . import kinds
from .models import PlaceKind, PlaceReportStatus, Problem

MAX_IMPORT_BYTES = 10 * 1024 * 1024


def kind_choices(blank_label):
    choices = [("", blank_label)]
    for group, members in kinds.GROUPS:
        choices.append((str(group), [(kinds.SLUGS[kind], kind.label) for kind in members]))
    return choices


UNIT_BLANK = _("— Chọn phường, xã —")


def unit_choices():
    return [("", UNIT_BLANK), *geo.units_choices()]


def options_html(choices, selected):
    """The <option>s (and <optgroup>s) of `choices`, `selected` marked: as a string built here, since
    Django's widget templates cost a millisecond per ten options and the ward list has 115."""
    return _selected(_options(_frozen(choices)), selected)


def kind_options(blank_label, selected):
    """options_html of kind_choices(blank_label): the kinds' names translated once per language."""
    return _selected(_options(_kind_choices(get_language(), str(blank_label))), selected)


def unit_options(selected):
    """options_html of unit_choices(): the wards' names are plain text already, nothing to translate."""
    return _selected(_options((("", str(UNIT_BLANK)), *geo.units_choices())), selected)


@functools.lru_cache(maxsize=16)
def _kind_choices(language, blank_label):
    # The kinds and their groups are the code's own (PlaceKind): only the language changes their text.
    return _frozen(kind_choices(blank_label))


def _selected(text, selected):
    option = f'<option value="{html.escape(str(selected or ""))}">'
    text = text.replace(option, option[:-1] + " selected>", 1)
    return mark_safe(text)  # noqa: S308 - every value and label is escaped in _options


def _frozen(choices):
    """`choices` as nested tuples of text (labels translated now): the key of _options."""
    return tuple(
        (str(value), _frozen(label) if isinstance(label, list | tuple) else str(label)) for value, label in choices
    )


@functools.lru_cache(maxsize=64)
def _options(choices):
    # Keyed by the choices' own text, so a renamed ward or another language is another entry:
    # nothing to invalidate. The few lists (kinds, wards, in two languages) are escaped once.
    parts = []
    for value, label in choices:
        if isinstance(label, tuple):
            parts.append(f'<optgroup label="{html.escape(value)}">{_options(label)}</optgroup>')
        else:
            parts.append(f'<option value="{html.escape(value)}">{html.escape(label)}</option>')
    return "".join(parts)


class NearForm(forms.Form):
    """Near a point (the browser's location, a tap on the map) or near a ward chosen from the list."""

    # Checked against the kinds and the wards in clean_*, not by ChoiceFields: the page draws its
    # selects itself (options()), and a ChoiceField normalises its 130 choices on every form made.
    loai = forms.CharField(label=_("Loại địa điểm cần tìm"), required=False, max_length=40)
    phuong = forms.CharField(label=_("Gần phường, xã"), required=False, max_length=5)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)

    def clean_loai(self):
        value = self.cleaned_data["loai"]
        if value and kinds.kind_of(value) is None:
            raise forms.ValidationError(_("Không có loại địa điểm này."), code="invalid_choice")
        return value

    def clean_phuong(self):
        value = self.cleaned_data["phuong"]
        if value and value not in dict(geo.units_choices()):
            raise forms.ValidationError(_("Không có phường, xã này."), code="invalid_choice")
        return value

    @property
    def kind(self):
        return kinds.kind_of(self.cleaned_data.get("loai")) if self.is_valid() else None

    def options(self):
        """{"loai": ..., "phuong": ...}: the selects' options with the value asked for selected."""
        data = self.data if self.is_bound else {}
        # From the plain lists, not the fields' `choices`: Django normalises those again on each read.
        return {
            "loai": kind_options(_("Mọi loại địa điểm"), data.get("loai", "")),
            "phuong": unit_options(data.get("phuong", "")),
        }


class WardLookupForm(forms.Form):
    lat = forms.FloatField(
        label=_("Vĩ độ"), min_value=-90, max_value=90, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    lng = forms.FloatField(
        label=_("Kinh độ"), min_value=-180, max_value=180, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lat"].help_text = _("Ví dụ 20.8400")
        self.fields["lng"].help_text = _("Ví dụ 106.6790")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm địa điểm"), required=False, max_length=100)
    loai = forms.ChoiceField(label=_("Loại"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loai"].choices = kind_choices(_("Mọi loại"))


class ReportPlaceForm(forms.Form):
    problem = forms.ChoiceField(label=_("Thông tin nào bị sai?"), choices=Problem.choices, widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Mô tả thêm (không bắt buộc)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: số điện thoại đúng, giờ mở cửa thực tế."),
    )


class PlaceForm(forms.Form):
    """An editor's place; `version` is the place's version the form was read at."""

    name = forms.CharField(label=_("Tên"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=PlaceKind.choices)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    lat = forms.FloatField(label=_("Vĩ độ"), widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    lng = forms.FloatField(label=_("Kinh độ"), widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    opening_hours = forms.CharField(
        label=_("Giờ mở cửa"),
        max_length=255,
        required=False,
        help_text=_("Cú pháp opening_hours của OpenStreetMap, ví dụ: Mo-Sa 07:00-21:00; Su 08:00-12:00; PH off"),
    )
    website = forms.CharField(label=_("Trang web"), max_length=300, required=False)
    note = forms.CharField(label=_("Ghi chú ngắn"), max_length=300, required=False)
    is_active = forms.BooleanField(label=_("Hiển thị cho người dân"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def place_fields(self):
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("is_active", None)
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp GeoJSON hoặc CSV"),
        help_text=_(
            "GeoJSON xuất từ OpenStreetMap (thẻ là thuộc tính), hoặc CSV có các cột source_id, name, kind, lat, lng."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Tệp lớn quá 10 MB."))
        name = upload.name.lower()
        if not name.endswith((".geojson", ".json", ".csv")):
            raise forms.ValidationError(_("Chỉ nhận tệp .geojson, .json hoặc .csv."))
        return upload


class HandleReportForm(forms.Form):
    status = forms.ChoiceField(choices=[(PlaceReportStatus.FIXED, ""), (PlaceReportStatus.DISMISSED, "")])
