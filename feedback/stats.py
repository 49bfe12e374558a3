"""PAKN figures per agency, category or ward over a period: what the city publishes monthly.

Figures are counted over the reports received in the period (a cohort), so that every rate of a month
is about the same reports:

- received: reports filed in the period (duplicates merged into another report do not count);
- answered: of those, the ones with a published answer; on time: answered by the answer deadline;
- overdue now: the open reports whose running clock has passed (today's backlog, whatever the period);
- median time to answer: from filing to the published answer, in days;
- satisfaction: share of the citizens' ratings that are "Rất hài lòng" or "Hài lòng";
- reopen rate: answered reports that a citizen reopened, over the answered ones.

Each figure is one GROUP BY over indexed columns (created_at bounds the period), and the result is
cached for a few minutes (PAKN_STATS_CACHE_SECONDS), so a busy public page does not recount a million
rows per visit. `refresh_public_figures` (Celery beat) recomputes the current month ahead of visitors.

So the figures are never live, and the public page says so: "counted at 14:05 (city time), every 5 minutes"
(`Table.computed_at`, `refresh_minutes`). Recounting when an answer or a rating lands was the other
way, and it was turned down: at a million reports a year answers and ratings land several a minute
in office hours, so the cache would hardly ever hold; the month's median and the total cannot
be patched one agency at a time (they need the whole cohort again); and the officers' cached tables,
one per agency scope, would all have to be found and dropped. Honest minutes cost nothing.
"""

import csv
import datetime as dt
import io
import statistics
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Aggregate, Count, DurationField, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from government.models import AdministrativeUnit, Agency

from . import deadlines
from .models import Category, EventKind, Rating, Report, ReportEvent, Satisfaction

BY_AGENCY = "co-quan"
BY_CATEGORY = "linh-vuc"
BY_UNIT = "phuong"
DIMENSIONS = {
    BY_AGENCY: gettext_lazy("Cơ quan"),
    BY_CATEGORY: gettext_lazy("Lĩnh vực"),
    BY_UNIT: gettext_lazy("Phường, xã"),
}
SATISFIED = (Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED)
MONTHS_LISTED = 12


# --- Periods ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: dt.datetime  # inclusive, aware
    end: dt.datetime  # exclusive, aware
    param: str  # "2026-03" or "2026"
    label: str


def _local_midnight(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time()), timezone.get_default_timezone())


def month_period(year, month):
    first = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return Period(
        _local_midnight(first),
        _local_midnight(following),
        f"{year:04d}-{month:02d}",
        _("Tháng %(month)s/%(year)s") % {"month": month, "year": year},
    )


def year_period(year):
    return Period(
        _local_midnight(dt.date(year, 1, 1)),
        _local_midnight(dt.date(year + 1, 1, 1)),
        f"{year:04d}",
        _("Năm %(year)s") % {"year": year},
    )


def period_from_params(params):
    """The period asked for by `?thang=YYYY-MM` or `?thang=YYYY`; the current month by default."""
    text = (params.get("thang") or "").strip()
    today = timezone.localdate()
    try:
        if len(text) == 7 and text[4] == "-":
            year, month = int(text[:4]), int(text[5:])
            if 2000 <= year <= today.year + 1 and 1 <= month <= 12:
                return month_period(year, month)
        elif len(text) == 4:
            year = int(text)
            if 2000 <= year <= today.year + 1:
                return year_period(year)
    except ValueError:
        pass
    return month_period(today.year, today.month)


