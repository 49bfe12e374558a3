"""Deadline reminders: due soon to the officer, overdue to the leader and the 1022 centre, once each."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from feedback.models import Report, ReportStatus
from feedback.reminders import send_deadline_reminders
from feedback.tasks import send_deadline_reminders_task
from notices.models import Notice
from tests.feedback.officer_world import build, file_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(make_user):
    return build(make_user)


def notices(user):
    return list(Notice.objects.filter(user=user).values_list("text", flat=True))


def test_due_soon_goes_to_the_assigned_officer(w):
    report = file_report(w, status=ReportStatus.IN_PROGRESS, assignee=w.officer2)
    Report.objects.filter(pk=report.pk).update(answer_due_at=timezone.now() + dt.timedelta(minutes=20))
    due_soon, _overdue = send_deadline_reminders()
    assert due_soon == 1
    [text] = notices(w.officer2)
    assert report.code in text and "sắp đến hạn trả lời" in text
    assert notices(w.officer) == [] and notices(w.leader) == []


def test_due_soon_without_a_handler_goes_to_the_agencys_officers(w):
    report = file_report(w)
    Report.objects.filter(pk=report.pk).update(accept_due_at=timezone.now() + dt.timedelta(minutes=20))
    send_deadline_reminders()
    for person in (w.officer, w.officer2, w.leader):
        assert any("sắp đến hạn tiếp nhận" in text for text in notices(person))
    assert notices(w.other_officer) == []


def test_overdue_goes_to_the_leader_and_a_daily_digest_to_1022(w):
    late = file_report(w, status=ReportStatus.IN_PROGRESS, assignee=w.officer)
    Report.objects.filter(pk=late.pk).update(answer_due_at=timezone.now() - dt.timedelta(hours=2))
    other_late = file_report(w, agency="other")
    Report.objects.filter(pk=other_late.pk).update(accept_due_at=timezone.now() - dt.timedelta(hours=2))
    _due_soon, overdue = send_deadline_reminders()
    assert any(late.code in text and "quá hạn trả lời" in text for text in notices(w.leader))
    assert any(other_late.code in text and "quá hạn tiếp nhận" in text for text in notices(w.other_leader))
    assert notices(w.officer) == []  # the officer is not told twice: overdue is for the leader
    [digest] = notices(w.operator)
    assert "2 phản ánh quá hạn" in digest
    assert overdue == 3


def test_running_again_reminds_nobody_twice(w):
    report = file_report(w, status=ReportStatus.IN_PROGRESS, assignee=w.officer)
    Report.objects.filter(pk=report.pk).update(answer_due_at=timezone.now() - dt.timedelta(hours=2))
    send_deadline_reminders()
    count = Notice.objects.count()
    assert send_deadline_reminders() == (0, 0)
    assert Notice.objects.count() == count


def test_a_restarted_clock_reminds_again(w):
    report = file_report(w, status=ReportStatus.IN_PROGRESS, assignee=w.officer)
    Report.objects.filter(pk=report.pk).update(answer_due_at=timezone.now() + dt.timedelta(minutes=10))
    send_deadline_reminders()
    Report.objects.filter(pk=report.pk).update(answer_due_at=timezone.now() + dt.timedelta(minutes=40))
    send_deadline_reminders()
    assert len(notices(w.officer)) == 2


def test_finished_and_far_off_reports_are_left_alone(w):
    file_report(w, status=ReportStatus.ANSWERED, answer_due_at=timezone.now() - dt.timedelta(days=3))
    file_report(w, accept_due_at=timezone.now() + dt.timedelta(days=30))
    assert send_deadline_reminders() == (0, 0)
    assert not Notice.objects.exists()


def test_the_task_is_scheduled_and_runs():
    entry = settings.CELERY_BEAT_SCHEDULE["feedback-deadline-reminders"]
    assert entry["task"] == send_deadline_reminders_task.name
    assert tuple(send_deadline_reminders_task.apply().get()) == (0, 0)
