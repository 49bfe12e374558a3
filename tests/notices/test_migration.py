"""Moving PAKN's notices into the shared pipeline keeps every notice, its id and its link."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("feedback", "0008_notice_and_sms_sweep"), ("notices", "0001_initial")]
AFTER = [("feedback", "0009_notices_move_to_shared_pipeline")]


@pytest.fixture
def executor(transactional_db):
    executor = MigrationExecutor(connection)
    yield executor
    # Back to the latest schema whatever happened, for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_report_notices_move_with_their_ids_and_links(executor):
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("citizens", "User")
    Unit = old.get_model("government", "AdministrativeUnit")
    Category = old.get_model("feedback", "Category")
    Report = old.get_model("feedback", "Report")
    ReportEvent = old.get_model("feedback", "ReportEvent")
    Notification = old.get_model("feedback", "Notification")

    citizen = User.objects.create(username="lan", phone="+84911000001")
    officer = User.objects.create(username="cuong")
    unit = Unit.objects.create(code="11311", name="Phường Lê Chân", kind="phuong")
    category = Category.objects.create(name="Đường hè phố", slug="duong-he-pho")
    report = Report.objects.create(
        code="PA-2026-000001", category=category, title="Ổ gà", description="Ổ gà lớn", unit=unit, search_key=""
    )
    event = ReportEvent.objects.create(report=report, kind="received", to_status="assigned")
    caller = ReportEvent.objects.create(report=report, kind="answered", to_status="answered", message="Đã sửa")
    ReportEvent.objects.filter(pk=caller.pk).update(contact_sms_queued_at="2026-12-01T00:00:00Z")
    Report.objects.filter(pk=report.pk).update(contact_phone="+84987654321")
    to_citizen = Notification.objects.create(user=citizen, report=report, event=event, text="Đã tiếp nhận")
    to_officer = Notification.objects.create(user=officer, report=report, text="Bạn được giao")
    digest = Notification.objects.create(user=officer, text="Ngày 01/12/2026: 3 phản ánh quá hạn")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Notice = new.get_model("notices", "Notice")
    moved = {notice.pk: notice for notice in Notice.objects.filter(user__isnull=False)}
    assert set(moved) == {to_citizen.pk, to_officer.pk, digest.pk}
    assert moved[to_citizen.pk].url == "/phan-anh/PA-2026-000001/"
    assert moved[to_citizen.pk].source == f"feedback.reportevent:{event.pk}"
    assert moved[to_officer.pk].url == "/can-bo/phan-anh/PA-2026-000001/"
    assert moved[digest.pk].target == ""
    assert moved[to_officer.pk].target == f"feedback.report:{report.pk}"
    caller_notice = Notice.objects.get(user__isnull=True)
    assert (caller_notice.phone, caller_notice.source) == ("+84987654321", f"feedback.reportevent:{caller.pk}")
    # New notices get ids past the moved ones (PostgreSQL's sequence was moved on).
    fresh = Notice.objects.create(user_id=citizen.pk, kind="test", text="mới")
    assert fresh.pk > max(moved)
