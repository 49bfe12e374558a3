"""Point → administrative unit: polygons when boundaries are loaded, nearest seat otherwise."""

import io
import json

import pytest

from government import geo
from government.models import AdministrativeUnit, GeoDataVersion
from government.services import import_boundaries

LE_CHAN, AN_BIEN, NGO_QUYEN, BACH_LONG_VI = "11383", "11407", "11329", "11948"


def square(min_lng, min_lat, max_lng, max_lat):
    return {
        "type": "Polygon",
        "coordinates": [
            [[min_lng, min_lat], [max_lng, min_lat], [max_lng, max_lat], [min_lng, max_lat], [min_lng, min_lat]]
        ],
    }


def collection(*features):
    return io.StringIO(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {"code": code}, "geometry": g} for code, g in features],
            }
        )
    )


@pytest.fixture
def two_wards(city):
    """Lê Chân and An Biên as two squares sharing the meridian 106.68."""
    import_boundaries(
        collection(
            (LE_CHAN, square(106.66, 20.83, 106.68, 20.85)),
            (AN_BIEN, square(106.68, 20.83, 106.70, 20.85)),
        )
    )


def code_at(lat, lng):
    unit = geo.unit_at(lat, lng)
    return unit.code if unit else None


class TestWithBoundaries:
    def test_a_point_inside_a_polygon_is_in_that_unit(self, two_wards):
        assert code_at(20.84, 106.67) == LE_CHAN
        assert code_at(20.84, 106.69) == AN_BIEN

    def test_a_point_on_the_edge_counts_as_inside(self, two_wards):
        """The outer edge and the corner belong to the unit; on a shared edge the lower code wins."""
        assert code_at(20.84, 106.70) == AN_BIEN
        assert code_at(20.85, 106.70) == AN_BIEN
        assert code_at(20.83, 106.66) == LE_CHAN
        assert code_at(20.84, 106.68) == LE_CHAN

    def test_outside_every_polygon_is_none_even_near_a_seat(self, two_wards):
        """With boundaries loaded, seats no longer decide: Ngô Quyền's seat is near, but it has no polygon."""
        assert code_at(20.8615, 106.6985) is None
        assert code_at(21.03, 105.85) is None

    def test_multipolygons_work(self, city):
        import_boundaries(
            collection(
                (
                    BACH_LONG_VI,
                    {
                        "type": "MultiPolygon",
                        "coordinates": [
                            square(107.70, 20.12, 107.74, 20.15)["coordinates"],
                            square(107.80, 20.20, 107.81, 20.21)["coordinates"],
                        ],
                    },
                )
            )
        )
        assert code_at(20.205, 107.805) == BACH_LONG_VI
        assert code_at(20.135, 107.72) == BACH_LONG_VI
        assert code_at(20.17, 107.77) is None

    def test_the_index_is_rebuilt_after_a_new_import(self, two_wards):
        assert code_at(20.84, 106.69) == AN_BIEN
        import_boundaries(collection((AN_BIEN, square(106.69, 20.83, 106.70, 20.85))))
        assert code_at(20.84, 106.685) is None
        assert code_at(20.84, 106.695) == AN_BIEN

    def test_the_index_is_cached_until_the_version_changes(self, two_wards):
        """Another process writing without the ORM's signals is not seen until the version moves; then it is."""
        assert code_at(20.84, 106.67) == LE_CHAN
        AdministrativeUnit.objects.filter(code=LE_CHAN).update(boundary=square(106.60, 20.70, 106.61, 20.71))
        assert code_at(20.84, 106.67) == LE_CHAN
        GeoDataVersion.bump()
        assert code_at(20.84, 106.67) is None
        assert code_at(20.705, 106.605) == LE_CHAN

    def test_an_admin_save_of_a_unit_moves_the_version(self, two_wards):
        before = GeoDataVersion.current()
        unit = AdministrativeUnit.objects.get(code=AN_BIEN)
        unit.boundary = None
        unit.save()
        assert GeoDataVersion.current() != before
        assert code_at(20.84, 106.69) is None

    def test_no_query_per_call_once_built_and_one_a_second_after(
        self, two_wards, django_assert_num_queries, monkeypatch
    ):
        clock = [1000.0]
        monkeypatch.setattr(geo.time, "monotonic", lambda: clock[0])
        code_at(20.84, 106.67)
        with django_assert_num_queries(0):
            assert code_at(20.84, 106.69) == AN_BIEN
        clock[0] += geo.VERSION_CHECK_SECONDS
        with django_assert_num_queries(1):  # the version, read again
            assert code_at(20.84, 106.69) == AN_BIEN

    def test_another_process_change_is_seen_within_a_second(self, two_wards, monkeypatch):
        clock = [1000.0]
        monkeypatch.setattr(geo.time, "monotonic", lambda: clock[0])
        assert code_at(20.84, 106.69) == AN_BIEN
        # Another process moved An Biên's boundary and the version (not through this process's bump).
        AdministrativeUnit.objects.filter(code=AN_BIEN).update(boundary=None)
        GeoDataVersion.objects.filter(pk=1).update(number=GeoDataVersion.current() + 1)
        assert code_at(20.84, 106.69) == AN_BIEN  # this process has not looked yet
        clock[0] += geo.VERSION_CHECK_SECONDS
        assert code_at(20.84, 106.69) is None

    def test_the_caller_gets_its_own_copy(self, two_wards):
        unit = geo.unit_at(20.84, 106.67)
        unit.name = "changed"
        assert geo.unit_at(20.84, 106.67).name == "Phường Lê Chân"


