"""Near me: a box, then the exact distance; the same order on SQLite and PostgreSQL."""

# ruff: noqa: F811
import pytest

from government import geo
from tests.utilities.world import LE_CHAN_POINT, fresh_geo_index, make_place, offset, world  # noqa: F401
from utilities import selectors
from utilities.models import PlaceKind


def test_the_nearest_places_of_a_kind_come_first_with_their_distances(world):
    far = make_place(name="Xa", point=offset(LE_CHAN_POINT, north_m=900))
    near = make_place(name="Gần", point=offset(LE_CHAN_POINT, east_m=120))
    middle = make_place(name="Vừa", point=offset(LE_CHAN_POINT, north_m=-300, east_m=300))
    make_place(name="ATM gần nhất", kind=PlaceKind.ATM, point=offset(LE_CHAN_POINT, east_m=10))
    make_place(name="Đã ẩn", point=offset(LE_CHAN_POINT, east_m=5), is_active=False)
    make_place(name="Ngoài bán kính", point=offset(LE_CHAN_POINT, east_m=2500))

    found = selectors.nearest(lat=LE_CHAN_POINT[0], lng=LE_CHAN_POINT[1], kind=PlaceKind.PHARMACY, radius_km=2)
    assert [item.place for item in found] == [near, middle, far]
    assert [item.distance_m for item in found] == [120, 424, 900]
    for item in found:
        exact = geo.haversine_km(*LE_CHAN_POINT, item.place.lat, item.place.lng)
        assert item.distance_km == pytest.approx(exact)


def test_the_radius_and_the_limit_hold(world):
    for metres in (100, 200, 300, 400, 500):
        make_place(point=offset(LE_CHAN_POINT, east_m=metres))
    found = selectors.nearest(lat=LE_CHAN_POINT[0], lng=LE_CHAN_POINT[1], radius_km=0.35, limit=10)
    assert [item.distance_m for item in found] == [100, 200, 300]
    found = selectors.nearest(lat=LE_CHAN_POINT[0], lng=LE_CHAN_POINT[1], limit=2)
    assert [item.distance_m for item in found] == [100, 200]


def test_a_place_just_inside_the_circle_but_at_the_box_corner_is_left_out(world):
    # 700 m north-east: inside the 600 m box's corner (±600 m on each axis) but 700 m away.
    make_place(point=offset(LE_CHAN_POINT, north_m=495, east_m=495))
    assert selectors.nearest(lat=LE_CHAN_POINT[0], lng=LE_CHAN_POINT[1], radius_km=0.6) == []
    assert len(selectors.nearest(lat=LE_CHAN_POINT[0], lng=LE_CHAN_POINT[1], radius_km=0.71)) == 1


def test_near_me_is_one_query_however_many_places(world, django_assert_num_queries):
    for metres in range(0, 1000, 30):
        make_place(point=offset(LE_CHAN_POINT, east_m=metres, north_m=metres / 3))
    with django_assert_num_queries(1):
        found = selectors.nearest_rows(lat=LE_CHAN_POINT[0], lng=LE_CHAN_POINT[1], kind=PlaceKind.PHARMACY)
    assert len(found) == 20 and found[0][1] == 0
    assert [km for _row, km in found] == sorted(km for _row, km in found)
    with django_assert_num_queries(2):  # as places with their wards (the API): one query more
        assert len(selectors.nearest(lat=LE_CHAN_POINT[0], lng=LE_CHAN_POINT[1], kind=PlaceKind.PHARMACY)) == 20


def test_the_box_grows_only_when_it_holds_too_few(world, django_assert_max_num_queries):
    """Twenty within 1 km: one small box is enough, and gives what the whole 5 km box would."""
    for number in range(30):
        metres = 40 * number
        make_place(point=offset(LE_CHAN_POINT, east_m=metres if number % 2 else -metres, north_m=number * 7))
    wide = selectors._nearest_within(*LE_CHAN_POINT, PlaceKind.PHARMACY, 5.0, 20)
    with django_assert_max_num_queries(1):
        found = selectors.nearest_rows(lat=LE_CHAN_POINT[0], lng=LE_CHAN_POINT[1], kind=PlaceKind.PHARMACY)
    assert len(found) == 20 and found == wide


def test_where_places_are_sparse_the_box_grows_to_the_radius(world, django_assert_max_num_queries):
    near = make_place(point=offset(LE_CHAN_POINT, east_m=600))
    far = make_place(point=offset(LE_CHAN_POINT, east_m=2700))
    with django_assert_max_num_queries(3):
        found = selectors.nearest_rows(lat=LE_CHAN_POINT[0], lng=LE_CHAN_POINT[1], kind=PlaceKind.PHARMACY, radius_km=3)
    assert [row["pk"] for row, _km in found] == [near.pk, far.pk]


@pytest.mark.services
def test_the_order_is_the_same_on_postgresql(world):
    """Runs on PostgreSQL in CI (services marker): the flat-earth ORDER BY is portable SQL."""
    points = [offset(LE_CHAN_POINT, north_m=n, east_m=e) for n, e in [(50, 900), (-700, 10), (300, 300), (5, -40)]]
    places = [make_place(point=point) for point in points]
    found = selectors.nearest(lat=LE_CHAN_POINT[0], lng=LE_CHAN_POINT[1])
    assert [item.place for item in found] == [places[3], places[2], places[1], places[0]]


@pytest.mark.parametrize(
    "km, text",
    [(0.004, "10 m"), (0.123, "120 m"), (0.996, "1000 m"), (1.25, "1,2 km"), (9.96, "10,0 km"), (14.4, "14 km")],
)
def test_distances_read_in_metres_or_kilometres(km, text, settings):
    from django.utils import translation

    with translation.override("vi"):
        assert selectors.format_distance(km) == text


def test_search_ignores_diacritics_and_case(world):
    wanted = make_place(name="Nhà thuốc Hồng Đức", address="45 Tô Hiệu")
    make_place(name="Nhà thuốc Minh Châu", address="118 Lạch Tray")
    make_place(name="Nhà thuốc Hồng Đức cũ", is_active=False)
    assert selectors.search("nha thuoc hong duc") == [wanted]
    assert selectors.search("TO HIEU") == [wanted]
    assert selectors.search("Đức") == [wanted]
    assert selectors.search("   ") == []


def test_which_ward_gives_the_committee_and_the_wards_own_police(world):
    answer = selectors.ward_at(*LE_CHAN_POINT)
    assert answer.unit.code == "11383"
    assert answer.committees == [world.committee] and answer.police == [world.police]
    # Ngô Quyền has no police of its own in the list: the city's police answers.
    answer = selectors.ward_at(20.84, 106.705)
    assert answer.unit.code == "11329" and answer.police == [world.city_police]
    assert selectors.ward_at(21.0285, 105.8542) is None
