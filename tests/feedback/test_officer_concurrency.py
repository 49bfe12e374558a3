"""Two officers acting on one report at the same moment, on PostgreSQL: one wins, the other is told.

The row lock (SELECT ... FOR UPDATE) makes the second wait for the first to commit; it then finds a
newer version than its screen showed and is refused with a message, changing nothing.
"""

import threading

import pytest
from django.db import connection

from feedback import services
from feedback.models import EventKind, Report, ReportStatus
from tests.feedback.officer_world import build, file_report

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def race(*calls):
    """Run the calls in parallel threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except services.ReportActionError as exc:
            results[index] = ("refused", exc.message)
        except Exception as exc:  # anything else fails the test with its repr
            results[index] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_officers_accept_at_once_and_one_wins(make_user):
    w = build(make_user)
    report = file_report(w)
    results = race(
        lambda: services.accept_report(report_id=report.pk, actor=w.officer, expected_version=0),
        lambda: services.accept_report(report_id=report.pk, actor=w.officer2, expected_version=0),
    )
    outcomes = sorted(kind for kind, _value in results)
    assert outcomes == ["ok", "refused"], results
    [message] = [value for kind, value in results if kind == "refused"]
    assert "vừa được người khác cập nhật" in message
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_PROGRESS and report.version == 1
    assert report.events.filter(kind=EventKind.ACCEPTED).count() == 1
    winner = next(value for kind, value in results if kind == "ok")
    assert report.assignee_id == winner.assignee_id


def test_accept_and_return_at_once_leave_one_consistent_state(make_user):
    w = build(make_user)
    report = file_report(w)
    results = race(
        lambda: services.accept_report(report_id=report.pk, actor=w.officer, expected_version=0),
        lambda: services.return_to_centre(
            report_id=report.pk, actor=w.officer2, reason="Không thuộc thẩm quyền.", expected_version=0
        ),
    )
    assert sorted(kind for kind, _value in results) == ["ok", "refused"], results
    report = Report.objects.get(pk=report.pk)
    assert report.version == 1
    assert report.status in (ReportStatus.IN_PROGRESS, ReportStatus.RETURNED)
    assert report.events.exclude(kind="routed").count() == 1
