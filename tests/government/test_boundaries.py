"""The city's real ward boundaries: bundled, loaded by the demo and by import_boundaries, deciding
which ward a pin is in, and served to maps as a small, cached GeoJSON layer."""

import csv
import gzip
import io
import json
import random

import pytest
import shapely
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from shapely.geometry import shape

from feedback import services as feedback_services
from feedback.models import Category
from government import demo, geo, maps
from government.models import AdministrativeUnit, GeoDataVersion
from government.services import BUNDLED_BOUNDARIES, BUNDLED_SEATS, ImportResult, import_boundaries

LAYER = reverse("maps:boundaries")
LE_CHAN, DO_SON = "11383", "11455"
# The two points checked against the source (government/data/README.md).
LE_CHAN_POINT, DO_SON_POINT = (20.8449, 106.6881), (20.72, 106.79)
# Off Đồ Sơn, 11 km from its seat (within the 30 km a seat alone would accept), and Hà Nội.
AT_SEA, HA_NOI = (20.65, 106.85), (21.0285, 105.8542)


def bundled_shapes():
    """{code: shapely geometry} straight from the bundled file, to check the portal against."""
    with open(BUNDLED_BOUNDARIES, encoding="utf-8") as handle:
        return {feature["properties"]["code"]: shape(feature["geometry"]) for feature in json.load(handle)["features"]}


@pytest.fixture(autouse=True)
def _fresh_layer():
    maps.forget_layer()
    yield
    maps.forget_layer()


@pytest.fixture
def loaded(city):
    """The 114 units with the bundled seats and boundaries, as `import_units` + `import_boundaries` leave them."""
    call_command("import_boundaries", stdout=io.StringIO())


def code_at(point):
    unit = geo.unit_at(*point)
    return unit.code if unit else None


class TestBundledBoundaries:
    def test_every_unit_gets_a_valid_boundary_and_a_second_run_changes_nothing(self, city):
        out = io.StringIO()
        call_command("import_boundaries", stdout=out)
        assert "Ranh giới: 0 thêm mới, 114 cập nhật, 0 không đổi." in out.getvalue()
        units = AdministrativeUnit.objects.all()
        assert units.count() == 114
        for unit in units:
            geometry = shape(unit.boundary)
            assert geometry.geom_type in ("Polygon", "MultiPolygon") and geometry.is_valid, unit.code
            assert geometry.area > 0, unit.code
        out = io.StringIO()
        call_command("import_boundaries", stdout=out)
        assert "Ranh giới: 0 thêm mới, 0 cập nhật, 114 không đổi." in out.getvalue()

    @pytest.mark.parametrize("load", ["demo", "command"])
    def test_the_checked_points_land_where_the_source_says(self, db, load):
        if load == "demo":
            demo.load()
        else:
            call_command("import_units", stdout=io.StringIO())
            call_command("import_boundaries", stdout=io.StringIO())
        assert geo.unit_at(*LE_CHAN_POINT).name == "Phường Lê Chân"
        assert geo.unit_at(*DO_SON_POINT).name == "Phường Đồ Sơn"

    def test_a_point_at_sea_or_outside_the_city_is_in_no_ward(self, loaded):
        """With polygons loaded the seats no longer decide: 11 km off Đồ Sơn is outside, not Đồ Sơn."""
        assert code_at(AT_SEA) is None
        assert code_at(HA_NOI) is None

    def test_the_demo_loads_them_once(self, db):
        first = demo.load()
        assert first["units_with_boundary"] == 114
        version = GeoDataVersion.current()
        assert demo.load() == first
        assert GeoDataVersion.current() == version, "a second demo load must not rewrite any boundary"

    def test_a_bad_file_imports_nothing_and_says_which_feature(self, city, tmp_path):
        data = json.loads(BUNDLED_BOUNDARIES.read_text(encoding="utf-8"))
        data["features"][5]["properties"]["code"] = "99999"
        bow_tie = [[106.6, 20.8], [106.7, 20.9], [106.7, 20.8], [106.6, 20.9], [106.6, 20.8]]
        data["features"][7]["geometry"]["coordinates"] = [[bow_tie]]
        path = tmp_path / "ranh-gioi.geojson"
        path.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(CommandError) as excinfo:
            call_command("import_boundaries", str(path))
        message = str(excinfo.value)
        assert "Tệp có 2 lỗi, chưa nhập gì" in message
        assert "Đối tượng 6: không có đơn vị mã 99999" in message
        assert "Đối tượng 8: hình không hợp lệ: đường biên tự cắt nhau" in message
        assert not AdministrativeUnit.objects.filter(boundary__isnull=False).exists()


