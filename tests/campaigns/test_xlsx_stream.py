"""Rows written straight into an openpyxl workbook's sheet read back as openpyxl itself wrote them."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from campaigns import exports, services, xlsx_stream
from campaigns.models import ExportKind
from tests.campaigns.world import resident

TRICKY = [
    (1, "Lê & Con <b>", "0911 000 101", None, "  spaces at both ends  "),
    (2, "Quote \" and ' apostrophe", "", "Trường > THCS", "Tab\there, new\nline"),
    (3, "Emoji 🙂 and ĐĐ", "0911", "x", "bell\x07 dropped"),
    (40000, "last", None, None, None),
]


def spliced(rows):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.column_dimensions["B"].width = 28
    bold = WriteOnlyCell(sheet, value="TITLE")
    bold.font = Font(bold=True)
    sheet.append([bold])
    token = xlsx_stream.marker()
    sheet.append([token])
    form, out = io.BytesIO(), io.BytesIO()
    workbook.save(form)
    form.seek(0)
    after = xlsx_stream.splice(form, out, 1, token, 2, rows)
    return load_workbook(io.BytesIO(out.getvalue())), after


def test_spliced_rows_read_back_as_written_with_forbidden_characters_dropped():
    book, after = spliced([*TRICKY, (), ("note",)])
    sheet = book.active
    assert after == 2 + len(TRICKY) + 2
    assert sheet["A1"].value == "TITLE" and sheet["A1"].font.bold  # openpyxl's own rows and styles stay
    assert sheet.column_dimensions["B"].width == 28
    got = [tuple(cell.value for cell in row) for row in sheet.iter_rows(min_row=2, max_col=5)]
    assert got[0] == (1, "Lê & Con <b>", "0911 000 101", None, "  spaces at both ends  ")
    assert got[1] == (2, "Quote \" and ' apostrophe", None, "Trường > THCS", "Tab\there, new\nline")
    assert got[2] == (3, "Emoji 🙂 and ĐĐ", "0911", "x", "bell dropped")
    assert got[3] == (40000, "last", None, None, None)
    assert got[4] == (None,) * 5 and got[5][0] == "note"
    assert sheet.max_row == after - 1


def test_a_workbook_without_the_marker_row_is_refused():
    workbook = Workbook(write_only=True)
    workbook.create_sheet("x").append(["nothing here"])
    form = io.BytesIO()
    workbook.save(form)
    form.seek(0)
    with pytest.raises(ValueError, match="marker"):
        xlsx_stream.splice(form, io.BytesIO(), 1, xlsx_stream.marker(), 1, [])


@pytest.mark.django_db
def test_the_whole_ward_list_names_those_who_agreed_and_counts_the_others_in_one_pass(w):
    spec = services.spec_for(unit=w.lechan, kind=ExportKind.WARD_LIST, target_id=None)
    out = io.BytesIO()
    with CaptureQueriesContext(connection) as captured:
        assert exports.write_list_xlsx(out, spec) == 4  # r1, r3, r4, r7
    # One query of the people.
    assert len([query for query in captured.captured_queries if "citizens_profile" in query["sql"]]) == 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the portal's connections run without JIT (settings): ~1 s here
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
    rows = [tuple(row) for row in load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(values_only=True)]
    people = [row for row in rows if row and isinstance(row[0], int)]
    assert [row[1] for row in people] == ["Lê Văn Ba", "Nguyễn Văn Một", "Phạm Thị Bốn", "Vũ Thị Bảy"]  # by group
    assert rows[-1][0] == "và 2 người đã đăng ký khác chưa đồng ý công khai tên"  # r2, r6 (r5 is not verified)


@pytest.mark.django_db
def test_a_name_with_markup_in_the_downloaded_list_is_text(client, w, make_user):
    resident(make_user, "+84911000777", "A & B <script>", ward=w.lechan, group=w.g2, named=True)
    client.force_login(w.staff)
    response = client.get(reverse("campaigns_officer:export", args=["11383", "xlsx"]) + f"?to={w.g2.pk}")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert "A & B <script>" in [row[1] for row in sheet.iter_rows(values_only=True) if row and len(row) > 1]
