"""The ward's forms, filled from the live figures: the official list (DANH SÁCH CÀI ĐẶT ỨNG DỤNG SMART
HẢI PHÒNG) per group or per workplace as XLSX and CSV, the summary for the chairman, and the monthly
report (Phụ lục 01).

Lists name only the people who agreed to be named (ConsentPurpose.CAMPAIGN_LIST) and end with how
many others registered, so the figures still add up. Rows come from a queryset iterator into
openpyxl's write-only workbook, written to a file: a ward of 60,000 names never sits in memory.
"""

import csv
import datetime as dt
import tempfile
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.phones import display_phone

from . import xlsx_stream
from .figures import consent_subquery, verified_profiles

LIST_TITLE = "DANH SÁCH CÀI ĐẶT ỨNG DỤNG SMART HẢI PHÒNG"
LIST_COLUMNS = ("Stt", "Họ và tên", "Số điện thoại", "Cơ quan, đơn vị, doanh nghiệp, tổ chức", "Địa chỉ hiện tại")
LIST_NOTE = "Ghi chú: Địa chỉ hiện tại: đối với người dân là nơi ở hiện tại; đối với cán bộ, công chức, viên chức, người lao động là địa chỉ cơ quan, đơn vị nơi làm việc."  # noqa: E501
MONTHLY_TITLE = "BÁO CÁO Việc cài đặt và sử dụng ứng dụng Công dân số (Smart Hải Phòng)"
CHUNK = 2000


@dataclass(frozen=True)
class ListSpec:
    """Which people a list is about: a group's residents, a workplace's staff, or every resident
    of the unit (`whole_ward`: the list the ward office adds up, ordered by group)."""

    unit_code: str
    unit_name: str
    group_id: int | None = None
    workplace_key: str | None = None
    heading: str = ""  # "Tổ dân phố 2 – Phường Lê Chân"
    whole_ward: bool = False

    @property
    def is_staff(self):
        return self.workplace_key is not None


def people(spec):
    """The registered people of the list, consent annotated (`named`), in the list's order."""
    profiles = verified_profiles()
    if spec.is_staff:
        profiles = profiles.filter(workplace_key=spec.workplace_key)
    elif spec.whole_ward:
        profiles = profiles.filter(ward_id=spec.unit_code)
    elif spec.group_id is not None:
        profiles = profiles.filter(ward_id=spec.unit_code, residential_group_id=spec.group_id)
    else:  # the ward's residents who named no group
        profiles = profiles.filter(ward_id=spec.unit_code, residential_group__isnull=True)
    return profiles.annotate(named=consent_subquery())


def _by_group(spec):
    """A whole unit's list goes group by group, those who named no group last (on every database)."""
    return [F("residential_group__name").asc(nulls_last=True)] if spec.whole_ward else []


def list_rows(spec, tally):
    """(full name, phone, workplace, address) of those who agreed, in the list's order: an
    iterator over one query of everyone on the list, counting in `tally["others"]` those who did
    not agree (the list's closing line; no second count of the consent subquery)."""
    qs = (
        people(spec)
        .order_by(*_by_group(spec), "user__full_name", "pk")
        .values_list(
            "user__full_name",
            "user__phone",
            "workplace_name",
            "workplace_address",
            "street_address",
            "residential_group__name",
            "ward__name",
            "named",
        )
    )
    tally.setdefault("others", 0)
    for full_name, phone, workplace, workplace_address, street, group, ward, named in qs.iterator(chunk_size=CHUNK):
        if not named:
            tally["others"] += 1
            continue
        if spec.is_staff:
            address = workplace_address or workplace
        else:
            address = ", ".join(part for part in (street, group, ward) if part)
        yield (full_name, display_phone(phone), workplace, address)


def counts(spec):
    """(named, not named): two counts. One aggregate with a filter on the consent subquery reads 0
    on SQLite, so the named ones are counted by the same filter as the list itself."""
    qs = people(spec)
    total = qs.count()  # PostgreSQL's JIT is off for the portal's connections (settings: it cost ~1 s here)
    named = qs.filter(named=True).count()
    return named, total - named


