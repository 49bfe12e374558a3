"""Status and step labels come from a per-language table (feedback.models.choice_label) instead of
Django's get_FOO_display(), which is slow in lists: they must read exactly as Django's would, in the
active language, for every value (and an unknown value reads as itself)."""

import pytest
from django.utils import translation

from feedback.models import Answer, AnswerStatus, EventKind, Report, ReportEvent, ReportStatus


def django_label(model, field_name, value):
    return str(dict(model._meta.get_field(field_name).flatchoices).get(value, value))


@pytest.mark.parametrize(
    ("model", "field_name", "choices", "method"),
    [
        (Report, "status", ReportStatus, "get_status_display"),
        (ReportEvent, "kind", EventKind, "get_kind_display"),
        (Answer, "status", AnswerStatus, "get_status_display"),
    ],
)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_labels_read_as_djangos_in_each_language(model, field_name, choices, method, language):
    with translation.override(language):
        for value in [*choices.values, "not-a-choice"]:
            instance = model(**{field_name: value})
            assert getattr(instance, method)() == django_label(model, field_name, value)


def test_the_label_follows_the_active_language():
    report = Report(status=ReportStatus.ANSWERED)
    with translation.override("vi"):
        vietnamese = report.get_status_display()
    with translation.override("en"):
        english = report.get_status_display()
    assert vietnamese == "Đã trả lời"
    assert english != vietnamese
