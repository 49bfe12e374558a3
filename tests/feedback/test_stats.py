"""PAKN figures against a hand-counted month, the charts, the exports and the public page.

March 2026, counted by hand:

UBND Phường Lê Chân (answer deadlines in brackets)
  R1  filed 3/3, answered 3/10 [3/17]  on time, 7 days, rated "Rất hài lòng"
  R2  filed 3/5, answered 3/25 [3/19]  late, 20 days, rated "Không hài lòng"
  R3  filed 3/10, in progress, deadline passed yesterday: overdue now
  R4  filed 3/12, answered 3/13 [3/26]  on time, 1 day, rated "Hài lòng", reopened once
  R5  filed 27/2: another month, not counted (but it is not overdue either)
  R6  filed 3/6, merged into R1 as a duplicate: not counted
UBND Phường Ngô Quyền
  O1  filed 3/20, answered 3/22 [3/30]  on time, 2 days, rated "Hài lòng"
  O2  filed 3/21, rejected
Trung tâm 1022
  T1  filed 3/25, waiting in triage

Lê Chân: received 4, answered 3, on time 2 (66.7 %), overdue now 1, median 7 days,
         satisfied 2 of 3 ratings (66.7 %), reopened 1 (33.3 %)
Ngô Quyền: received 2, answered 1, on time 1 (100 %), median 2 days, satisfied 1 of 1 (100 %)
1022: received 1
Total: received 7, answered 4, on time 3 (75 %), overdue now 1, median 4.5 days, satisfied 3 of 4 (75 %)
"""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback import stats
from feedback.models import Answer, AnswerStatus, EventKind, Rating, Report, ReportEvent, ReportStatus, Satisfaction
from tests.feedback.officer_world import at, build, file_report

pytestmark = pytest.mark.django_db

MARCH = stats.month_period(2026, 3)


def filed(w, when, *, answered=None, due=None, rating=None, **fields):
    report = file_report(w, **fields)
    values = {"created_at": when}
    if answered is not None:
        values.update(status=ReportStatus.ANSWERED, answered_at=answered, answer_due_at=due)
        answer = Answer.objects.create(
            report=report, agency=report.agency, text="Đã xử lý.", status=AnswerStatus.PUBLISHED, published_at=answered
        )
        if rating:
            Rating.objects.create(report=report, answer=answer, agency=report.agency, score=rating)
    Report.objects.filter(pk=report.pk).update(**values)
    report.refresh_from_db()
    return report


@pytest.fixture
def month(make_user):
    w = build(make_user)
    r1 = filed(w, at(2026, 3, 3), answered=at(2026, 3, 10), due=at(2026, 3, 17, 17), rating=Satisfaction.VERY_SATISFIED)
    filed(w, at(2026, 3, 5), answered=at(2026, 3, 25), due=at(2026, 3, 19, 17), rating=Satisfaction.UNSATISFIED)
    filed(
        w,
        at(2026, 3, 10),
        status=ReportStatus.IN_PROGRESS,
        answer_due_at=timezone.now() - dt.timedelta(days=1),
    )
    r4 = filed(w, at(2026, 3, 12), answered=at(2026, 3, 13), due=at(2026, 3, 26, 17), rating=Satisfaction.SATISFIED)
    ReportEvent.objects.create(report=r4, kind=EventKind.REOPENED, to_status=ReportStatus.REOPENED)
    filed(w, at(2026, 2, 27), answered=at(2026, 3, 2), due=at(2026, 3, 13, 17), rating=Satisfaction.UNSATISFIED)
    filed(w, at(2026, 3, 6), status=ReportStatus.CLOSED, merged_into=r1)
    filed(
        w,
        at(2026, 3, 20),
        agency="other",
        unit=w.ngoquyen,
        category=w.ideas,
        answered=at(2026, 3, 22),
        due=at(2026, 3, 30, 17),
        rating=Satisfaction.SATISFIED,
    )
    filed(w, at(2026, 3, 21), agency="other", unit=w.ngoquyen, category=w.procedures, status=ReportStatus.REJECTED)
    filed(w, at(2026, 3, 25), agency="hotline", status=ReportStatus.TRIAGE)
    return w


def by_label(table):
    return {row.label: row for row in table.rows}


