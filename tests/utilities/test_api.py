"""The places API (/api/v1/): near a point, a place, which ward."""

# ruff: noqa: F811
import pytest

from tests.utilities.world import LE_CHAN_POINT, fresh_geo_index, make_place, offset, world  # noqa: F401
from utilities.models import PlaceKind


def test_places_near_a_point_nearest_first(world, client):
    far = make_place(name="Xa", point=offset(LE_CHAN_POINT, north_m=700))
    near = make_place(name="Gần", point=offset(LE_CHAN_POINT, east_m=80), opening_hours="24/7")
    make_place(kind=PlaceKind.ATM, point=LE_CHAN_POINT)
    response = client.get("/api/v1/places/near/", {"lat": 20.84, "lng": 106.679, "kind": "nha-thuoc"})
    assert response.status_code == 200
    data = response.json()
    assert [row["place"]["id"] for row in data] == [near.pk, far.pk]
    assert [row["distance_m"] for row in data] == [80, 700]
    first = data[0]["place"]
    assert first["ward"] == {"code": "11383", "name": "Phường Lê Chân"}
    assert first["is_open"] is True and first["kind"] == "pharmacy" and first["url"] == near.get_absolute_url()


def test_the_radius_limits_the_answer(world, client):
    make_place(point=offset(LE_CHAN_POINT, east_m=900))
    data = client.get("/api/v1/places/near/", {"lat": 20.84, "lng": 106.679, "radius": 0.5}).json()
    assert data == []


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "x", "lng": 106.679},
        {"lng": 106.679},
        {"lat": 20.84, "lng": 106.679, "kind": "banh-mi"},
        {"lat": 20.84, "lng": 106.679, "radius": 500},
        {"lat": 20.84, "lng": 106.679, "limit": 0},
    ],
)
def test_bad_queries_are_a_400_naming_the_field(world, client, params):
    response = client.get("/api/v1/places/near/", params)
    assert response.status_code == 400
    assert response.json()


def test_a_place_and_a_hidden_one(world, client):
    place = make_place(name="Nhà thuốc Minh Châu", opening_hours="Mo-Su unknown")
    data = client.get(f"/api/v1/places/{place.pk}/").json()
    assert data["name"] == "Nhà thuốc Minh Châu" and data["is_open"] is None
    hidden = make_place(is_active=False)
    assert client.get(f"/api/v1/places/{hidden.pk}/").status_code == 404


def test_which_ward(world, client):
    data = client.get("/api/v1/wards/at/", {"lat": 20.84, "lng": 106.679}).json()
    assert data["code"] == "11383" and data["name"] == "Phường Lê Chân"
    committee = {"name": "UBND Phường Lê Chân", "address": "Số 1 Hai Bà Trưng", "phone": "0225 3857 001"}
    assert data["committees"] == [committee]
    assert [police["name"] for police in data["police"]] == ["Công an Phường Lê Chân"]
    assert client.get("/api/v1/wards/at/", {"lat": 21.0285, "lng": 105.8542}).status_code == 404
    assert client.get("/api/v1/wards/at/", {"lat": 200, "lng": 105}).status_code == 400
