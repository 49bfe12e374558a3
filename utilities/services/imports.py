"""Places in bulk: from a GeoJSON file (an OpenStreetMap export, tags as properties), from CSV, and
from the agencies the portal already knows.

Imports are all or nothing: every row is checked first, and one bad row (named: "Dòng 4", "Đối tượng
3 (node/123)") writes nothing. They are idempotent on the source id: a row whose id is already there
updates that place, so importing the same file twice changes nothing the second time.
"""

import csv
import io
import json
from dataclasses import dataclass, field

import shapely
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from government.models import Agency, AgencyKind

from .. import kinds
from ..models import Place, PlaceKind, PlaceSource
from .common import PlaceError, clean_place_fields

MAX_ERRORS = 50
BATCH = 500
CSV_COLUMNS = ["source_id", "name", "kind", "lat", "lng", "address", "phone", "opening_hours", "website", "note"]
COMPARED = (
    "name",
    "kind",
    "address",
    "unit_id",
    "lat",
    "lng",
    "phone",
    "opening_hours",
    "website",
    "note",
    "agency_id",
)


class ImportFailed(Exception):
    """Nothing was imported; `errors` says why, row by row (at most MAX_ERRORS of them)."""

    def __init__(self, errors):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: list = field(default_factory=list)

    def __str__(self):
        return _("%(created)d thêm mới, %(updated)d cập nhật, %(unchanged)d không đổi") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def _read_text(data):
    if hasattr(data, "read"):
        data = data.read()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFailed([_("Tệp phải được mã hóa UTF-8.")]) from None
    return data


# --- GeoJSON ------------------------------------------------------------------------------------


def _point_of(geometry):
    """(lat, lng) of a GeoJSON geometry: a Point as it is; a building or an area mapped as a polygon
    (hospitals and schools often are) by a point inside it."""
    if not isinstance(geometry, dict):
        raise PlaceError(_("thiếu hình học (geometry)"))
    if geometry.get("type") == "Point":
        coordinates = geometry.get("coordinates")
        if not isinstance(coordinates, list | tuple) or len(coordinates) < 2:
            raise PlaceError(_("tọa độ không hợp lệ"))
        return coordinates[1], coordinates[0]
    try:
        point = shape(geometry).representative_point()
    except (shapely.errors.ShapelyError, ValueError, TypeError, KeyError, AttributeError, IndexError):
        raise PlaceError(_("hình học không hợp lệ")) from None
    return point.y, point.x


def _address_of(tags):
    if tags.get("addr:full"):
        return tags["addr:full"]
    street = " ".join(str(tags.get(key) or "") for key in ("addr:housenumber", "addr:street")).strip()
    parts = [street, tags.get("addr:quarter") or tags.get("addr:subdistrict") or ""]
    return ", ".join(str(part) for part in parts if part)


def _feature_row(feature):
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise PlaceError(_("không phải một Feature của GeoJSON"))
    tags = feature.get("properties") or {}
    if not isinstance(tags, dict):
        raise PlaceError(_("thuộc tính (properties) không hợp lệ"))
    source_id = str(tags.get("@id") or feature.get("id") or tags.get("id") or tags.get("source_id") or "").strip()
    kind = kinds.kind_of(str(tags.get("kind") or "")) or kinds.kind_from_tags(tags)
    if kind is None:
        raise PlaceError(_("không xác định được loại địa điểm từ các thẻ OpenStreetMap"))
    lat, lng = _point_of(feature.get("geometry"))
    return source_id, {
        "name": tags.get("name:vi") or tags.get("name") or "",
        "kind": kind,
        "lat": lat,
        "lng": lng,
        "address": _address_of(tags),
        "phone": tags.get("phone") or tags.get("contact:phone") or "",
        "opening_hours": tags.get("opening_hours") or "",
        "website": tags.get("website") or tags.get("contact:website") or "",
        "note": tags.get("description") or "",
    }


def import_geojson(data):
    """Import the places of a GeoJSON FeatureCollection (or one Feature): `data` is text, bytes or a
    file. Each feature needs an id (`@id`/`id`: "node/123" in an OSM export), a name and a kind
    (from its OSM tags, or a `kind` property). Returns ImportResult; raises ImportFailed."""
    text = _read_text(data)
    try:
        document = json.loads(text)
    except (ValueError, TypeError):
        raise ImportFailed([_("Tệp không phải GeoJSON: không đọc được nội dung JSON.")]) from None
    if isinstance(document, dict) and document.get("type") == "Feature":
        features = [document]
    elif isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            raise ImportFailed([_("Tệp GeoJSON không có danh sách features.")])
    else:
        raise ImportFailed([_("Tệp không phải GeoJSON: cần một FeatureCollection.")])

    def label(number, item):
        item_id = item.get("id") if isinstance(item, dict) else None
        props = item.get("properties") if isinstance(item, dict) else None
        item_id = (props.get("@id") if isinstance(props, dict) else None) or item_id
        if item_id:
            return _("Đối tượng %(number)d (%(id)s)") % {"number": number, "id": item_id}
        return _("Đối tượng %(number)d") % {"number": number}

    return _import(((label(n, f), lambda f=f: _feature_row(f)) for n, f in enumerate(features, 1)), PlaceSource.OSM)


# --- CSV ----------------------------------------------------------------------------------------


