"""Writes of the shared geography: the list of units, their boundaries and seats, residential groups.

Every import follows the same three rules, so an administrator can rerun a file without fear:

* it reads the whole file and checks every row first; each problem is reported with its line (for
  GeoJSON: the feature's position in the collection) and a message in Vietnamese;
* a file with any problem writes nothing (`DataImportError` carries all the problems at once);
* otherwise it writes in one transaction, keyed on the unit code or on (unit, group name), and
  running the same file again changes nothing (the result counts those rows as unchanged).

Rows that are not in a file are left alone: units cannot be deleted under agencies, and a ward's
list of groups may be imported in parts.
"""

import csv
import io
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import shapely
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.errors import GEOSException
from shapely.geometry import shape

from smarthp.text import search_key

from .models import AdministrativeUnit, ResidentialGroup, UnitKind

DATA_DIR = Path(__file__).resolve().parent / "data"
# The 114 units in force since 1 July 2025 (statistics-office codes and names).
BUNDLED_UNITS = DATA_DIR / "haiphong-units-2025.csv"
# Seats of the central wards, the Hải Dương wards and the two special zones: APPROXIMATE points
# placed by hand in the right places (within a few hundred metres of the ward centre, not the
# committee's exact address). Good enough to tell the wards apart and to tell the city from outside
# it until the official boundaries are imported; replace them with surveyed points when the city
# provides them.
BUNDLED_SEATS = DATA_DIR / "unit-seats.csv"
# The boundaries of the 114 units, as published (see data/README.md for the source and its credit).
BUNDLED_BOUNDARIES = DATA_DIR / "haiphong-units-2025-boundaries.geojson"

# A generous box around the city, Bạch Long Vĩ island included. Anything outside is a file in
# another coordinate system (VN-2000 metres) or with latitude and longitude swapped.
CITY_BOUNDS = {"min_lat": 19.8, "max_lat": 21.4, "min_lng": 105.8, "max_lng": 108.0}

GEOJSON_CODE_KEYS = ("code", "ma", "nso_code", "ma_xa", "ma_dvhc")

UNIT_KINDS = {"phuong": UnitKind.WARD, "xa": UnitKind.COMMUNE, "dac khu": UnitKind.SPECIAL_ZONE}

# shapely explains invalid geometry in English; the reasons a city GIS export usually has.
GEOMETRY_REASONS = {
    "Self-intersection": "đường biên tự cắt nhau",
    "Ring Self-intersection": "một vòng tự cắt chính nó",
    "Too few points": "quá ít điểm",
    "Hole lies outside shell": "lỗ nằm ngoài đường bao",
    "Nested shells": "các đường bao lồng nhau",
    "Nested holes": "các lỗ lồng nhau",
    "Interior is disconnected": "phần trong bị chia cắt",
    "Duplicate Rings": "vòng bị lặp",
    "Invalid Coordinate": "tọa độ không hợp lệ",
}

MAX_HOUSEHOLDS = 1_000_000


class DataImportError(Exception):
    """A file was refused. `errors` lists every problem as (position, message), position being the
    line of a CSV file or the 1-based feature number of a GeoJSON file (None: the whole file)."""

    def __init__(self, errors, position_label=None):
        self.errors = sorted(errors, key=lambda item: (item[0] or 0, item[1]))
        self.position_label = position_label or _("Dòng")
        super().__init__(self.errors)

    def lines(self):
        """The problems as text, one per entry, e.g. "Dòng 4: thiếu tên."."""
        return [
            message if position is None else f"{self.position_label} {position}: {message}"
            for position, message in self.errors
        ]

    def __str__(self):
        return "\n".join(self.lines())


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self):
        return _("%(created)s thêm mới, %(updated)s cập nhật, %(unchanged)s không đổi") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


# --- Reading files ------------------------------------------------------------------------------


