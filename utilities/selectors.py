"""Reads of the directory: places near a point, search, a place's page, which ward a point is in.

Places are public: nothing here is scoped to a user. "Near me" is a box on latitude and longitude
(an index range) ordered by a flat-earth distance that SQLite and PostgreSQL both compute, then the
exact great-circle distance (government.geo.haversine_km) on the few candidates: no PostGIS. The box
starts small and grows only when it holds too few places: in the city centre a 5 km box holds
thousands of pharmacies, all sorted to keep twenty.
"""

import math
from dataclasses import dataclass

from django.db.models import Q
from django.utils.formats import number_format

from government import geo
from government.models import AdministrativeUnit, Agency, AgencyKind
from smarthp.sql import prepared_cursor
from smarthp.text import search_key

from .models import Place

KM_PER_DEGREE = 111.32  # one degree of latitude, and of longitude at the equator
DEFAULT_RADIUS_KM = 5.0
MAX_RADIUS_KM = 50.0
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Candidates taken from the box for each place shown: the flat-earth order can only swap places whose
# distances differ by well under a metre at the city's scale, and the extra ones cover that.
CANDIDATE_FACTOR = 2
# The radii tried before the one asked for: a box of 1 km holds enough in the centre, 2.5 km in town.
NARROW_RADII_KM = (1.0, 2.5)
SEARCH_LIMIT = 50


@dataclass(frozen=True)
class Nearby:
    place: Place
    distance_km: float

    @property
    def distance_m(self):
        return round(self.distance_km * 1000)


def bounding_box(lat, lng, radius_km):
    """(south, north, west, east) of the box around (lat, lng) that holds every point within radius_km."""
    dlat = radius_km / KM_PER_DEGREE
    dlng = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


# The box's query, written out: the ORM's compiling of the distance expression cost the page more
# than running it. Plain SQL that SQLite and PostgreSQL both run; the places' table and the
# conditions of Place.objects.active(). `{kind}` is empty or the kind condition, nothing typed.
NEAR_SQL = """
SELECT p.id, p.name, p.kind, p.address, u.name, p.lat, p.lng, p.phone, p.opening_hours
FROM utilities_place p JOIN government_administrativeunit u ON u.code = p.unit_id
WHERE p.is_active AND p.lat BETWEEN %s AND %s AND p.lng BETWEEN %s AND %s{kind}
ORDER BY (p.lat - %s) * (p.lat - %s) + (p.lng - %s) * (p.lng - %s) * %s, p.id
LIMIT %s
"""
NEAR_COLUMNS = ("pk", "name", "kind", "address", "unit_name", "lat", "lng", "phone", "opening_hours")


def nearest_rows(*, lat, lng, kind=None, radius_km=DEFAULT_RADIUS_KM, limit=DEFAULT_LIMIT):
    """[(row, km)]: the active places (of `kind`, or of any kind) within radius_km of (lat, lng),
    nearest first, at most `limit`; each row a dict of NEAR_COLUMNS. One query where places are
    dense, at most three where they are sparse (the box grows through NARROW_RADII_KM), whatever
    the number of places."""
    radius_km = min(max(float(radius_km), 0.05), MAX_RADIUS_KM)
    limit = min(max(int(limit), 1), MAX_LIMIT)
    found = []
    for step in [r for r in NARROW_RADII_KM if r < radius_km] + [radius_km]:
        found = _nearest_within(lat, lng, kind, step, limit)
        # `limit` places within `step` km: nothing outside that circle can be nearer than them.
        if len(found) >= limit:
            break
    return found


def nearest(*, lat, lng, kind=None, radius_km=DEFAULT_RADIUS_KM, limit=DEFAULT_LIMIT):
    """nearest_rows as Nearby places (model instances, with their ward): one query more."""
    found = nearest_rows(lat=lat, lng=lng, kind=kind, radius_km=radius_km, limit=limit)
    places = Place.objects.select_related("unit").defer("unit__boundary").in_bulk([row["pk"] for row, _km in found])
    return [Nearby(places[row["pk"]], km) for row, km in found if row["pk"] in places]


def _nearest_within(lat, lng, kind, radius_km, limit):
    south, north, west, east = bounding_box(lat, lng, radius_km)
    # Flat-earth squared distance in degrees of latitude: x scaled by cos(lat) of the centre.
    scale = math.cos(math.radians(lat)) ** 2
    params = [south, north, west, east] + ([str(kind)] if kind else [])
    params += [lat, lat, lng, lng, scale, limit * CANDIDATE_FACTOR + 5]
    with prepared_cursor() as cursor:  # planned once per connection (smarthp.sql)
        cursor.execute(NEAR_SQL.format(kind=" AND p.kind = %s" if kind else ""), params)
        rows = [dict(zip(NEAR_COLUMNS, values, strict=True)) for values in cursor.fetchall()]
    found = []
    for row in rows:
        distance = geo.haversine_km(lat, lng, row["lat"], row["lng"])
        if distance <= radius_km:
            found.append((row, distance))
    found.sort(key=lambda item: (item[1], item[0]["pk"]))
    return found[:limit]


def search(query, *, kind=None, limit=SEARCH_LIMIT):
    """Active places whose name or address holds every word of `query`, diacritics ignored."""
    words = search_key(query).split()
    if not words:
        return []
    queryset = Place.objects.active()
    for word in words[:8]:
        queryset = queryset.filter(search_key__contains=word)
    if kind:
        queryset = queryset.filter(kind=kind)
    return list(queryset.select_related("unit").defer("unit__boundary").order_by("name", "pk")[:limit])


def place_for_page(pk):
    """An active place with its ward, or None."""
    return Place.objects.active().select_related("unit").defer("unit__boundary").filter(pk=pk).first()


def unit_point(code):
    """(unit, (lat, lng)) of the unit with this code: its seat, else a point inside its boundary;
    (None, None) for an unknown code. What "near me" uses when a person picks their ward: read from
    the boundaries index in memory (government.geo), no query."""
    return geo.unit_point(str(code or "")[:5])


@dataclass(frozen=True)
class WardAnswer:
    unit: AdministrativeUnit
    committees: list
    police: list


def ward_at(lat, lng):
    """Which ward or commune (lat, lng) is in, with its People's Committee and police (address and
    phone as the agencies list holds them); None outside the city. Where the ward has no police
    agency of its own in the list, the city's police is given. One query after the point lookup."""
    unit = geo.unit_at(lat, lng)
    if unit is None:
        return None
    agencies = list(
        Agency.objects.filter(is_active=True)
        .filter(
            Q(unit_id=unit.code, kind__in=[AgencyKind.WARD_COMMITTEE, AgencyKind.POLICE])
            | Q(unit__isnull=True, kind=AgencyKind.POLICE)
        )
        .order_by("name")
    )
    committees = [a for a in agencies if a.kind == AgencyKind.WARD_COMMITTEE]
    police = [a for a in agencies if a.kind == AgencyKind.POLICE and a.unit_id == unit.code]
    police = police or [a for a in agencies if a.kind == AgencyKind.POLICE]
    return WardAnswer(unit=unit, committees=committees, police=police)


def format_distance(km):
    """'350 m' under a kilometre (to 10 m), '1,2 km' up to 10 km, '14 km' beyond; the decimal mark
    of the current language."""
    if km < 1:
        return f"{max(10, round(km * 100) * 10)} m"
    if km < 10:
        return f"{number_format(round(km, 1), 1)} km"
    return f"{round(km)} km"