class TestWithoutBoundaries:
    def test_the_nearest_seat_decides(self, city):
        """A point a few hundred metres from Ngô Quyền's seat, and one on the Đồ Sơn peninsula."""
        assert code_at(20.8630, 106.7010) == NGO_QUYEN
        assert code_at(20.7100, 106.7850) == "11455"

    def test_far_from_every_seat_is_outside_the_city(self, city):
        """Hà Nội (about 90 km away) and the open sea are not in Hải Phòng."""
        assert code_at(21.0285, 105.8542) is None
        assert code_at(19.5, 107.0) is None

    def test_the_distance_limit_is_a_setting(self, city, settings):
        point = (20.95, 106.90)  # about 20 km from the nearest seat
        assert code_at(*point) is not None
        settings.UNIT_SEAT_MAX_KM = 5
        assert code_at(*point) is None

    def test_nothing_loaded_is_none(self, db):
        assert code_at(20.84, 106.67) is None

    def test_bad_input_is_none(self, city):
        assert geo.unit_at(None, 106.67) is None
        assert geo.unit_at("abc", 106.67) is None
        assert geo.unit_at(float("nan"), 106.67) is None

    def test_a_new_seat_is_seen(self, city):
        assert code_at(20.40, 106.55) is None
        unit = AdministrativeUnit.objects.get(code="11824")
        unit.seat_lat, unit.seat_lng = 20.41, 106.55
        unit.save()
        assert code_at(20.40, 106.55) == "11824"


def test_haversine():
    """One degree of latitude is about 111 km; Hải Phòng to Hà Nội about 90 km."""
    assert geo.haversine_km(20.0, 106.0, 21.0, 106.0) == pytest.approx(111.2, abs=0.2)
    assert geo.haversine_km(20.8449, 106.6881, 21.0285, 105.8542) == pytest.approx(89, abs=3)


def test_units_choices_are_in_vietnamese_order(db):
    for code, name in [("1", "Phường Đông Hải"), ("2", "Phường Lê Chân"), ("3", "Phường An Biên"), ("4", "Xã An Lão")]:
        AdministrativeUnit.objects.create(code=code, name=name, kind="phuong")
    assert [name for _code, name in geo.units_choices()] == [
        "Phường An Biên",
        "Phường Đông Hải",
        "Phường Lê Chân",
        "Xã An Lão",
    ]


def test_the_index_is_built_once_for_many_lookups(city, monkeypatch):
    """114 polygons of 200 points: the first lookup builds the tree, the next ones reuse it."""
    import_boundaries(collection(*grid_of_circles(list(AdministrativeUnit.objects.values_list("code", flat=True)))))
    builds = []
    real_build = geo._build
    monkeypatch.setattr(geo, "_build", lambda version: builds.append(version) or real_build(version))
    for index in (0, 40, 113, 0, 40, 113):
        assert code_at(*grid_centre(index)) == AdministrativeUnit.objects.order_by("code")[index].code
    assert len(builds) == 1


def grid_centre(index):
    row, col = divmod(index, 12)
    return 20.25 + row * 0.1, 106.05 + col * 0.1


def grid_of_circles(codes, points=200):
    """One 200-point circle per unit on a 12-wide grid over the city (for volume, not geography)."""
    import math

    features = []
    for index, code in enumerate(sorted(codes)):
        lat, lng = grid_centre(index)
        ring = [
            [lng + 0.049 * math.cos(2 * math.pi * k / points), lat + 0.049 * math.sin(2 * math.pi * k / points)]
            for k in range(points)
        ]
        features.append((code, {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}))
    return features


class TestUnitPoint:
    """unit_point(code): where "near me" starts for a ward picked from the list, from the index."""

    def test_a_unit_with_a_seat_starts_at_its_seat(self, city):
        unit = AdministrativeUnit.objects.get(pk=LE_CHAN)
        AdministrativeUnit.objects.filter(pk=LE_CHAN).update(seat_lat=20.8449, seat_lng=106.6881)
        GeoDataVersion.bump()

        found, point = geo.unit_point(LE_CHAN)

        assert found.code == unit.code and point == (20.8449, 106.6881)

    def test_a_unit_without_a_seat_starts_inside_its_boundary(self, two_wards):
        AdministrativeUnit.objects.filter(pk=AN_BIEN).update(seat_lat=None, seat_lng=None)
        GeoDataVersion.bump()

        found, (lat, lng) = geo.unit_point(AN_BIEN)

        assert found.code == AN_BIEN
        assert 20.83 < lat < 20.85 and 106.68 < lng < 106.70
        assert code_at(lat, lng) == AN_BIEN

    def test_a_unit_with_neither_has_no_point_and_an_unknown_code_no_unit(self, city):
        AdministrativeUnit.objects.filter(pk=BACH_LONG_VI).update(seat_lat=None, seat_lng=None)
        GeoDataVersion.bump()

        assert geo.unit_point(BACH_LONG_VI)[0].code == BACH_LONG_VI
        assert geo.unit_point(BACH_LONG_VI)[1] is None
        assert geo.unit_point("99999") == (None, None)
        assert geo.unit_point("") == (None, None)

    def test_it_reads_the_index_not_the_table(self, city, django_assert_max_num_queries):
        geo.unit_point(LE_CHAN)
        with django_assert_max_num_queries(1):  # at most the version's check
            for _ in range(5):
                geo.unit_point(AN_BIEN)