def _read_text(file):
    """The text of a path or an open file (text or bytes); UTF-8, with or without Excel's BOM."""
    if isinstance(file, str | Path):
        with open(file, "rb") as handle:
            data = handle.read()
    else:
        data = file.read()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise DataImportError(
                [(line, _("tệp không phải văn bản UTF-8; hãy lưu lại tệp với bảng mã UTF-8."))]
            ) from exc
    return data.lstrip("\ufeff")


def _clean(value):
    """NFC, single spaces: what a person typed, without the differences they cannot see."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def _header_key(name):
    return search_key((name or "").replace("_", " "))


def _csv_records(text, columns, required):
    """Rows of a CSV file with a header, as (line, {column: text}).

    `columns` maps each column to the header spellings accepted for it (folded: "Số hộ" -> "so ho");
    a missing required column, or an unknown one, refuses the file. Blank rows are skipped; the
    line is where the row starts, so a quoted field running over lines does not shift the count.
    """
    first_line = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise DataImportError([(1, _("tệp trống."))]) from None
    except csv.Error as exc:
        raise DataImportError([(1, _("không đọc được dòng tiêu đề."))]) from exc

    spellings = {spelling: column for column, names in columns.items() for spelling in names}
    positions, errors = {}, []
    for index, name in enumerate(header):
        column = spellings.get(_header_key(name))
        if column is None:
            if _clean(name):
                errors.append((1, _("cột “%(name)s” không được hỗ trợ.") % {"name": _clean(name)}))
            continue
        positions[column] = index
    for column in required:
        if column not in positions:
            errors.append((1, _("thiếu cột “%(name)s”.") % {"name": column}))
    if errors:
        raise DataImportError(errors)

    records, problems = [], []
    line = reader.line_num
    while True:
        start = line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            problems.append((start, _("dòng không đúng định dạng CSV (dấu ngoặc kép chưa đóng?).")))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            problems.append((start, _("dòng có nhiều cột hơn dòng tiêu đề.")))
            continue
        values = {column: (row[index] if index < len(row) else "") for column, index in positions.items()}
        records.append((start, values))
    return records, problems


def _optional_count(value, label, errors, line):
    value = (value or "").strip()
    if not value:
        return None
    if not re.fullmatch(r"[0-9]+", value):
        errors.append((line, _("%(label)s “%(value)s” phải là số nguyên không âm.") % {"label": label, "value": value}))
        return None
    number = int(value)
    if number > MAX_HOUSEHOLDS:
        errors.append((line, _("%(label)s %(value)s quá lớn.") % {"label": label, "value": value}))
        return None
    return number


def _save_if_changed(obj, values, result):
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if not changed:
        result.unchanged += 1
        return
    for field in changed:
        setattr(obj, field, values[field])
    obj.save(update_fields=[*changed, "search_key"] if hasattr(obj, "search_key") else changed)
    result.updated += 1


# --- Units --------------------------------------------------------------------------------------


@transaction.atomic
def import_units(file=BUNDLED_UNITS):
    """Create or update the administrative units from a CSV file (nso_code, name, division_type).

    The bundled file lists the 114 units in force since 1 July 2025. The type is "phường", "xã" or
    "đặc khu" (with or without diacritics).
    """
    records, errors = _csv_records(
        _read_text(file),
        columns={
            "nso_code": {"nso code", "code", "ma", "ma don vi"},
            "name": {"name", "ten", "ten don vi"},
            "division_type": {"division type", "kind", "loai", "cap"},
        },
        required=("nso_code", "name", "division_type"),
    )
    rows, seen = {}, {}
    for line, values in records:
        code = values["nso_code"].strip()
        name = _clean(values["name"])
        kind = UNIT_KINDS.get(_header_key(values["division_type"]))
        if not re.fullmatch(r"[0-9]{1,5}", code):
            errors.append((line, _("mã đơn vị “%(code)s” phải gồm tối đa 5 chữ số.") % {"code": code}))
        else:
            code = code.zfill(5)
            if code in seen:
                errors.append((line, _("mã %(code)s trùng với dòng %(line)s.") % {"code": code, "line": seen[code]}))
            seen.setdefault(code, line)
        if not name:
            errors.append((line, _("thiếu tên đơn vị.")))
        elif len(name) > AdministrativeUnit._meta.get_field("name").max_length:
            errors.append((line, _("tên đơn vị quá dài.")))
        if kind is None:
            errors.append(
                (
                    line,
                    _("loại đơn vị “%(kind)s” không hợp lệ; dùng “phường”, “xã” hoặc “đặc khu”.")
                    % {"kind": values["division_type"].strip()},
                )
            )
        rows.setdefault(code, {"name": name, "kind": kind})
    if errors:
        raise DataImportError(errors)

    result = ImportResult()
    existing = AdministrativeUnit.objects.select_for_update().in_bulk(list(rows))
    for code, values in rows.items():
        unit = existing.get(code)
        if unit is None:
            AdministrativeUnit.objects.create(code=code, **values)
            result.created += 1
        else:
            _save_if_changed(unit, values, result)
    return result


@transaction.atomic
def import_unit_seats(file=BUNDLED_SEATS):
    """Set the seat point (lat, lng in WGS 84) of units from a CSV file (nso_code, lat, lng).

    Without boundaries, the nearest seat decides which unit a map point belongs to.
    """
    records, errors = _csv_records(
        _read_text(file),
        columns={
            "nso_code": {"nso code", "code", "ma", "ma don vi"},
            "lat": {"lat", "latitude", "vi do"},
            "lng": {"lng", "lon", "long", "longitude", "kinh do"},
        },
        required=("nso_code", "lat", "lng"),
    )
    codes = [_unit_code(values["nso_code"]) for _line, values in records]
    known = AdministrativeUnit.objects.select_for_update().in_bulk(codes)
    seats, seen = {}, {}
    for (line, values), code in zip(records, codes, strict=True):
        if code not in known:
            errors.append((line, _("không có đơn vị mã %(code)s; hãy nhập danh sách đơn vị trước.") % {"code": code}))
        elif code in seen:
            errors.append((line, _("mã %(code)s trùng với dòng %(line)s.") % {"code": code, "line": seen[code]}))
        seen.setdefault(code, line)
        try:
            lat, lng = float(values["lat"].replace(",", ".")), float(values["lng"].replace(",", "."))
        except ValueError:
            errors.append((line, _("vĩ độ và kinh độ phải là số thập phân (ví dụ 20.8449).")))
            continue
        if not _in_city(lat, lng):
            errors.append((line, _("tọa độ %(lat)s, %(lng)s nằm ngoài Hải Phòng.") % {"lat": lat, "lng": lng}))
        seats.setdefault(code, (lat, lng))
    if errors:
        raise DataImportError(errors)

    result = ImportResult()
    for code, (lat, lng) in seats.items():
        _save_if_changed(known[code], {"seat_lat": lat, "seat_lng": lng}, result)
    return result


def _unit_code(value):
    """Codes lose their leading zeros in spreadsheets; put them back."""
    value = value.strip()
    return value.zfill(5) if re.fullmatch(r"[0-9]{1,5}", value) else value


def _in_city(lat, lng):
    return (
        math.isfinite(lat)
        and math.isfinite(lng)
        and CITY_BOUNDS["min_lat"] <= lat <= CITY_BOUNDS["max_lat"]
        and CITY_BOUNDS["min_lng"] <= lng <= CITY_BOUNDS["max_lng"]
    )


# --- Boundaries ---------------------------------------------------------------------------------


def _feature_code(properties):
    folded = {str(key).strip().lower(): value for key, value in properties.items()}
    for key in GEOJSON_CODE_KEYS:
        value = folded.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return None


def _geometry(raw):
    """A valid 2D Polygon/MultiPolygon in the city as (shapely geometry, None), or (None, message)."""
    if not isinstance(raw, dict) or raw.get("type") not in ("Polygon", "MultiPolygon"):
        kind = raw.get("type") if isinstance(raw, dict) else None
        return None, _("hình phải là Polygon hoặc MultiPolygon (đang là %(type)s).") % {"type": kind or _("trống")}
    try:
        geometry = shapely.force_2d(shape(raw))
    except (GEOSException, ValueError, TypeError, IndexError, AttributeError):
        return None, _("tọa độ của hình không đọc được (mỗi điểm phải là [kinh độ, vĩ độ]).")
    if geometry.is_empty:
        return None, _("hình không có điểm nào.")
    if not all(math.isfinite(value) for value in geometry.bounds):
        return None, _("hình có tọa độ không phải số.")
    if not geometry.is_valid:
        reason = shapely.is_valid_reason(geometry)
        label = reason.split("[", 1)[0].strip()
        detail = GEOMETRY_REASONS.get(label, label)
        where = reason[len(label) :].strip()
        return None, _("hình không hợp lệ: %(reason)s %(where)s.") % {"reason": detail, "where": where}
    min_lng, min_lat, max_lng, max_lat = geometry.bounds
    if not (_in_city(min_lat, min_lng) and _in_city(max_lat, max_lng)):
        return None, _(
            "hình nằm ngoài Hải Phòng; tọa độ phải là [kinh độ, vĩ độ] theo WGS 84 (không phải VN-2000, "
            "không đảo vĩ độ và kinh độ)."
        )
    return geometry, None


@transaction.atomic
def import_boundaries(file=BUNDLED_BOUNDARIES):
    """Set unit boundaries from a GeoJSON FeatureCollection (WGS 84, [longitude, latitude]).

    Each feature names its unit by a property `code`, `ma` or `nso_code` (the statistics-office code)
    and has a valid Polygon or MultiPolygon geometry. Problems are reported by feature number.
    A unit without a seat gets one derived from its boundary (a point surely inside it); a seat
    imported from a file is kept, a derived one follows its boundary when that changes.
    """
    text = _read_text(file)
    feature_label = _("Đối tượng")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataImportError(
            [
                (
                    None,
                    _("tệp không phải JSON hợp lệ (dòng %(line)s, cột %(col)s).")
                    % {"line": exc.lineno, "col": exc.colno},
                )
            ]
        ) from exc
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise DataImportError([(None, _("tệp phải là một GeoJSON FeatureCollection."))])
    if not data["features"]:
        raise DataImportError([(None, _("tệp không có đối tượng nào."))])

    codes = []
    for feature in data["features"]:
        properties = feature.get("properties") if isinstance(feature, dict) else None
        code = _feature_code(properties) if isinstance(properties, dict) else None
        codes.append(_unit_code(code) if code else None)
    known = AdministrativeUnit.objects.select_for_update().in_bulk([code for code in codes if code])

    errors, boundaries, seen = [], {}, {}
    for number, (feature, code) in enumerate(zip(data["features"], codes, strict=True), start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append((number, _("không phải một Feature.")))
            continue
        if code is None:
            errors.append((number, _("thiếu mã đơn vị (thuộc tính code, ma hoặc nso_code).")))
        elif code not in known:
            errors.append(
                (number, _("không có đơn vị mã %(code)s trong danh sách đơn vị hành chính.") % {"code": code})
            )
        elif code in seen:
            errors.append(
                (number, _("mã %(code)s trùng với đối tượng %(number)s.") % {"code": code, "number": seen[code]})
            )
        else:
            seen[code] = number
        geometry, problem = _geometry(feature.get("geometry"))
        if problem:
            errors.append((number, problem))
        elif code in known:
            boundaries.setdefault(code, geometry)
    if errors:
        raise DataImportError(errors, position_label=feature_label)

    result = ImportResult()
    for code, geometry in boundaries.items():
        unit, boundary = known[code], _as_geojson(geometry)
        _save_if_changed(unit, {"boundary": boundary, **_derived_seat(unit, boundary, geometry)}, result)
    return result


def _as_geojson(geometry):
    """A 2D Polygon or MultiPolygon as GeoJSON; twice as fast as shapely.to_geojson on the city's file."""

    def rings(polygon):
        return [shapely.get_coordinates(ring).tolist() for ring in (polygon.exterior, *polygon.interiors)]

    if geometry.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": rings(geometry)}
    return {"type": "MultiPolygon", "coordinates": [rings(polygon) for polygon in geometry.geoms]}


