"""A small city for the places tests.

Import the fixtures you use into a test module (`from tests.utilities.world import world`);
`fresh_geo_index` is autouse once imported.

Two wards with square boundaries side by side (Lê Chân west of Ngô Quyền, as in the PAKN tests),
their committees (Lê Chân's with an address and phone), Lê Chân's police, the city's police; an
editor (`editor`, with a second factor, of the 1022 centre) and a citizen (`alice`).
"""

import itertools
from types import SimpleNamespace

import pytest

from government.models import AdministrativeUnit, Agency, AgencyKind, Membership, Role, UnitKind
from tests.feedback.officer_world import give_totp
from utilities import services
from utilities.models import Place, PlaceKind, PlaceSource

# Lê Chân: lng 106.66–106.69, lat 20.83–20.85; Ngô Quyền: lng 106.69–106.72, same band.
LE_CHAN_POINT = (20.8400, 106.6790)
NGO_QUYEN_POINT = (20.8400, 106.7050)
OUTSIDE_POINT = (21.0285, 105.8542)  # Hà Nội
_numbers = itertools.count(1)


def square(west, south, east, north):
    return {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }


@pytest.fixture(autouse=True)
def fresh_geo_index():
    from government import geo

    geo.forget_index()
    yield
    geo.forget_index()


def build(make_user, alice):
    lechan = AdministrativeUnit.objects.create(
        code="11383",
        name="Phường Lê Chân",
        kind=UnitKind.WARD,
        boundary=square(106.66, 20.83, 106.69, 20.85),
        seat_lat=20.8400,
        seat_lng=106.6790,
    )
    ngoquyen = AdministrativeUnit.objects.create(
        code="11329",
        name="Phường Ngô Quyền",
        kind=UnitKind.WARD,
        boundary=square(106.69, 20.83, 106.72, 20.85),
        seat_lat=20.8400,
        seat_lng=106.7050,
    )
    committee = Agency.objects.create(
        name="UBND Phường Lê Chân",
        slug="ubnd-11383",
        kind=AgencyKind.WARD_COMMITTEE,
        unit=lechan,
        address="Số 1 Hai Bà Trưng",
        phone="0225 3857 001",
    )
    Agency.objects.create(
        name="UBND Phường Ngô Quyền", slug="ubnd-11329", kind=AgencyKind.WARD_COMMITTEE, unit=ngoquyen
    )
    police = Agency.objects.create(
        name="Công an Phường Lê Chân", slug="cong-an-11383", kind=AgencyKind.POLICE, unit=lechan, phone="0225 3857 113"
    )
    city_police = Agency.objects.create(
        name="Công an thành phố Hải Phòng", slug="cong-an-thanh-pho", kind=AgencyKind.POLICE, phone="069 3278 113"
    )
    hotline = Agency.objects.create(name="Trung tâm 1022", slug="trung-tam-1022", kind=AgencyKind.HOTLINE)
    editor = give_totp(make_user(username="bientap", full_name="Hoàng Thu Hà"))
    Membership.objects.create(user=editor, agency=hotline, role=Role.EDITOR)
    return SimpleNamespace(
        lechan=lechan,
        ngoquyen=ngoquyen,
        committee=committee,
        police=police,
        city_police=city_police,
        hotline=hotline,
        editor=editor,
        alice=alice,
    )


@pytest.fixture
def world(db, make_user, alice):
    return build(make_user, alice)


def make_place(*, name=None, kind=PlaceKind.PHARMACY, point=LE_CHAN_POINT, **fields):
    """A place written straight to the table (fast; the services are tested on their own)."""
    from government import geo

    number = next(_numbers)
    lat, lng = point
    values = {
        "name": name or f"Nhà thuốc số {number}",
        "kind": kind,
        "lat": lat,
        "lng": lng,
        "unit": geo.unit_at(lat, lng),
        "address": f"{number} Lạch Tray",
        "phone": "0225 3855 101",
        "source": PlaceSource.EDITOR,
    }
    values.update(fields)
    return Place.objects.create(**values)


def offset(point, *, north_m=0.0, east_m=0.0):
    """A point `north_m` metres north and `east_m` metres east of `point` (small distances)."""
    import math

    lat, lng = point
    return lat + north_m / 111_195.0, lng + east_m / (111_195.0 * math.cos(math.radians(lat)))


__all__ = ["services"]