class TestSeats:
    def test_the_hand_placed_seats_are_kept_and_the_others_derived_inside_their_ward(self, loaded):
        with open(BUNDLED_SEATS, encoding="utf-8") as handle:
            official = {row["nso_code"]: (float(row["lat"]), float(row["lng"])) for row in csv.DictReader(handle)}
        units = list(AdministrativeUnit.objects.all())
        assert all(unit.seat_lat is not None and unit.seat_lng is not None for unit in units)
        derived = [unit for unit in units if unit.code not in official]
        assert len(derived) == 114 - len(official) == 94
        for unit in units:
            if unit.code in official:
                assert (unit.seat_lat, unit.seat_lng) == official[unit.code]
            else:
                assert code_at((unit.seat_lat, unit.seat_lng)) == unit.code

    def test_a_derived_seat_follows_a_new_boundary_and_a_hand_placed_one_stays(self, loaded):
        le_chan_seat = AdministrativeUnit.objects.values_list("seat_lat", "seat_lng").get(code=LE_CHAN)
        official = _official_codes()
        codes = AdministrativeUnit.objects.values_list("code", flat=True)
        derived_code = next(code for code in codes if code not in official)
        square = {
            "type": "Polygon",
            "coordinates": [[[106.60, 20.60], [106.62, 20.60], [106.62, 20.62], [106.60, 20.62], [106.60, 20.60]]],
        }
        other = {**square, "coordinates": [[[x + 0.1, y] for x, y in square["coordinates"][0]]]}
        features = [
            {"type": "Feature", "properties": {"code": LE_CHAN}, "geometry": square},
            {"type": "Feature", "properties": {"code": derived_code}, "geometry": other},
        ]
        result = import_boundaries(io.StringIO(json.dumps({"type": "FeatureCollection", "features": features})))
        assert result == ImportResult(updated=2)
        assert AdministrativeUnit.objects.values_list("seat_lat", "seat_lng").get(code=LE_CHAN) == le_chan_seat
        lat, lng = AdministrativeUnit.objects.values_list("seat_lat", "seat_lng").get(code=derived_code)
        assert 106.70 < lng < 106.72 and 20.60 < lat < 20.62


def _official_codes():
    with open(BUNDLED_SEATS, encoding="utf-8") as handle:
        return {row["nso_code"] for row in csv.DictReader(handle)}


def test_a_report_pinned_anywhere_lands_in_the_ward_whose_polygon_holds_the_pin(loaded, alice):
    """Forty pins spread over the city (a seeded random point inside each of forty random units, and
    the two checked points), filed through the submit service without naming a ward."""
    category = Category.objects.create(name="Đường, hè phố", slug="duong-he-pho")
    shapes = bundled_shapes()
    rng = random.Random(2025)
    pins = [LE_CHAN_POINT, DO_SON_POINT]
    for code in rng.sample(sorted(shapes), 40):
        geometry = shapes[code]
        min_lng, min_lat, max_lng, max_lat = geometry.bounds
        while True:
            lng, lat = rng.uniform(min_lng, max_lng), rng.uniform(min_lat, max_lat)
            if geometry.contains(shapely.Point(lng, lat)):
                pins.append((lat, lng))
                break
    for number, (lat, lng) in enumerate(pins):
        expected = [code for code, geometry in shapes.items() if geometry.contains(shapely.Point(lng, lat))]
        report, _created = feedback_services.submit_report(
            reporter=alice,
            category=category,
            title="Ổ gà trên đường",
            description="Ổ gà sâu khoảng 20 cm, xe máy đi qua rất dễ ngã.",
            lat=lat,
            lng=lng,
            idempotency_key=f"ghim-{number}",
        )
        assert [report.unit_id] == expected, (lat, lng)