def _seat_inside(geometry):
    point = geometry.representative_point()
    return round(point.y, 6), round(point.x, 6)


def _derived_seat(unit, boundary, geometry):
    """The seat to store with a boundary: the unit's own when it came from a seats file, else a point
    inside the boundary. A seat equal to the point derived from the old boundary was derived, so it
    moves with the boundary (no flag needed to tell the two apart)."""
    seat = (unit.seat_lat, unit.seat_lng)
    if None in seat:
        lat, lng = _seat_inside(geometry)
        return {"seat_lat": lat, "seat_lng": lng}
    if unit.boundary is None or unit.boundary == boundary or seat != _seat_inside(shape(unit.boundary)):
        return {}
    lat, lng = _seat_inside(geometry)
    return {"seat_lat": lat, "seat_lng": lng}


# --- Residential groups -------------------------------------------------------------------------


@transaction.atomic
def import_residential_groups(unit, file):
    """Create or update the residential groups (tổ dân phố, thôn) of one unit from a CSV file.

    Columns: name (required), households, smartphone_households (optional whole numbers; Vietnamese
    headers "Tên", "Số hộ", "Số hộ có điện thoại thông minh" work too). An empty cell clears the
    figure; a column left out of the file leaves the figures already kept untouched.
    `unit` is an AdministrativeUnit or its code.
    """
    if not isinstance(unit, AdministrativeUnit):
        code = str(unit).strip()
        unit = AdministrativeUnit.objects.filter(code=code).first()
        if unit is None:
            raise DataImportError([(None, _("không có đơn vị mã %(code)s.") % {"code": code})])
    households_label = _("Số hộ")
    smartphone_label = _("Số hộ có điện thoại thông minh")
    records, errors = _csv_records(
        _read_text(file),
        columns={
            "name": {"name", "ten", "ten to dan pho", "to dan pho", "thon", "ten thon", "ten to dan pho, thon"},
            "households": {"households", "so ho", "tong so ho"},
            "smartphone_households": {
                "smartphone households",
                "so ho co dien thoai thong minh",
                "so ho co smartphone",
                "ho co dien thoai thong minh",
            },
        },
        required=("name",),
    )
    max_length = ResidentialGroup._meta.get_field("name").max_length
    rows, seen = {}, {}
    for line, values in records:
        name = _clean(values["name"])
        figures = {}
        if "households" in values:
            figures["households"] = _optional_count(values["households"], households_label, errors, line)
        if "smartphone_households" in values:
            figures["smartphone_households"] = _optional_count(
                values["smartphone_households"], smartphone_label, errors, line
            )
        if not name:
            errors.append((line, _("thiếu tên tổ dân phố / thôn.")))
            continue
        if len(name) > max_length:
            errors.append(
                (line, _("tên “%(name)s” quá dài (tối đa %(max)s ký tự).") % {"name": name, "max": max_length})
            )
        if name.casefold() in seen:
            errors.append(
                (line, _("“%(name)s” trùng với dòng %(line)s.") % {"name": name, "line": seen[name.casefold()]})
            )
            continue
        seen[name.casefold()] = line
        total, smartphones = figures.get("households"), figures.get("smartphone_households")
        if total is not None and smartphones is not None and smartphones > total:
            errors.append(
                (
                    line,
                    _("số hộ có điện thoại thông minh (%(smart)s) lớn hơn số hộ (%(total)s).")
                    % {"smart": smartphones, "total": total},
                )
            )
        rows[name] = figures
    if errors:
        raise DataImportError(errors)

    result = ImportResult()
    existing = {group.name: group for group in unit.residential_groups.select_for_update().filter(name__in=list(rows))}
    for name, figures in rows.items():
        group = existing.get(name)
        if group is None:
            ResidentialGroup.objects.create(unit=unit, name=name, **figures)
            result.created += 1
        else:
            _save_if_changed(group, figures, result)
    return result
