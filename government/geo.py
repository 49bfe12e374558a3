"""Which administrative unit a map point lies in.

With boundaries imported (`import_boundaries`), the unit whose polygon covers the point; a point on
a border counts as inside (the lower code wins where two units share it); a point outside every
polygon is outside the city (None). Without any boundary, the unit with the nearest seat, unless
that seat is farther than settings.UNIT_SEAT_MAX_KM (default 30 km): that is how a point outside the
city is told apart before the city's official boundaries are loaded. The bundled seats are
approximate points in the central wards, so until boundaries are loaded a point in an outlying
commune goes to the nearest central ward.

Each process keeps the polygons in a shapely STRtree, built on first use. Before answering it reads
the one-row GeoDataVersion (bumped in the same transaction as any change of boundary or seat) and
rebuilds when the number moved, so an import in one process reaches every web and worker process.
Cost once built: one indexed query on a one-row table plus the tree lookup. Measured with the 114
units as polygons of 200 points each, on the SQLite default: about 0.3 ms per call, almost all of
it the version query (the tree lookup itself is about 0.02 ms). With the bundled boundaries (88,310
points) the first call after a change rebuilds the index in about 0.3 s (measured on a busy
two-core machine; boundary_shape() is most of it).
"""

import copy
import math
import threading
import time
from dataclasses import dataclass

import numpy
import shapely
from django.conf import settings
from shapely.geometry import shape

from .models import AdministrativeUnit, GeoDataVersion

EARTH_RADIUS_KM = 6371.0088
DEFAULT_SEAT_MAX_KM = 30


@dataclass(frozen=True)
class _Index:
    version: int
    units: tuple  # AdministrativeUnit rows with `boundary` deferred, ordered by code
    tree: shapely.STRtree | None
    shapes: tuple  # (unit, prepared geometry), aligned with the tree
    seats: tuple  # (unit, lat, lng)
    by_code: dict  # code -> unit
    choices: tuple  # (code, name), in Vietnamese alphabetical order


_index = None
_lock = threading.Lock()
# Reading GeoDataVersion is a query on every call (it was a feed miss's second query): a process
# reads it at most once a second, so an import made in one process reaches the others within a
# second, and at once in the process that made it (GeoDataVersion.bump forgets the reading).
VERSION_CHECK_SECONDS = 1.0
_version_read = (0.0, None)  # (time.monotonic() of the reading, the number read)


def _build(version):
    units = tuple(AdministrativeUnit.objects.defer("boundary").order_by("code"))
    by_code = {unit.code: unit for unit in units}
    shapes = []
    rows = AdministrativeUnit.objects.filter(boundary__isnull=False).order_by("code").values_list("code", "boundary")
    for code, boundary in rows:
        geometry = boundary_shape(boundary)
        shapely.prepare(geometry)
        shapes.append((by_code[code], geometry))
    tree = shapely.STRtree([geometry for _unit, geometry in shapes]) if shapes else None
    seats = tuple(
        (unit, unit.seat_lat, unit.seat_lng)
        for unit in units
        if unit.seat_lat is not None and unit.seat_lng is not None
    )
    choices = tuple((unit.code, unit.name) for unit in sorted(units, key=lambda unit: (unit.search_key, unit.name)))
    return _Index(
        version=version, units=units, tree=tree, shapes=tuple(shapes), seats=seats, by_code=by_code, choices=choices
    )


def current_version():
    """The boundaries' GeoDataVersion, read from the database at most once every
    VERSION_CHECK_SECONDS in this process (and at once after forget_version())."""
    global _version_read
    now = time.monotonic()
    read_at, version = _version_read
    if version is None or now - read_at >= VERSION_CHECK_SECONDS:
        version = GeoDataVersion.current()
        _version_read = (now, version)
    return version


def forget_version():
    """Read GeoDataVersion again on the next call (this process just changed it)."""
    global _version_read
    _version_read = (0.0, None)


def _current_index():
    global _index
    version = current_version()
    index = _index
    if index is None or index.version != version:
        with _lock:
            index = _index
            if index is None or index.version != version:
                index = _index = _build(version)
    return index


def boundary_shape(boundary):
    """The shapely geometry of a stored boundary (a GeoJSON Polygon or MultiPolygon, as the import
    writes it). Three times as fast as shapely's shape() on the city's 88,000 points, which is most of
    the time it takes to build this index or the map layer (government.maps)."""
    kind, coordinates = boundary.get("type"), boundary.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        return shape(boundary)
    polygons = []
    for rings in [coordinates] if kind == "Polygon" else coordinates:
        shell, *holes = (numpy.asarray(ring, dtype=float) for ring in rings)
        polygons.append(shapely.polygons(shell, holes=holes or None))
    return polygons[0] if kind == "Polygon" else shapely.multipolygons(polygons)


def forget_index():
    """Drop this process's index (tests; the version check makes it unnecessary otherwise)."""
    global _index
    _index = None
    forget_version()


def haversine_km(lat1, lng1, lat2, lng2):
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def unit_at(lat, lng):
    """The AdministrativeUnit at (lat, lng) in WGS 84, or None when the point is outside the city.

    Returns a copy, so a caller may change it without touching other callers; its `boundary` is
    loaded on first access.
    """
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lng)):
        return None
    index = _current_index()
    find = _unit_by_polygon if index.tree is not None else _unit_by_seat
    unit = find(index, lat, lng)
    return copy.copy(unit) if unit is not None else None


def _unit_by_polygon(index, lat, lng):
    point = shapely.Point(lng, lat)
    candidates = [index.shapes[i] for i in sorted(index.tree.query(point, predicate="intersects"))]
    if not candidates:
        return None
    # Only a point on a shared border (or overlapping bad data) has several; the interior wins.
    inside = [unit for unit, geometry in candidates if geometry.contains(point)]
    return (inside or [unit for unit, _geometry in candidates])[0]


def _unit_by_seat(index, lat, lng):
    if not index.seats:
        return None
    distance, unit = min(
        ((haversine_km(lat, lng, seat_lat, seat_lng), unit) for unit, seat_lat, seat_lng in index.seats),
        key=lambda pair: pair[0],
    )
    max_km = getattr(settings, "UNIT_SEAT_MAX_KM", DEFAULT_SEAT_MAX_KM)
    return unit if distance <= max_km else None


def units_choices():
    """(code, name) of every unit, in Vietnamese alphabetical order (diacritics folded), for forms."""
    return list(_current_index().choices)


def unit_point(code):
    """(unit, (lat, lng)) of the unit with this code, from the index in memory (no query): its seat,
    else a point inside its boundary, else (unit, None); (None, None) for an unknown code. The unit's
    `boundary` is deferred: reading it would be a query."""
    index = _current_index()
    unit = index.by_code.get(str(code or ""))
    if unit is None:
        return None, None
    if unit.seat_lat is not None and unit.seat_lng is not None:
        return unit, (unit.seat_lat, unit.seat_lng)
    for shaped, geometry in index.shapes:
        if shaped.code == unit.code:
            point = geometry.representative_point()
            return unit, (point.y, point.x)
    return unit, None
