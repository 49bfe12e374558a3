"""Citizen forms of the PAKN app. Validation only: the writes are in feedback.services."""

import uuid

from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from government import geo
from government.models import AdministrativeUnit

from . import photos as photo_pipeline
from .models import Report, Satisfaction
from .rules import DESCRIPTION_MIN_LENGTH, MAX_PHOTOS, TITLE_MIN_LENGTH, ReportActionError, check_point
from .selectors import (  # noqa: F401 (feedback.views still imports the two reads from here)
    PERIOD_DAYS,
    STATUS_GROUPS,
    FeedFilters,
    active_categories,
    active_urgencies,
)

VISIBILITY_CHOICES = [
    ("public", gettext_lazy("Công khai: mọi người xem được nội dung (không kèm tên, số điện thoại của bạn)")),
    ("private", gettext_lazy("Riêng tư: chỉ bạn và cơ quan xử lý xem được")),
]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Up to MAX_PHOTOS files; each becomes a ProcessedPhoto (checked, re-encoded) in the form."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": photo_pipeline.ACCEPT_ATTRIBUTE, "multiple": True})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("Tối đa %(count)s ảnh; bạn đã chọn %(chosen)s.") % {"count": MAX_PHOTOS, "chosen": len(files)}
            )
        return [super(MultiplePhotoField, self).clean(item, initial) for item in files]


def category_choices(categories):
    """Grouped choices: each top-level category with sub-categories becomes a group of them; one
    without sub-categories is an option of its own."""
    children = {}
    for category in categories:
        if category.parent_id:
            children.setdefault(category.parent_id, []).append(category)
    choices = [("", _("— Chọn lĩnh vực —"))]
    for category in categories:
        if category.parent_id:
            continue
        if children.get(category.pk):
            choices.append((category.name, [(str(child.pk), child.name) for child in children[category.pk]]))
        else:
            choices.append((str(category.pk), category.name))
    return choices


class ReportForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Lĩnh vực"))
    title = forms.CharField(
        label=gettext_lazy("Tiêu đề"),
        min_length=TITLE_MIN_LENGTH,
        max_length=Report._meta.get_field("title").max_length,
        help_text=gettext_lazy("Ví dụ: Ổ gà lớn trước số 12 Lạch Tray"),
    )
    description = forms.CharField(
        label=gettext_lazy("Nội dung phản ánh"),
        min_length=DESCRIPTION_MIN_LENGTH,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    urgency = forms.ChoiceField(label=gettext_lazy("Mức độ"), required=False)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    unit = forms.ChoiceField(
        label=gettext_lazy("Phường, xã, đặc khu"),
        required=False,
        help_text=gettext_lazy("Tự điền theo vị trí trên bản đồ; bạn có thể sửa lại."),
    )
    address = forms.CharField(
        label=gettext_lazy("Địa chỉ"),
        required=False,
        max_length=Report._meta.get_field("address").max_length,
        help_text=gettext_lazy("Số nhà, tên đường, tổ dân phố hoặc mô tả nơi xảy ra."),
    )
    photos = MultiplePhotoField(
        label=gettext_lazy("Ảnh (tối đa 5 ảnh JPEG, PNG, WEBP, HEIC)"),
        required=False,
        help_text=gettext_lazy("Thông tin vị trí và máy chụp trong ảnh được xóa trước khi lưu."),
    )
    visibility = forms.ChoiceField(
        label=gettext_lazy("Chế độ hiển thị"),
        choices=VISIBILITY_CHOICES,
        initial="public",
        widget=forms.RadioSelect,
    )
    hide_identity = forms.BooleanField(label=gettext_lazy("Ẩn danh tính của tôi với cơ quan xử lý"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=36)

    def __init__(self, *args, categories, urgencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = {str(category.pk): category for category in categories}
        self.urgencies = {str(urgency.pk): urgency for urgency in urgencies}
        self.fields["category"].choices = category_choices(categories)
        self.fields["category"].error_messages["invalid_choice"] = _(
            "Lĩnh vực không có trong danh sách. Vui lòng chọn lại."
        )
        self.fields["urgency"].choices = [("", _("Bình thường"))] + [
            (str(urgency.pk), urgency.name) for urgency in urgencies
        ]
        self.fields["unit"].choices = [("", _("— Chọn phường, xã —")), *geo.units_choices()]
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", str(uuid.uuid4()))
        self.processed_photos = []
        self.photo_gps = None
        self.place_errors = []

    def clean_category(self):
        category = self.categories.get(self.cleaned_data["category"])
        if category is None or (not category.parent_id and category.children_ids):
            # A category with sub-categories is a group heading, not a choice.
            raise forms.ValidationError(_("Lĩnh vực không có trong danh sách. Vui lòng chọn lại."))
        return category

    def clean_urgency(self):
        value = self.cleaned_data.get("urgency")
        return self.urgencies.get(value) if value else None

    def clean_idempotency_key(self):
        try:
            return str(uuid.UUID(self.cleaned_data["idempotency_key"]))
        except ValueError as exc:
            raise forms.ValidationError(_("Biểu mẫu không hợp lệ, vui lòng tải lại trang.")) from exc

    def clean_photos(self):
        processed, errors = [], []
        for number, upload in enumerate(self.cleaned_data.get("photos") or [], start=1):
            if upload.size > photo_pipeline.MAX_UPLOAD_BYTES:
                errors.append(
                    _("Ảnh %(number)s (%(name)s) quá lớn: tối đa %(size)s MB.")
                    % {
                        "number": number,
                        "name": upload.name,
                        "size": photo_pipeline.MAX_UPLOAD_BYTES // (1024 * 1024),
                    }
                )
                continue
            try:
                photo = photo_pipeline.process(upload)
            except photo_pipeline.PhotoError as exc:
                errors.append(
                    _("Ảnh %(number)s (%(name)s): %(reason)s") % {"number": number, "name": upload.name, "reason": exc}
                )
                continue
            processed.append(photo)
        if errors:
            raise forms.ValidationError(errors)
        self.processed_photos = processed
        if processed and processed[0].gps:
            self.photo_gps = processed[0].gps
        return processed

    def clean(self):
        cleaned = super().clean()
        lat, lng = cleaned.get("lat"), cleaned.get("lng")
        if "lat" in self.errors or "lng" in self.errors:
            return cleaned
        try:
            point_unit = check_point(lat, lng)
        except ReportActionError as exc:
            self.add_error("lat", exc.message)
            return cleaned
        code = cleaned.get("unit")
        unit = AdministrativeUnit.objects.filter(code=code).first() if code else point_unit
        if unit is None:
            self.add_error("unit", _("Vui lòng chọn phường, xã hoặc đánh dấu vị trí trên bản đồ."))
        cleaned["unit"] = unit
        return cleaned

    def submit_arguments(self):
        data = self.cleaned_data
        return {
            "category": data["category"],
            "urgency": data.get("urgency"),
            "title": data["title"],
            "description": data["description"],
            "unit": data["unit"],
            "lat": data.get("lat"),
            "lng": data.get("lng"),
            "address": data.get("address", ""),
            "is_public": data["visibility"] == "public",
            "hide_identity": data.get("hide_identity", False),
            "photos": self.processed_photos,
            "idempotency_key": data["idempotency_key"],
        }


STATUS_FILTER_CHOICES = [
    ("", gettext_lazy("Tất cả")),
    ("dang-xu-ly", gettext_lazy("Đang xử lý")),
    ("da-tra-loi", gettext_lazy("Đã trả lời")),
    ("da-dong", gettext_lazy("Đã đóng")),
]
PERIOD_FILTER_CHOICES = [
    ("", gettext_lazy("Mọi lúc")),
    ("7", gettext_lazy("7 ngày qua")),
    ("30", gettext_lazy("30 ngày qua")),
    ("365", gettext_lazy("12 tháng qua")),
]


_OPTIONS_HTML = {}
_TEXT_CHOICES = {}  # (id of a choices list, language): (the list, its pairs as text)


def _options(choices, current):
    """The <option>s of these choices, `current` selected. Escaping a hundred-odd wards on every
    feed page cost more than a row of reports, so the options of each distinct list (its labels
    are in one language) are built once and the choice is marked afterwards. A tuple of text
    pairs is its own key (the form's category and ward lists); lazy labels are made text first."""
    if not isinstance(choices, tuple):  # a list with lazy labels: made text once per language
        key = (id(choices), get_language())
        kept = _TEXT_CHOICES.get(key)
        if kept is None or kept[0] is not choices:  # the list is kept too, so its id stays its own
            kept = _TEXT_CHOICES[key] = (choices, tuple((str(value), str(label)) for value, label in choices))
        choices = kept[1]
    html = _OPTIONS_HTML.get(choices)
    if html is None:
        if len(_OPTIONS_HTML) >= 64:  # categories renamed, languages: a few lists at a time
            _OPTIONS_HTML.clear()
        # Every value and label is escaped here.
        html = _OPTIONS_HTML[choices] = "".join(
            f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in choices
        )
    start = f'<option value="{escape(current)}"'  # values are unique: at most one is chosen
    html = html.replace(f"{start}>", f"{start} selected>", 1)
    return mark_safe(html)  # noqa: S308


class FeedFilterForm:
    """The feed's filters from the query string: category, ward, status group, period, search.

    Not a django.forms.Form on purpose: every value is a choice from a known list or a short
    search text, an unknown value is simply ignored (a shared link never breaks), and the form
    machinery with a hundred-odd wards would cost more than the rest of the feed.
    """

    QUERY_MAX_LENGTH = 100

    def __init__(self, params, *, categories):
        """`categories`: selectors.feed_categories()."""
        self.category_ids, self.category_names = categories.ids, categories.names
        self.category_choices = (("", _("Tất cả")), *categories.choices)
        self.unit_choices = (("", _("Tất cả")), *geo.units_choices())
        params = params or {}
        unit = params.get("unit", "")
        self.values = {
            # PostgreSQL refuses a NUL in a text parameter; no search means one.
            "q": (params.get("q") or "").replace("\x00", "").strip()[: self.QUERY_MAX_LENGTH],
            "category": params.get("category", "") if params.get("category", "") in self.category_ids else "",
            "unit": unit if unit and any(code == unit for code, _name in self.unit_choices) else "",
            "status": params.get("status", "") if params.get("status", "") in STATUS_GROUPS else "",
            "period": params.get("period", "") if params.get("period", "") in PERIOD_DAYS else "",
        }

    def options_html(self):
        """The <option> lists of the four selects, the current value selected."""
        return {
            "category": _options(self.category_choices, self.values["category"]),
            "unit": _options(self.unit_choices, self.values["unit"]),
            "status": _options(STATUS_FILTER_CHOICES, self.values["status"]),
            "period": _options(PERIOD_FILTER_CHOICES, self.values["period"]),
        }

    def filters(self):
        return FeedFilters(
            category_ids=self.category_ids.get(self.values["category"], ()),
            unit_code=self.values["unit"],
            status=self.values["status"],
            period=self.values["period"],
            query=self.values["q"],
        )


class RatingForm(forms.Form):
    score = forms.ChoiceField(
        label=gettext_lazy("Bạn có hài lòng với trả lời?"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=gettext_lazy("Nhận xét (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Vì sao vấn đề chưa được giải quyết?"),
        min_length=DESCRIPTION_MIN_LENGTH,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