def recent_periods(count=MONTHS_LISTED):
    """The last `count` months (current first), then the current and previous years."""
    today = timezone.localdate()
    year, month = today.year, today.month
    periods = []
    for _index in range(count):
        periods.append(month_period(year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return [*periods, year_period(today.year), year_period(today.year - 1)]


# --- Figures ------------------------------------------------------------------------------------


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Row:
    key: object
    label: str
    received: int = 0
    answered: int = 0
    on_time: int = 0
    overdue_now: int = 0
    median_days: float | None = None
    ratings: int = 0
    satisfied: int = 0
    reopened: int = 0

    @property
    def on_time_rate(self):
        return _rate(self.on_time, self.answered)

    @property
    def satisfaction_rate(self):
        return _rate(self.satisfied, self.ratings)

    @property
    def reopen_rate(self):
        return _rate(self.reopened, self.answered)


@dataclass
class Table:
    dimension: str
    period_param: str
    rows: list = field(default_factory=list)
    total: Row | None = None
    computed_at: dt.datetime | None = None
    # Names these figures (dimension, period, scope) and when they were counted: a template fragment
    # cached under it is redrawn as soon as the figures are counted again.
    key: str = ""


class Median(Aggregate):
    """PostgreSQL's exact median of an interval (ordered-set aggregate); NULLs are ignored."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _group_expression(dimension, prefix=""):
    if dimension == BY_AGENCY:
        return F(f"{prefix}agency_id")
    if dimension == BY_CATEGORY:
        # The city's top-level categories: a sub-category counts under its parent.
        return Coalesce(f"{prefix}category__parent_id", f"{prefix}category_id")
    return F(f"{prefix}unit_id")


def _labels(dimension, keys):
    keys = [key for key in keys if key is not None]
    if dimension == BY_AGENCY:
        names = dict(Agency.objects.filter(pk__in=keys).values_list("pk", "name"))
        unassigned = _("Chưa chuyển cơ quan (Trung tâm 1022)")
    elif dimension == BY_CATEGORY:
        names = dict(Category.objects.filter(pk__in=keys).values_list("pk", "name"))
        unassigned = "—"
    else:
        names = dict(AdministrativeUnit.objects.filter(pk__in=keys).values_list("pk", "name"))
        unassigned = "—"
    return lambda key: names.get(key, unassigned) if key is not None else unassigned


def _days(duration):
    return round(duration.total_seconds() / 86400, 1) if duration is not None else None


def compute(*, dimension, period, agency_ids=None):
    """Count the figures now (no cache). `agency_ids` limits them to those agencies (an officer's)."""
    cohort = Report.objects.filter(created_at__gte=period.start, created_at__lt=period.end, merged_into__isnull=True)
    backlog = Report.objects.filter(deadlines.overdue_q(), merged_into__isnull=True)
    ratings = Rating.objects.filter(
        report__created_at__gte=period.start, report__created_at__lt=period.end, report__merged_into__isnull=True
    )
    reopens = ReportEvent.objects.filter(
        kind=EventKind.REOPENED,
        report__created_at__gte=period.start,
        report__created_at__lt=period.end,
        report__merged_into__isnull=True,
    )
    if agency_ids is not None:
        cohort = cohort.filter(agency_id__in=agency_ids)
        backlog = backlog.filter(agency_id__in=agency_ids)
        ratings = ratings.filter(report__agency_id__in=agency_ids)
        reopens = reopens.filter(report__agency_id__in=agency_ids)

    postgres = connection.vendor == "postgresql"
    duration = F("answered_at") - F("created_at")
    measures = {
        "received": Count("pk"),
        "answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "on_time": Count("pk", filter=Q(answered_at__isnull=False, answered_at__lte=F("answer_due_at"))),
    }
    if postgres:
        measures["median"] = Median(duration)

    rows = {}

    def row(key):
        if key not in rows:
            rows[key] = Row(key=key, label="")
        return rows[key]

    for item in cohort.values(group=_group_expression(dimension)).annotate(**measures).order_by():
        target = row(item["group"])
        target.received, target.answered, target.on_time = item["received"], item["answered"], item["on_time"]
        if postgres:
            target.median_days = _days(item["median"])
    for item in backlog.values(group=_group_expression(dimension)).annotate(n=Count("pk")).order_by():
        row(item["group"]).overdue_now = item["n"]
    rating_group = F("agency_id") if dimension == BY_AGENCY else _group_expression(dimension, "report__")
    for item in (
        ratings.values(group=rating_group)
        .annotate(n=Count("pk"), satisfied=Count("pk", filter=Q(score__in=SATISFIED)))
        .order_by()
    ):
        target = row(item["group"])
        target.ratings, target.satisfied = item["n"], item["satisfied"]
    for item in (
        reopens.values(group=_group_expression(dimension, "report__"))
        .annotate(n=Count("report_id", distinct=True))
        .order_by()
    ):
        row(item["group"]).reopened = item["n"]

    total = Row(key=None, label=_("Tổng cộng"))
    for item in rows.values():
        for name in ("received", "answered", "on_time", "overdue_now", "ratings", "satisfied", "reopened"):
            setattr(total, name, getattr(total, name) + getattr(item, name))
    answered = cohort.filter(answered_at__isnull=False)
    if postgres:
        total.median_days = _days(answered.aggregate(median=Median(duration))["median"])
    else:
        # SQLite has no median: read the durations (the embedded default never holds millions).
        by_group = {}
        durations = answered.values_list(_group_expression(dimension), "created_at", "answered_at")
        for key, created, answered_at in durations:
            by_group.setdefault(key, []).append((answered_at - created).total_seconds())
        for key, values in by_group.items():
            row(key).median_days = round(statistics.median(values) / 86400, 1)
        every = [value for values in by_group.values() for value in values]
        total.median_days = round(statistics.median(every) / 86400, 1) if every else None

    label = _labels(dimension, rows.keys())
    for key, item in rows.items():
        item.label = label(key)
    ordered = sorted(rows.values(), key=lambda item: (item.key is None, item.label))
    return Table(dimension=dimension, period_param=period.param, rows=ordered, total=total, computed_at=timezone.now())


def _cache_key(dimension, period, agency_ids):
    scope = "all" if agency_ids is None else ",".join(str(pk) for pk in sorted(agency_ids))
    return f"pakn-stats:v1:{dimension}:{period.param}:{scope}"


def figures(*, dimension, period, agency_ids=None, refresh=False):
    """The figures, from the cache when they are fresh enough (PAKN_STATS_CACHE_SECONDS)."""
    key = _cache_key(dimension, period, agency_ids)
    table = None if refresh else cache.get(key)
    if table is None:
        table = compute(dimension=dimension, period=period, agency_ids=agency_ids)
        table.key = f"{key}:{table.computed_at.timestamp()}"
        cache.set(key, table, getattr(settings, "PAKN_STATS_CACHE_SECONDS", 300))
    return table


def refresh_minutes():
    """How often the figures are counted again, in whole minutes (at least 1), to tell the reader."""
    seconds = getattr(settings, "PAKN_STATS_CACHE_SECONDS", 300)
    return max(1, round(seconds / 60))


def public_figures(period, *, refresh=False):
    """Each agency's figures for the public page: agencies only (no unassigned row), with reports."""
    table = figures(dimension=BY_AGENCY, period=period, refresh=refresh)
    rows = [row for row in table.rows if row.key is not None and row.received]
    return Table(
        dimension=table.dimension,
        period_param=table.period_param,
        rows=rows,
        total=table.total,
        computed_at=table.computed_at,
        key=f"public:{table.key}",
    )


# --- Charts (inline SVG, drawn on the server) ---------------------------------------------------

CHART_BAR_WIDTH = 270
CHART_WIDTH = 340
CHART_ROW_HEIGHT = 44


def bar_chart(rows, attribute, *, limit=20):
    """A horizontal bar chart of a percentage per row, as coordinates for an inline <svg>.

    Each row is a label line with its bar underneath, so the chart fits a 360 px phone without
    scrolling. Rows without a value (nothing answered, nobody rated) are left out rather than drawn
    as 0 %.
    """
    bars = []
    valued = [row for row in rows if getattr(row, attribute) is not None]
    # The agencies (or categories, wards) with the most reports, when there are too many to draw.
    shown = sorted(valued, key=lambda row: -row.received)[:limit] if len(valued) > limit else valued
    for row in shown:
        value = getattr(row, attribute)
        y = len(bars) * CHART_ROW_HEIGHT
        width = round(CHART_BAR_WIDTH * value / 100, 1)
        bars.append(
            {
                "label": row.label if len(row.label) <= 44 else row.label[:43] + "…",
                "full_label": row.label,
                "value": value,
                "text_y": y + 15,
                "bar_y": y + 21,
                "value_y": y + 34,
                "bar_width": width,
                "value_x": width + 6,
                "level": "good" if value >= 90 else "fair" if value >= 70 else "poor",
            }
        )
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": max(len(bars), 1) * CHART_ROW_HEIGHT,
        "truncated": len(valued) > limit,
    }


# --- Exports ------------------------------------------------------------------------------------


def _columns(dimension):
    return [
        (str(DIMENSIONS[dimension]), "label"),
        (_("Tiếp nhận"), "received"),
        (_("Đã trả lời"), "answered"),
        (_("Trả lời đúng hạn"), "on_time"),
        (_("Tỷ lệ đúng hạn (%)"), "on_time_rate"),
        (_("Quá hạn hiện nay"), "overdue_now"),
        (_("Thời gian trả lời trung vị (ngày)"), "median_days"),
        (_("Lượt đánh giá"), "ratings"),
        (_("Hài lòng (%)"), "satisfaction_rate"),
        (_("Bị mở lại"), "reopened"),
        (_("Tỷ lệ mở lại (%)"), "reopen_rate"),
    ]


def _table_rows(table):
    columns = _columns(table.dimension)
    yield [title for title, _attribute in columns]
    for item in [*table.rows, table.total]:
        yield [getattr(item, attribute) for _title, attribute in columns]


def to_csv(table):
    """UTF-8 with a byte-order mark, so spreadsheet programs read the Vietnamese letters right."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for values in _table_rows(table):
        writer.writerow(["" if value is None else value for value in values])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(table, period):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Thống kê")[:31]
    sheet.append([_("Thống kê phản ánh, kiến nghị – %(period)s") % {"period": period.label}])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    for number, values in enumerate(_table_rows(table)):
        sheet.append(values)
        if number == 0:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 42
    for letter in "BCDEFGHIJK":
        sheet.column_dimensions[letter].width = 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