def closing_line(others):
    return f"và {others} người đã đăng ký khác chưa đồng ý công khai tên"


def write_list_xlsx(target, spec, *, progress=None, as_of=None):
    """Write the list to `target` (a path or a binary file) in the ward's form. `progress(done)`
    is called every CHUNK rows. Returns how many people are named.

    openpyxl writes the form around the rows; the rows go straight into its sheet (xlsx_stream:
    openpyxl's own cell writing was three quarters of the time of a 60,000-name list)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    as_of = as_of or timezone.localdate()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    for width, letter in zip((6, 28, 16, 36, 44), "ABCDE", strict=True):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)

    def cell(value, font=None):
        c = WriteOnlyCell(sheet, value=value)
        if font:
            c.font = font
        return c

    title = cell(LIST_TITLE, Font(bold=True, size=14))
    title.alignment = Alignment(horizontal="center")
    sheet.append([title])
    sheet.append([cell(spec.heading, bold)])
    sheet.append([cell(f"(Tính đến ngày {as_of:%d/%m/%Y})")])
    sheet.append([])
    sheet.append([cell(name, bold) for name in LIST_COLUMNS])
    token = xlsx_stream.marker()
    sheet.append([token])  # row 6: where the rows go
    counted = {"done": 0}

    def rows():
        tally = {}
        for done, (full_name, phone, workplace, address) in enumerate(list_rows(spec, tally), 1):
            yield (done, full_name, phone, workplace, address)
            counted["done"] = done
            if progress and done % CHUNK == 0:
                progress(done)
        yield ()
        yield (LIST_NOTE,)
        yield (closing_line(tally["others"]),)

    with tempfile.SpooledTemporaryFile(max_size=1 << 20) as form:
        workbook.save(form)
        form.seek(0)
        xlsx_stream.splice(form, target, 1, token, 6, rows())
    if progress:
        progress(counted["done"])
    return counted["done"]


class _Echo:
    def write(self, value):
        return value


def list_csv_lines(spec, *, as_of=None):
    """The same list as CSV lines (UTF-8 with BOM, so Excel reads the diacritics), for streaming."""
    as_of = as_of or timezone.localdate()
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([LIST_TITLE])
    yield writer.writerow([spec.heading])
    yield writer.writerow([f"(Tính đến ngày {as_of:%d/%m/%Y})"])
    yield writer.writerow(LIST_COLUMNS)
    tally = {}
    for number, row in enumerate(list_rows(spec, tally), 1):
        yield writer.writerow([number, *row])
    yield writer.writerow([])
    yield writer.writerow([LIST_NOTE])
    yield writer.writerow([closing_line(tally["others"])])


# --- The chairman's summary and the monthly report ------------------------------------------------


def _sheet_header(workbook, title, lines):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title[:31])
    first = WriteOnlyCell(sheet, value=lines[0])
    first.font = Font(bold=True, size=13)
    sheet.append([first])
    for line in lines[1:]:
        sheet.append([line])
    sheet.append([])
    return sheet


def write_summary_xlsx(path, figures, *, as_of=None):
    """One row per group and per workplace, the totals, the rate, the date as of."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    as_of = as_of or timezone.localtime(figures.computed_at)
    workbook = Workbook(write_only=True)
    sheet = _sheet_header(
        workbook,
        "Tổng hợp",
        [
            f"BÁO CÁO TỔNG HỢP CÀI ĐẶT ỨNG DỤNG SMART HẢI PHÒNG – {figures.unit_name.upper()}",
            f"Số liệu tính đến {as_of:%H:%M ngày %d/%m/%Y}",
        ],
    )
    bold = Font(bold=True)
    header = [
        "Stt",
        "Tổ dân phố",
        "Tổng số hộ",
        "Số hộ có ĐTTM",
        "Số người đã đăng ký",
        "Số hộ đã có người đăng ký",
        "Tỷ lệ (%)",
        "Còn thiếu (hộ)",
        "Xếp hạng",
    ]
    sheet.append([WriteOnlyCell(sheet, value=v) for v in header])
    for number, row in enumerate(sorted(figures.groups, key=lambda r: r.name), 1):
        sheet.append(
            [
                number,
                row.name,
                row.households,
                row.smartphone_households,
                row.registered,
                row.covered,
                row.rate,
                row.gap,
                row.rank,
            ]
        )
    t = figures.totals
    total_label = WriteOnlyCell(sheet, value="Tổng cộng")
    total_label.font = bold
    sheet.append(
        [
            None,
            total_label,
            t["households"],
            t["smartphone_households"],
            t["registered"],
            t["covered"],
            t["rate"],
            None,
            None,
        ]
    )
    sheet.append([])
    sheet.append(
        ["Stt", "Cơ quan, trường học, doanh nghiệp", "Loại", "Tổng số cán bộ", "Đã đăng ký", "Tỷ lệ (%)", "Còn thiếu"]
    )
    for number, row in enumerate(figures.workplaces, 1):
        sheet.append([number, row.name, str(row.kind_label), row.headcount, row.registered, row.rate, row.gap])
    sheet.append([])
    sheet.append([f"Người đăng ký ghi phường nhưng chưa ghi tổ dân phố: {figures.without_group}"])
    sheet.append(["Cách tính: " + " ".join(str(line) for line in _how_counted())])
    workbook.save(path)


