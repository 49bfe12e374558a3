"""The official lists, the summary and Phụ lục 01, opened as the ward opens them (openpyxl)."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaigns import services
from campaigns.models import ExportJob, ExportLog, JobStatus, MonthlyReport
from notices.models import Notice

pytestmark = pytest.mark.django_db


def workbook_rows(content):
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [tuple(cell for cell in row) for row in sheet.iter_rows(values_only=True)]


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_group_list_is_in_the_wards_form_with_only_those_who_agreed(client, w):
    client.force_login(w.staff)
    rows = workbook_rows(
        download(client, reverse("campaigns_officer:export", args=["11383", "xlsx"]) + f"?to={w.g1.pk}")
    )
    assert rows[0][0] == "DANH SÁCH CÀI ĐẶT ỨNG DỤNG SMART HẢI PHÒNG"
    assert rows[1][0] == "Tổ dân phố 1 – Phường Lê Chân"
    header = rows.index(
        ("Stt", "Họ và tên", "Số điện thoại", "Cơ quan, đơn vị, doanh nghiệp, tổ chức", "Địa chỉ hiện tại")
    )
    people = [row for row in rows[header + 1 :] if row and isinstance(row[0], int)]
    assert people == [
        (1, "Lê Văn Ba", "0911 000 103", "trường THCS Lê Chân", "số 5, đường Tô Hiệu, Tổ dân phố 1, Phường Lê Chân"),
        (2, "Nguyễn Văn Một", "0911 000 101", None, "Số 12 Lạch Tray, Tổ dân phố 1, Phường Lê Chân"),
        (3, "Phạm Thị Bốn", "0911 000 104", None, "Tổ dân phố 1, Phường Lê Chân"),
    ]
    texts = [row[0] for row in rows if row and isinstance(row[0], str)]
    assert any(text.startswith("Ghi chú: Địa chỉ hiện tại: đối với người dân là nơi ở") for text in texts)
    assert texts[-1] == "và 1 người đã đăng ký khác chưa đồng ý công khai tên"  # Trần Thị Hai
    log = ExportLog.objects.get()
    assert (log.user, log.unit_id, log.kind, log.fmt, log.named) == (w.staff, "11383", "group_list", "xlsx", 3)


def test_the_workplace_list_gives_the_workplace_as_address_and_the_csv_the_same_rows(client, w):
    client.force_login(w.staff)
    url = reverse("campaigns_officer:export", args=["11383", "csv"]) + f"?noi-lam-viec={w.school.pk}"
    text = download(client, url).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["DANH SÁCH CÀI ĐẶT ỨNG DỤNG SMART HẢI PHÒNG"]
    assert ["1", "Lê Văn Ba", "0911 000 103", "trường THCS Lê Chân", "15 Hồ Sen"] in rows
    assert rows[-1] == ["và 0 người đã đăng ký khác chưa đồng ý công khai tên"]


def test_a_large_list_is_built_by_a_worker_and_served_only_to_who_asked(
    client, w, settings, make_user, django_capture_on_commit_callbacks
):
    settings.CAMPAIGN_EXPORT_SYNC_ROWS = 1
    client.force_login(w.staff)
    url = reverse("campaigns_officer:export", args=["11383", "xlsx"]) + f"?to={w.g1.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    job = ExportJob.objects.get()
    assert response.url == reverse("campaigns_officer:job", args=["11383", job.pk])
    assert job.status == JobStatus.DONE and job.total == 3
    page = client.get(response.url).content.decode()
    assert reverse("campaigns_officer:job_file", args=["11383", job.pk]) in page
    rows = workbook_rows(download(client, reverse("campaigns_officer:job_file", args=["11383", job.pk])))
    assert rows[-1][0] == "và 1 người đã đăng ký khác chưa đồng ý công khai tên"
    assert ExportLog.objects.filter(kind="group_list").count() == 1
    # Another officer of the same ward does not get someone else's file.
    from government.models import Membership, Role
    from tests.feedback.officer_world import give_totp

    colleague = give_totp(make_user(username="dong.nghiep"))
    Membership.objects.create(user=colleague, agency=w.ward, role=Role.WARD_STAFF)
    client.force_login(colleague)
    assert client.get(reverse("campaigns_officer:job_file", args=["11383", job.pk])).status_code == 404


def test_the_log_of_exports_is_shown_to_the_wards_leader(client, w):
    client.force_login(w.staff)
    download(client, reverse("campaigns_officer:export", args=["11383", "csv"]) + f"?to={w.g1.pk}")
    client.force_login(w.leader)
    page = client.get(reverse("campaigns_officer:log", args=["11383"])).content.decode()
    assert "Tổ dân phố 1 – Phường Lê Chân" in page and "Phuong.Lc" in page
    assert client.get(reverse("campaigns_officer:people", args=["11383"]) + f"?to={w.g1.pk}").status_code == 404


def test_the_summary_has_a_row_per_group_and_workplace_and_the_totals(client, w):
    client.force_login(w.staff)
    rows = workbook_rows(download(client, reverse("campaigns_officer:summary", args=["11383"])))
    by_name = {row[1]: row for row in rows if len(row) > 1 and row[1]}
    assert by_name["Tổ dân phố 1"][2:8] == (10, 8, 4, 3, 37.5, 5)
    assert by_name["Tổ dân phố 3"][6] is None
    assert by_name["Tổng cộng"][2:7] == (15, 12, 5, 4, 33.3)
    assert by_name["Trường THCS Lê Chân"][3:6] == (3, 1, 33.3)


def test_the_monthly_report_keeps_reasons_and_is_confirmed_once(client, w):
    client.force_login(w.staff)
    month = services.report_month()
    url = reverse("campaigns_officer:monthly", args=["11383"]) + f"?thang={month:%Y-%m}"
    key = f"g{w.g1.pk}"
    client.post(url, {f"{key}-common": ["Đi làm ăn xa, vắng nhà"], f"{key}-text": "3 hộ chỉ có người già"})
    client.post(
        url, {"confirm": "1", f"{key}-common": ["Đi làm ăn xa, vắng nhà"], f"{key}-text": "3 hộ chỉ có người già"}
    )
    report = MonthlyReport.objects.get()
    assert report.confirmed_by == w.staff
    again = client.post(url, {"confirm": "1"}, follow=True)
    assert "đã được xác nhận" in again.content.decode()
    rows = workbook_rows(
        download(client, reverse("campaigns_officer:monthly_xlsx", args=["11383"]) + f"?thang={month:%Y-%m}")
    )
    assert rows[1][0] == "BÁO CÁO Việc cài đặt và sử dụng ứng dụng Công dân số (Smart Hải Phòng)"
    g1 = next(row for row in rows if len(row) > 1 and row[1] == "Tổ dân phố 1")
    assert g1[2:] == (8, 3, 5, "Đi làm ăn xa, vắng nhà; 3 hộ chỉ có người già")


def test_units_that_have_not_confirmed_are_reminded_the_day_before_the_1st(w):
    assert services.send_monthly_reminders(today=dt.date(2026, 12, 30)) == 0
    assert services.send_monthly_reminders(today=dt.date(2026, 12, 31)) == 2  # Lê Chân and Ngô Quyền
    assert set(Notice.objects.values_list("user_id", flat=True)) == {w.staff.pk, w.other_staff.pk}
    services.send_monthly_reminders(today=dt.date(2026, 12, 31))  # the beat ran twice
    assert Notice.objects.count() == 2
    MonthlyReport.objects.filter(unit_id="11383").update(confirmed_at="2026-12-31T09:00Z")
    Notice.objects.all().delete()
    services.send_monthly_reminders(today=dt.date(2026, 12, 31))
    # Lê Chân confirmed: only Ngô Quyền's staff are told (again, their notices being gone).
    assert list(Notice.objects.values_list("user_id", flat=True)) == [w.other_staff.pk]


def test_the_whole_wards_list_goes_group_by_group_with_only_those_who_agreed(client, w):
    """Every resident of the ward who agreed, those without a group last; the others counted at the end."""
    client.force_login(w.staff)
    text = download(client, reverse("campaigns_officer:export", args=["11383", "csv"]) + "?to=tat-ca").decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["Phường Lê Chân"]
    people = [row[1] for row in rows if row and row[0].isdigit()]
    assert people == ["Lê Văn Ba", "Nguyễn Văn Một", "Phạm Thị Bốn", "Vũ Thị Bảy"]  # not Ngô Quyền's resident
    assert rows[-1] == ["và 2 người đã đăng ký khác chưa đồng ý công khai tên"]  # Trần Thị Hai, Hoàng Văn Sáu
    log = ExportLog.objects.get()
    assert (log.kind, log.label, log.named) == ("ward_list", "Phường Lê Chân", 4)


def test_another_wards_staff_get_404_for_the_whole_wards_list(client, w):
    client.force_login(w.other_staff)
    response = client.get(reverse("campaigns_officer:export", args=["11383", "xlsx"]) + "?to=tat-ca")
    assert response.status_code == 404
    assert not ExportLog.objects.exists()