class TestLayer:
    def test_it_answers_every_unit_as_geojson_with_its_portal_name(self, loaded, client):
        response = client.get(LAYER)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/geo+json"
        data = json.loads(response.content)
        assert data["type"] == "FeatureCollection"
        assert len(data["features"]) == 114
        names = dict(AdministrativeUnit.objects.values_list("code", "name"))
        assert {f["properties"]["code"]: f["properties"]["name"] for f in data["features"]} == names
        assert names["11533"] == "Phường Hòa Bình"  # the list's spelling, not the boundary file's "Hoà"

    def test_outlines_are_simplified_rounded_and_labels_sit_inside_their_ward(self, loaded, client):
        data = json.loads(client.get(LAYER).content)
        shapes = bundled_shapes()
        points = 0
        for number, feature in enumerate(data["features"]):
            code = feature["properties"]["code"]
            outline = shape(feature["geometry"])
            assert outline.is_valid, code
            if number % 8 == 0:  # a sample: the distance is slow on the full outlines
                # Within about 20 m of the published line (0.0002 degrees).
                assert outline.hausdorff_distance(shapes[code]) < 0.0002, code
            coordinates = shapely.get_coordinates(outline)
            assert (abs(coordinates * 10**5 - (coordinates * 10**5).round()) < 1e-6).all(), code
            points += len(coordinates)
            lng, lat = feature["properties"]["label"]
            assert code_at((lat, lng)) == code
        assert points < 30_000  # of 88,310 published

    def test_it_is_well_under_300_kb_gzipped(self, loaded, client):
        plain = client.get(LAYER)
        zipped = client.get(LAYER, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert zipped["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in zipped["Vary"]
        assert gzip.decompress(zipped.content) == plain.content
        assert len(zipped.content) < 200_000
        assert not plain.has_header("Content-Encoding")

    def test_it_is_cached_a_day_and_a_matching_etag_gets_304(self, loaded, client):
        response = client.get(LAYER)
        assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
        etag, last_modified = response["ETag"], response["Last-Modified"]
        again = client.get(LAYER, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again.content == b""
        assert again["ETag"] == etag
        assert client.get(LAYER, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    def test_a_new_import_changes_the_etag_and_the_layer(self, loaded, client):
        etag = client.get(LAYER)["ETag"]
        square = {
            "type": "Polygon",
            "coordinates": [[[106.60, 20.60], [106.62, 20.60], [106.62, 20.62], [106.60, 20.62], [106.60, 20.60]]],
        }
        feature = {"type": "Feature", "properties": {"code": LE_CHAN}, "geometry": square}
        import_boundaries(io.StringIO(json.dumps({"type": "FeatureCollection", "features": [feature]})))
        response = client.get(LAYER, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200 and response["ETag"] != etag
        le_chan = next(f for f in json.loads(response.content)["features"] if f["properties"]["code"] == LE_CHAN)
        assert shape(le_chan["geometry"]).equals(shape(square))

    def test_it_is_built_once_then_costs_one_query(self, loaded, client, django_assert_num_queries, monkeypatch):
        client.get(LAYER)
        monkeypatch.setattr(maps, "_build", lambda *args: pytest.fail("built again for the same version"))
        with django_assert_num_queries(1):
            assert client.get(LAYER).status_code == 200

    def test_without_boundaries_it_is_an_empty_collection(self, city, client):
        response = client.get(LAYER)
        assert response.status_code == 200
        assert json.loads(response.content) == {"type": "FeatureCollection", "features": []}

    def test_it_only_answers_reads(self, loaded, client):
        assert client.post(LAYER).status_code == 405
        assert client.head(LAYER).status_code == 200


def test_the_map_pages_carry_the_layer_and_its_credit(loaded, client, alice):
    client.force_login(alice)
    page = client.get(reverse("feedback:submit")).content.decode()
    assert f'data-boundaries-url="{LAYER}"' in page
    assert "Ranh giới hành chính: Bản đồ đơn vị hành chính Việt Nam" in page
    assert "css/map.css" in page
