"""Forms of news: HTTP input only; every rule that crosses rows lives in news.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from feedback import photos as photo_pipeline
from government import geo

from .models import ArticleCategory, OutageKind, ScheduleKind, UtilityKind

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


def ward_choices():
    return geo.units_choices()


class WardsField(forms.MultipleChoiceField):
    widget = forms.SelectMultiple(attrs={"size": 6})

    def __init__(self, **kwargs):
        super().__init__(choices=ward_choices, **kwargs)


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    summary = forms.CharField(label=_("Tóm tắt"), max_length=400, widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(
        label=_("Nội dung"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 14, "class": "rich-body"}),
        help_text=_("Được dùng: đậm, nghiêng, tiêu đề, danh sách, trích dẫn, liên kết http(s)."),
    )
    category = forms.ChoiceField(label=_("Chuyên mục"), choices=ArticleCategory.choices)
    is_citywide = forms.BooleanField(label=_("Tin toàn thành phố"), required=False, initial=True)
    wards = WardsField(label=_("Hoặc cho các phường, xã"), required=False)
    picture = forms.FileField(
        label=_("Ảnh minh họa"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": photo_pipeline.ACCEPT_ATTRIBUTE}),
    )
    picture_caption = forms.CharField(label=_("Chú thích ảnh"), max_length=200, required=False)
    author_name = forms.CharField(label=_("Tên tác giả hiển thị"), max_length=150, required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_picture(self):
        upload = self.cleaned_data.get("picture")
        if not upload:
            return None
        try:
            return photo_pipeline.process(upload)
        except photo_pipeline.PhotoError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        data = super().clean()
        if not data.get("is_citywide") and not data.get("wards"):
            self.add_error("wards", _("Hãy chọn tin toàn thành phố hoặc ít nhất một phường, xã."))
        return data


class PublishForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Hẹn giờ xuất bản"),
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=DATETIME_INPUT,
        help_text=_("Để trống để xuất bản ngay."),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CorrectionForm(forms.Form):
    note = forms.CharField(label=_("Nội dung đính chính"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=160)
    body = forms.CharField(label=_("Nội dung"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    wards = WardsField(label=_("Gửi đến phường, xã"), required=False)
    is_urgent = forms.BooleanField(
        label=_("Khẩn: gửi cả tin nhắn SMS"),
        required=False,
        help_text=_("Chỉ gửi cho người đã đồng ý nhận thông báo, trong hạn mức tin nhắn mỗi ngày."),
    )
    expires_at = forms.DateTimeField(
        label=_("Hiển thị đến"), required=False, input_formats=DATETIME_FORMATS, widget=DATETIME_INPUT
    )


class ScheduleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại lịch"), choices=ScheduleKind.choices)
    title = forms.CharField(label=_("Nội dung"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Bắt đầu"), input_formats=DATETIME_FORMATS, widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=_("Kết thúc"), input_formats=DATETIME_FORMATS, widget=DATETIME_INPUT)
    place = forms.CharField(label=_("Địa điểm"), max_length=255)
    host = forms.CharField(label=_("Người tiếp"), max_length=255)
    ward = forms.ChoiceField(label=_("Phường, xã"), required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].choices = [("", _("Thành phố")), *ward_choices()]


class OutageForm(forms.Form):
    company = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int)
    utility = forms.ChoiceField(label=_("Dịch vụ"), choices=UtilityKind.choices)
    kind = forms.ChoiceField(label=_("Loại"), choices=OutageKind.choices)
    starts_at = forms.DateTimeField(label=_("Từ"), input_formats=DATETIME_FORMATS, widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(
        label=_("Đến (dự kiến có lại)"), input_formats=DATETIME_FORMATS, widget=DATETIME_INPUT
    )
    area = forms.CharField(label=_("Khu vực"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    wards = WardsField(label=_("Phường, xã"), required=False)
    places = forms.CharField(
        label=_("Trạm biến áp, đường phố"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một trạm biến áp hoặc một đường phố, đúng như in trên hóa đơn."),
    )
    reason = forms.CharField(label=_("Lý do"), max_length=300)

    def __init__(self, *args, companies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].choices = [(agency.pk, agency.name) for agency in companies]


class OutageImportForm(forms.Form):
    company = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int)
    file = forms.FileField(label=_("Tệp CSV"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))

    def __init__(self, *args, companies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].choices = [(agency.pk, agency.name) for agency in companies]


class OutageFollowForm(forms.Form):
    substation = forms.CharField(label=_("Trạm biến áp"), max_length=120, required=False)
    street = forms.CharField(label=_("Đường phố"), max_length=120, required=False)