def _how_counted():
    from .figures import HOW_COUNTED

    return HOW_COUNTED


def monthly_rows(figures, reasons):
    """Phụ lục 01's rows from the live figures: (key, name, total, installed, not installed, reasons)."""
    rows = []
    for row in sorted(figures.groups, key=lambda r: r.name):
        total = row.smartphone_households
        installed = row.covered
        rows.append(_monthly_row(f"g{row.pk}", row.name, total, installed, reasons))
    for row in figures.workplaces:
        rows.append(_monthly_row(f"w{row.pk}", row.name, row.headcount, row.registered, reasons))
    return rows


def _monthly_row(key, name, total, installed, reasons):
    entered = reasons.get(key) or {}
    text = "; ".join([*entered.get("common", []), *([entered["text"]] if entered.get("text") else [])])
    missing = None if total is None else max(total - installed, 0)
    return {"key": key, "name": name, "total": total, "installed": installed, "missing": missing, "reasons": text}


def write_monthly_xlsx(path, *, unit_name, month, rows, confirmed_at=None):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    lines = [
        "Phụ lục 01",
        MONTHLY_TITLE,
        f"Đơn vị: {unit_name} – Tháng {month:%m/%Y}",
    ]
    if confirmed_at:
        lines.append(f"Đã xác nhận lúc {timezone.localtime(confirmed_at):%H:%M ngày %d/%m/%Y}")
    sheet = _sheet_header(workbook, "Phụ lục 01", lines)
    bold = Font(bold=True)
    sheet.append(
        [WriteOnlyCell(sheet, value=v) for v in ("Stt", "Tên đơn vị", "Số lượng", None, None, "Lý do chưa cài đặt")]
    )
    sheet.append([None, None, "Tổng số", "Đã cài đặt", "Chưa cài đặt", None])
    totals = [0, 0, 0]
    for number, row in enumerate(rows, 1):
        sheet.append([number, row["name"], row["total"], row["installed"], row["missing"], row["reasons"]])
        totals[0] += row["total"] or 0
        totals[1] += row["installed"] or 0
        totals[2] += row["missing"] or 0
    label = WriteOnlyCell(sheet, value="Tổng cộng")
    label.font = bold
    sheet.append([None, label, *totals, None])
    workbook.save(path)


def month_of(day):
    return dt.date(day.year, day.month, 1)


def heading_for_group(group_name, unit_name):
    return _("%(group)s – %(unit)s") % {"group": group_name, "unit": unit_name}
