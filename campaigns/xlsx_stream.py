"""Many plain rows in an openpyxl write-only workbook, without openpyxl's cost per cell.

openpyxl (without lxml) builds, checks and serialises an element per cell: about 15 µs a cell,
3.6 s for a ward's 60,000 names of five columns. Here openpyxl writes the workbook as usual (the
title, the headings, their fonts, the column widths, every other part of the file) with one marker
row where the rows go; then the file is copied, member by member, and the marker row of the
sheet is replaced by the rows, written as openpyxl writes them: numbers as `n` cells, texts as
inline strings (XML-escaped, `xml:space="preserve"` where they start or end with a space), empty
cells left out. The rows are streamed into the new file: none is held in memory.

Characters XML 1.0 forbids (control characters) are dropped from the texts: openpyxl would
refuse the whole file for one of them (IllegalCharacterError).
"""

import re
import uuid
import zipfile
from xml.sax.saxutils import escape

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

_LETTERS = [get_column_letter(number) for number in range(1, 27)]


def marker():
    """A text no list holds, for the row that stands where the rows go."""
    return f"rows-{uuid.uuid4().hex}"


def _cell(letter, number, value):
    ref = f"{letter}{number}"
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}" t="n"><v>{value}</v></c>'
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def row_xml(number, values):
    """The <row> element openpyxl's write-only sheet writes for `values` (None: no cell)."""
    cells = "".join(
        _cell(_LETTERS[index], number, value) for index, value in enumerate(values) if value is not None and value != ""
    )
    return f'<row r="{number}">{cells}</row>'


def splice(workbook_file, target, sheet_index, token, first_row, rows):
    """Copy the saved workbook `workbook_file` (a path or a binary file) into `target` (a path or
    a binary file), its sheet number `sheet_index` (1: the first) with the marker row holding
    `token` replaced by `rows` (iterables of values), numbered from `first_row`. Returns the
    number of the row after the last one written."""
    name = f"xl/worksheets/sheet{sheet_index}.xml"
    number = first_row
    with zipfile.ZipFile(workbook_file) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != name:
                out.writestr(info, source.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
                continue
            sheet = source.read(name).decode("utf-8")
            found = re.search(rf'<row r="{first_row}">(?:(?!</row>).)*{re.escape(token)}(?:(?!</row>).)*</row>', sheet)
            if found is None:
                raise ValueError("the marker row is not in the sheet")
            entry = zipfile.ZipInfo(name, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            with out.open(entry, "w") as handle:
                handle.write(sheet[: found.start()].encode("utf-8"))
                chunk = []
                for values in rows:
                    chunk.append(row_xml(number, values))
                    number += 1
                    if len(chunk) == 500:
                        handle.write("".join(chunk).encode("utf-8"))
                        chunk = []
                handle.write("".join(chunk).encode("utf-8"))
                handle.write(sheet[found.end() :].encode("utf-8"))
    return number