def figures_of(row):
    return (
        row.received,
        row.answered,
        row.on_time,
        row.on_time_rate,
        row.overdue_now,
        row.median_days,
        row.ratings,
        row.satisfaction_rate,
        row.reopened,
        row.reopen_rate,
    )


def test_figures_per_agency_match_the_hand_count(month):
    table = stats.compute(dimension=stats.BY_AGENCY, period=MARCH)
    rows = by_label(table)
    assert set(rows) == {"UBND Phường Lê Chân", "UBND Phường Ngô Quyền", "Trung tâm 1022"}
    assert figures_of(rows["UBND Phường Lê Chân"]) == (4, 3, 2, 66.7, 1, 7.0, 3, 66.7, 1, 33.3)
    assert figures_of(rows["UBND Phường Ngô Quyền"]) == (2, 1, 1, 100.0, 0, 2.0, 1, 100.0, 0, 0.0)
    assert figures_of(rows["Trung tâm 1022"]) == (1, 0, 0, None, 0, None, 0, None, 0, None)
    assert figures_of(table.total) == (7, 4, 3, 75.0, 1, 4.5, 4, 75.0, 1, 25.0)


def test_figures_per_category_count_sub_categories_under_their_parent(month):
    rows = by_label(stats.compute(dimension=stats.BY_CATEGORY, period=MARCH))
    assert set(rows) == {"Sự cố hạ tầng kỹ thuật", "Góp ý hiến kế", "Thủ tục hành chính"}
    infra = rows["Sự cố hạ tầng kỹ thuật"]
    assert (infra.received, infra.answered, infra.on_time, infra.overdue_now) == (5, 3, 2, 1)
    assert (rows["Góp ý hiến kế"].received, rows["Thủ tục hành chính"].received) == (1, 1)


def test_figures_per_ward(month):
    rows = by_label(stats.compute(dimension=stats.BY_UNIT, period=MARCH))
    assert (rows["Phường Lê Chân"].received, rows["Phường Ngô Quyền"].received) == (5, 2)
    assert rows["Phường Ngô Quyền"].satisfaction_rate == 100.0


def test_an_officer_counts_only_their_agency(month):
    table = stats.compute(dimension=stats.BY_CATEGORY, period=MARCH, agency_ids=[month.other.pk])
    assert table.total.received == 2 and {row.label for row in table.rows} == {"Góp ý hiến kế", "Thủ tục hành chính"}


def test_an_empty_period(month):
    table = stats.compute(dimension=stats.BY_AGENCY, period=stats.month_period(2025, 1))
    # Only today's backlog shows: R3 is overdue whatever the period.
    assert [(row.label, row.received, row.overdue_now) for row in table.rows] == [("UBND Phường Lê Chân", 0, 1)]
    assert table.total.received == 0 and table.total.on_time_rate is None


def test_figures_are_cached_until_refreshed(month):
    first = stats.figures(dimension=stats.BY_AGENCY, period=MARCH)
    filed(month, at(2026, 3, 28))
    assert stats.figures(dimension=stats.BY_AGENCY, period=MARCH).total.received == first.total.received == 7
    assert stats.figures(dimension=stats.BY_AGENCY, period=MARCH, refresh=True).total.received == 8


def test_periods_from_the_query_string():
    assert stats.period_from_params({"thang": "2026-03"}) == MARCH
    year = stats.period_from_params({"thang": "2025"})
    assert (year.start.year, year.end.year, year.param) == (2025, 2026, "2025")
    today = timezone.localdate()
    for junk in ("", "2026-13", "abcd", "1999-01", "2026-3"):
        assert stats.period_from_params({"thang": junk}).param == f"{today.year:04d}-{today.month:02d}"
    assert MARCH.start == at(2026, 3, 1, 0) and MARCH.end == at(2026, 4, 1, 0)


def test_the_chart_draws_each_rate_to_scale(month):
    table = stats.compute(dimension=stats.BY_AGENCY, period=MARCH)
    chart = stats.bar_chart(table.rows, "on_time_rate")
    bars = {bar["full_label"]: bar for bar in chart["bars"]}
    assert set(bars) == {"UBND Phường Lê Chân", "UBND Phường Ngô Quyền"}  # nothing answered: no bar
    assert bars["UBND Phường Ngô Quyền"]["bar_width"] == stats.CHART_BAR_WIDTH
    assert all(bar["value_x"] + 50 <= stats.CHART_WIDTH for bar in chart["bars"])  # the value fits
    assert bars["UBND Phường Lê Chân"]["bar_width"] == round(stats.CHART_BAR_WIDTH * 66.7 / 100, 1)
    assert bars["UBND Phường Lê Chân"]["level"] == "poor"


