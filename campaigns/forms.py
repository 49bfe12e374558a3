"""The campaign's forms (HTTP only; the writes are in campaigns.services)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import WorkplaceKind
from .services import COMMON_REASONS

MAX_COUNT = 1_000_000


def _count_field(label, **kwargs):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_COUNT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Hãy nhập một số nguyên."),
            "min_value": _("Số không được âm."),
            "max_value": _("Số quá lớn."),
        },
        **kwargs,
    )


class GroupSurveyForm(forms.Form):
    """The group leader's survey, entered on a phone."""

    households = _count_field(_("Tổng số hộ"))
    smartphone_households = _count_field(_("Số hộ có điện thoại thông minh"))
    surveyed_on = forms.DateField(
        label=_("Ngày khảo sát"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Ngày không hợp lệ.")},
    )
    leader_name = forms.CharField(label=_("Tổ trưởng"), max_length=150, required=False)

    def clean_surveyed_on(self):
        day = self.cleaned_data.get("surveyed_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("Ngày khảo sát không thể ở tương lai."))
        return day

    def clean(self):
        data = super().clean()
        total, smart = data.get("households"), data.get("smartphone_households")
        if total is not None and smart is not None and smart > total:
            self.add_error("smartphone_households", _("Số hộ có điện thoại thông minh không thể lớn hơn tổng số hộ."))
        return data


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp CSV"),
        error_messages={"required": _("Hãy chọn tệp CSV."), "empty": _("Tệp trống.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 5 MB)."))
        return upload


class WorkplaceForm(forms.Form):
    name = forms.CharField(label=_("Tên cơ quan, trường học, doanh nghiệp"), max_length=200)
    kind = forms.ChoiceField(label=_("Loại"), choices=WorkplaceKind.choices)
    headcount = _count_field(_("Tổng số cán bộ, nhân viên"))


class MonthlyReasonsForm(forms.Form):
    """One set of reasons per row of the report (groups and workplaces): common ones and free text."""

    def __init__(self, *args, rows, reasons, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        choices = [(reason, reason) for reason in COMMON_REASONS]
        for row in rows:
            entered = reasons.get(row["key"]) or {}
            self.fields[f"{row['key']}-common"] = forms.MultipleChoiceField(
                label=_("Lý do chưa cài đặt"),
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=entered.get("common", []),
            )
            self.fields[f"{row['key']}-text"] = forms.CharField(
                label=_("Lý do khác"), max_length=300, required=False, initial=entered.get("text", "")
            )

    def bound_rows(self):
        return [(row, self[f"{row['key']}-common"], self[f"{row['key']}-text"]) for row in self.rows]

    def reasons(self):
        result = {}
        for row in self.rows:
            common = self.cleaned_data.get(f"{row['key']}-common") or []
            text = (self.cleaned_data.get(f"{row['key']}-text") or "").strip()
            if common or text:
                result[row["key"]] = {"common": list(common), "text": text}
        return result