def _csv_row(row):
    kind_text = (row.get("kind") or "").strip()
    kind = kinds.kind_of(kind_text)
    if kind is None and "=" in kind_text:
        key, _sep, value = kind_text.partition("=")
        kind = kinds.kind_from_tags({key.strip(): value.strip()})
    if kind is None:
        raise PlaceError(_("loại “%(kind)s” không hợp lệ") % {"kind": kind_text})
    return (row.get("source_id") or "").strip(), {
        "name": row.get("name"),
        "kind": kind,
        "lat": (row.get("lat") or "").strip().replace(",", "."),
        "lng": (row.get("lng") or "").strip().replace(",", "."),
        "address": row.get("address"),
        "phone": row.get("phone"),
        "opening_hours": row.get("opening_hours"),
        "website": row.get("website"),
        "note": row.get("note"),
    }


def import_csv(data):
    """Import places from CSV with a header row: source_id, name, kind (a kind such as "pharmacy", its
    address word "nha-thuoc", or an OSM tag "amenity=pharmacy"), lat, lng, and optionally address,
    phone, opening_hours, website, note. Returns ImportResult; raises ImportFailed."""
    text = _read_text(data)
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in ("source_id", "name", "kind", "lat", "lng") if name not in header]
    if missing:
        raise ImportFailed([_("Tệp CSV thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)}])
    reader.fieldnames = header
    try:
        rows = list(reader)
    except csv.Error:
        raise ImportFailed([_("Tệp CSV không đọc được.")]) from None
    lines = ((_("Dòng %(line)d") % {"line": n}, lambda r=r: _csv_row(r)) for n, r in enumerate(rows, 2))
    return _import(lines, PlaceSource.CSV)


# --- Writing ------------------------------------------------------------------------------------


def _import(rows, source):
    errors, checked, seen = [], [], set()
    for label, read in rows:
        try:
            source_id, raw = read()
            if not source_id:
                raise PlaceError(_("thiếu mã nguồn (source_id)"))
            if len(source_id) > 100:
                raise PlaceError(_("mã nguồn dài quá 100 ký tự"))
            if source_id in seen:
                raise PlaceError(_("mã nguồn %(id)s lặp lại trong tệp") % {"id": source_id})
            seen.add(source_id)
            checked.append((source_id, clean_place_fields(**raw)))
        except PlaceError as exc:
            errors.append(f"{label}: {exc.message}")
            if len(errors) >= MAX_ERRORS:
                errors.append(_("… và có thể còn lỗi khác; chưa kiểm tra hết tệp."))
                break
    if errors:
        raise ImportFailed(errors)
    if not checked:
        raise ImportFailed([_("Tệp không có địa điểm nào.")])
    return _write(checked, source)


@transaction.atomic
def _write(checked, source, *, agencies=None):
    """Create or update the places of `checked` [(source_id, values)], in batches. Returns ImportResult."""
    result = ImportResult()
    now = timezone.now()
    for start in range(0, len(checked), BATCH):
        batch = checked[start : start + BATCH]
        existing = {
            place.source_id: place
            for place in Place.objects.select_for_update().filter(source_id__in=[sid for sid, _v in batch])
        }
        new, changed = [], []
        for source_id, values in batch:
            values = dict(values)
            values["unit_id"] = values.pop("unit").code
            if agencies is not None:
                values["agency_id"] = agencies.get(source_id)
            place = existing.get(source_id)
            if place is None:
                place = Place(**values, source=source, source_id=source_id, created_at=now, updated_at=now)
                place.search_key = _search_key(place)
                new.append(place)
                continue
            compared = (*COMPARED, "agency_id")
            fields = [name for name in compared if name in values and getattr(place, name) != values[name]]
            if not fields:
                result.unchanged += 1
                result.ids.append(place.pk)
                continue
            for name in fields:
                setattr(place, name, values[name])
            place.search_key = _search_key(place)
            place.version += 1
            place.updated_at = now
            changed.append(place)
        Place.objects.bulk_create(new)
        if changed:
            Place.objects.bulk_update(changed, [*COMPARED, "agency_id", "search_key", "version", "updated_at"])
        result.created += len(new)
        result.updated += len(changed)
        result.ids += [place.pk for place in new + changed]
    return result


def _search_key(place):
    from smarthp.text import search_key

    return search_key(f"{place.name} {place.address}")


# --- Agencies -----------------------------------------------------------------------------------


def sync_agency_places():
    """Show the ward and commune People's Committees and the police the portal knows as places, at
    their unit's seat, with the agency's address and phone. Idempotent (source id "agency/<slug>");
    an agency without a unit or whose unit has no seat is left out (there is no point to show).
    Returns ImportResult."""
    agencies = (
        Agency.objects.filter(is_active=True, kind__in=[AgencyKind.WARD_COMMITTEE, AgencyKind.POLICE])
        .exclude(unit__isnull=True)
        .exclude(unit__seat_lat__isnull=True)
        .select_related("unit")
        .defer("unit__boundary")
        .order_by("slug")
    )
    checked, ids = [], {}
    for agency in agencies:
        kind = PlaceKind.POLICE if agency.kind == AgencyKind.POLICE else PlaceKind.GOVERNMENT
        try:
            values = clean_place_fields(
                name=agency.name,
                kind=kind,
                lat=agency.unit.seat_lat,
                lng=agency.unit.seat_lng,
                address=agency.address,
                phone=agency.phone,
            )
        except PlaceError:
            continue  # a seat outside every boundary, or a phone with letters: not shown rather than wrong
        source_id = f"agency/{agency.slug}"
        ids[source_id] = agency.pk
        checked.append((source_id, values))
    if not checked:
        return ImportResult()
    return _write(checked, PlaceSource.AGENCY, agencies=ids)