def test_the_xlsx_export_opens_with_the_right_figures(month, client):
    from openpyxl import load_workbook

    client.force_login(month.operator)
    response = client.get(reverse("feedback_officer:stats_xlsx") + "?thang=2026-03&theo=co-quan")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert "thong-ke-phan-anh-2026-03-co-quan.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert "Tháng 3/2026" in rows[0][0]
    header = rows[2]
    assert header[:5] == ["Cơ quan", "Tiếp nhận", "Đã trả lời", "Trả lời đúng hạn", "Tỷ lệ đúng hạn (%)"]
    by_name = {row[0]: row for row in rows[3:]}
    assert by_name["UBND Phường Lê Chân"][1:11] == [4, 3, 2, 66.7, 1, 7.0, 3, 66.7, 1, 33.3]
    assert by_name["Tổng cộng"][1:5] == [7, 4, 3, 75.0]


def test_the_csv_export_has_the_same_figures(month, client):
    client.force_login(month.leader)
    response = client.get(reverse("feedback_officer:stats_csv") + "?thang=2026-03&theo=co-quan")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    # A leader of Lê Chân sees Lê Chân only.
    assert [row[0] for row in rows[1:]] == ["UBND Phường Lê Chân", "Tổng cộng"]
    assert rows[1][1:5] == ["4", "3", "2", "66.7"]


def test_the_officer_page_shows_the_table_and_charts(month, client):
    client.force_login(month.operator)
    response = client.get(reverse("feedback_officer:stats") + "?thang=2026-03&theo=phuong")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Phường Lê Chân" in page and "<svg" in page and 'role="img"' in page


def test_the_public_page_lists_each_agencys_on_time_rate_and_satisfaction(month, client):
    response = client.get(reverse("feedback:stats") + "?thang=2026-03")
    assert response.status_code == 200
    rows = by_label(response.context["table"])
    assert set(rows) == {"UBND Phường Lê Chân", "UBND Phường Ngô Quyền", "Trung tâm 1022"}
    page = response.content.decode()
    assert "66.7%" in page and "100.0%" in page
    # The public page shows no backlog and no reopen rate.
    assert "Quá hạn hiện nay" not in page and "Tỷ lệ mở lại" not in page
    export = client.get(reverse("feedback:stats_csv") + "?thang=2026-03")
    assert export.status_code == 200 and "UBND Phường Lê Chân" in export.content.decode("utf-8")


def test_the_public_page_is_cheap(month, client, django_assert_max_num_queries):
    client.get(reverse("feedback:stats") + "?thang=2026-03")  # counts once, then the cache answers
    with django_assert_max_num_queries(2):
        assert client.get(reverse("feedback:stats") + "?thang=2026-03").status_code == 200


def test_the_public_page_says_when_the_figures_were_counted_in_city_time(month, client, monkeypatch, settings):
    """The page does not claim live figures: it gives the time they were counted (the city's clock,
    UTC+7) and how often they are counted again (PAKN_STATS_CACHE_SECONDS)."""
    settings.PAKN_STATS_CACHE_SECONDS = 300
    counted = dt.datetime(2026, 3, 30, 7, 5, tzinfo=dt.UTC)  # 14:05 in Hải Phòng
    monkeypatch.setattr(stats.timezone, "now", lambda: counted)
    page = client.get(reverse("feedback:stats") + "?thang=2026-03").content.decode()
    assert "liên tục" not in page
    assert "Số liệu tính lúc 14:05, cập nhật 5 phút một lần." in page


def test_the_refresh_interval_shown_follows_the_setting(settings):
    """A city that recounts every ten minutes says ten; a few seconds still reads as one minute."""
    settings.PAKN_STATS_CACHE_SECONDS = 600
    assert stats.refresh_minutes() == 10
    settings.PAKN_STATS_CACHE_SECONDS = 20
    assert stats.refresh_minutes() == 1
