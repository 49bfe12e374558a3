"""Officer forms of publicservices."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .files import ACCEPT_ATTRIBUTE, UploadError, check_upload


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SupplementAskForm(forms.Form):
    items = forms.CharField(
        label=_("Giấy tờ cần bổ sung (mỗi dòng một giấy tờ)"),
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Liệt kê đầy đủ một lần mọi giấy tờ còn thiếu."),
    )
    note = forms.CharField(
        label=_("Hướng dẫn thêm"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_items(self):
        return [line for line in self.cleaned_data["items"].splitlines() if line.strip()]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class HandOverForm(forms.Form):
    to_officer = forms.ModelChoiceField(label=_("Cán bộ xử lý"), queryset=None, required=False)
    unit = forms.CharField(label=_("Bộ phận, phòng chuyên môn"), required=False, max_length=150)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_officer"].queryset = officers
        self.fields["to_officer"].label_from_instance = lambda user: user.full_name or user.get_username()


class FeesForm(forms.Form):
    amount = forms.IntegerField(label=_("Số tiền phải nộp (đồng)"), min_value=1, max_value=10**10)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000)


class FinishForm(forms.Form):
    result_note = forms.CharField(
        label=_("Kết quả giải quyết"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    result_file = forms.FileField(
        label=_("Văn bản kết quả (PDF, JPEG, PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    def clean_result_file(self):
        upload = self.cleaned_data.get("result_file")
        if not upload:
            return None
        try:
            return check_upload(upload)
        except UploadError as exc:
            raise forms.ValidationError(str(exc)) from None


class ApologyForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do chậm trả kết quả"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    new_due = forms.DateField(label=_("Ngày hẹn trả mới"), widget=forms.DateInput(attrs={"type": "date"}))
