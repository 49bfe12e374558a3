"""A 1022 caller without an account is told by SMS, at the phone kept on the report, of the same key
steps as a reporter with an account: received (with the tracking code) and answered. Once each, and
never to the officer who acted."""

import pytest

from citizens.models import OutboundSms
from feedback import services
from feedback.models import EventKind, Follow, Report, ReportEvent
from notices import services as notice_pipeline
from notices.models import Notice
from tests.feedback.officer_world import build

pytestmark = pytest.mark.django_db

CALLER = "+84987654321"


@pytest.fixture
def w(make_user):
    return build(make_user)


def phoned_in(w, capture, phone="0987 654 321"):
    with capture(execute=True):
        report = services.intake_phone_report(
            actor=w.operator,
            caller_name="Lê Văn Gọi",
            caller_phone=phone,
            category=w.procedures,
            unit=w.lechan,
            title="Chậm trả kết quả hồ sơ",
            description="Hồ sơ nộp từ tháng trước chưa có kết quả.",
            address="Số 1 Lạch Tray",
        )
    report.refresh_from_db()  # routed on commit
    return report


def answer_and_publish(w, report, capture):
    """The ward's officer accepts and answers; the leader approves, which publishes the answer."""
    with capture(execute=True):
        services.accept_report(report_id=report.pk, actor=w.officer, expected_version=report.version)
        report.refresh_from_db()
        services.save_answer(
            report_id=report.pk,
            actor=w.officer,
            text="Hồ sơ đã có kết quả, mời ông đến bộ phận một cửa nhận.",
            submit=True,
            expected_version=report.version,
        )
        report.refresh_from_db()
        services.approve_answer(report_id=report.pk, actor=w.leader, expected_version=report.version)
    report.refresh_from_db()
    return report


def texts_to(phone):
    return list(OutboundSms.objects.filter(phone=phone).order_by("pk").values_list("text", flat=True))


def test_a_phoned_in_report_answered_and_published_texts_the_caller_once(w, django_capture_on_commit_callbacks):
    report = phoned_in(w, django_capture_on_commit_callbacks)
    assert report.reporter is None and report.contact_phone == CALLER
    assert len(texts_to(CALLER)) == 1  # the receipt

    report = answer_and_publish(w, report, django_capture_on_commit_callbacks)
    assert report.status == "answered"
    receipt, answered = texts_to(CALLER)
    assert report.code in receipt and "da duoc tiep nhan" in receipt
    assert report.code in answered and "da co tra loi cua UBND Phuong Le Chan" in answered
    # Accepting was told in-site only (no one to tell here); nothing went to the officers.
    assert OutboundSms.objects.count() == 2


def test_the_callers_sms_is_sent_once_however_often_its_task_runs(w, django_capture_on_commit_callbacks):
    report = answer_and_publish(w, phoned_in(w, django_capture_on_commit_callbacks), django_capture_on_commit_callbacks)
    answered = ReportEvent.objects.get(report=report, kind=EventKind.ANSWERED)
    assert answered.notified_at is not None
    assert services.notify_event(answered.pk) == []  # claimed: nothing queued again
    caller_notice = Notice.objects.from_source(answered).get(user__isnull=True)
    assert notice_pipeline.send_sms(caller_notice.pk) is False  # a redelivered task sends nothing
    assert len(texts_to(CALLER)) == 2


def test_no_sms_to_the_officer_who_acted_even_on_their_own_number(w, django_capture_on_commit_callbacks):
    """A leader who phoned in a report for themself does not get their own answer by SMS."""
    w.leader.phone = CALLER
    w.leader.save(update_fields=["phone"])
    report = answer_and_publish(w, phoned_in(w, django_capture_on_commit_callbacks), django_capture_on_commit_callbacks)
    assert report.status == "answered"
    assert len(texts_to(CALLER)) == 1  # the receipt only


def test_a_caller_who_also_follows_the_report_gets_one_sms_per_step(w, django_capture_on_commit_callbacks):
    """A caller who later signed up with the same number and follows the report is not texted twice."""
    report = phoned_in(w, django_capture_on_commit_callbacks)
    w.neighbour.phone = CALLER
    w.neighbour.save(update_fields=["phone"])
    Follow.objects.create(user=w.neighbour, report=report)
    answer_and_publish(w, report, django_capture_on_commit_callbacks)
    assert len(texts_to(CALLER)) == 2  # the receipt, then one answer
    assert Report.objects.get(pk=report.pk).status == "answered"
