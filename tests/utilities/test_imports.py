"""Importing places: GeoJSON (an OSM export) and CSV; idempotent on the source id; all or nothing."""

# ruff: noqa: F811
import json

import pytest

from tests.utilities.world import LE_CHAN_POINT, NGO_QUYEN_POINT, OUTSIDE_POINT, fresh_geo_index, world  # noqa: F401
from utilities import services
from utilities.models import Place, PlaceKind, PlaceSource


def feature(osm_id, tags, point=LE_CHAN_POINT, geometry=None):
    lat, lng = point
    return {
        "type": "Feature",
        "id": osm_id,
        "properties": {"@id": osm_id, **tags},
        "geometry": geometry or {"type": "Point", "coordinates": [lng, lat]},
    }


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False)


PHARMACY = {
    "amenity": "pharmacy",
    "name": "Nhà thuốc Minh Châu",
    "addr:housenumber": "118",
    "addr:street": "Lạch Tray",
    "phone": "0225 3855 101",
    "opening_hours": "Mo-Su 07:00-22:00",
}


class TestGeoJSON:
    def test_an_osm_export_becomes_places_with_kind_ward_and_address(self, world):
        school = square_school()
        data = collection(
            feature("node/1", PHARMACY),
            feature("node/2", {"highway": "bus_stop", "name": "Điểm dừng Ngô Quyền"}, NGO_QUYEN_POINT),
            feature("way/3", {"amenity": "school", "name": "Trường THCS Lê Chân"}, geometry=school),
            feature("node/4", {"internet_access": "wlan", "name": "Wifi công viên"}),
            feature("node/5", {"office": "government", "name": "Trung tâm hành chính công"}),
            feature("node/6", {"tourism": "museum", "name": "Bảo tàng Hải Phòng"}),
        )
        result = services.import_geojson(data)
        assert (result.created, result.updated, result.unchanged) == (6, 0, 0)
        pharmacy = Place.objects.get(source_id="node/1")
        assert pharmacy.kind == PlaceKind.PHARMACY and pharmacy.source == PlaceSource.OSM
        assert pharmacy.address == "118 Lạch Tray" and pharmacy.unit == world.lechan
        assert pharmacy.opening_hours == "Mo-Su 07:00-22:00" and pharmacy.phone == "0225 3855 101"
        assert Place.objects.get(source_id="node/2").unit == world.ngoquyen
        assert Place.objects.get(source_id="node/2").kind == PlaceKind.BUS_STOP
        building = Place.objects.get(source_id="way/3")  # a polygon: a point inside it
        assert building.kind == PlaceKind.SCHOOL and 106.670 < building.lng < 106.675
        assert Place.objects.get(source_id="node/4").kind == PlaceKind.WIFI
        assert Place.objects.get(source_id="node/5").kind == PlaceKind.GOVERNMENT
        assert Place.objects.get(source_id="node/6").kind == PlaceKind.TOURISM

    def test_importing_the_same_file_again_changes_nothing(self, world):
        data = collection(feature("node/1", PHARMACY), feature("node/2", {**PHARMACY, "name": "Nhà thuốc Hồng Đức"}))
        services.import_geojson(data)
        before = list(Place.objects.order_by("pk").values("pk", "version", "updated_at"))
        again = services.import_geojson(data)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
        assert list(Place.objects.order_by("pk").values("pk", "version", "updated_at")) == before

    def test_a_changed_feature_updates_its_place(self, world):
        services.import_geojson(collection(feature("node/1", PHARMACY)))
        place = Place.objects.get()
        result = services.import_geojson(collection(feature("node/1", {**PHARMACY, "phone": "0225 3999 999"})))
        assert (result.created, result.updated) == (0, 1)
        place.refresh_from_db()
        assert place.phone == "0225 3999 999" and place.version == 2

    @pytest.mark.parametrize(
        "text, message",
        [
            ("this is not json", "không phải GeoJSON"),
            ('{"type": "Topology"}', "không phải GeoJSON"),
            ('{"type": "FeatureCollection", "features": 3}', "không có danh sách features"),
            ('{"type": "FeatureCollection", "features": []}', "không có địa điểm nào"),
            (b"\xff\xfe\x00bad", "UTF-8"),
        ],
    )
    def test_a_file_that_is_not_geojson_is_refused(self, world, text, message):
        with pytest.raises(services.ImportFailed) as failed:
            services.import_geojson(text)
        assert message in " ".join(failed.value.errors)
        assert not Place.objects.exists()

    def test_one_bad_feature_saves_nothing_and_every_bad_one_is_named(self, world):
        data = collection(
            feature("node/1", PHARMACY),
            feature("node/2", {**PHARMACY, "name": "Nhà thuốc ngoài thành phố"}, OUTSIDE_POINT),
            feature("node/3", {**PHARMACY, "opening_hours": "sáng 7 giờ tới tối"}),
            feature("node/4", {"name": "Không rõ loại", "shop": "bakery"}),
            feature("node/5", {**PHARMACY, "name": ""}),
            feature("node/1", PHARMACY),
            {"type": "Feature", "properties": PHARMACY, "geometry": {"type": "Point", "coordinates": [106.68, 20.84]}},
        )
        with pytest.raises(services.ImportFailed) as failed:
            services.import_geojson(data)
        errors = failed.value.errors
        assert len(errors) == 6
        assert errors[0].startswith("Đối tượng 2 (node/2)") and "ngoài thành phố" in errors[0]
        assert errors[1].startswith("Đối tượng 3 (node/3)") and "opening_hours" in errors[1]
        assert errors[2].startswith("Đối tượng 4 (node/4)") and "loại" in errors[2]
        assert errors[3].startswith("Đối tượng 5 (node/5)") and "tên" in errors[3]
        assert errors[4].startswith("Đối tượng 6 (node/1)") and "lặp lại" in errors[4]
        assert errors[5].startswith("Đối tượng 7") and "mã nguồn" in errors[5]
        assert not Place.objects.exists()

    def test_a_feature_without_geometry_is_named(self, world):
        data = collection({"type": "Feature", "id": "node/9", "properties": PHARMACY, "geometry": None})
        with pytest.raises(services.ImportFailed) as failed:
            services.import_geojson(data)
        assert "Đối tượng 1" in failed.value.errors[0] and "geometry" in failed.value.errors[0]


def square_school():
    return {
        "type": "Polygon",
        "coordinates": [
            [[106.671, 20.841], [106.674, 20.841], [106.674, 20.843], [106.671, 20.843], [106.671, 20.841]]
        ],
    }


CSV_HEADER = "source_id,name,kind,lat,lng,address,phone,opening_hours,website,note\n"


class TestCSV:
    def test_rows_become_places_and_a_second_import_changes_nothing(self, world):
        text = CSV_HEADER + (
            "csv-1,Nhà thuốc Hồng Đức,pharmacy,20.8436,106.6772,45 Tô Hiệu,0225 3700 202,Mo-Sa 07:30-21:30,,\n"
            "csv-2,ATM BIDV,amenity=atm,20.8447,106.7001,Tô Hiệu,,24/7,,\n"
            'csv-3,Bến xe Niệm Nghĩa,ben-xe,"20,8387","106,6736",Trần Nguyên Hãn,,,bxnn.vn,Có bãi gửi xe\n'
        )
        result = services.import_csv(text.encode("utf-8-sig"))
        assert result.created == 3
        assert Place.objects.get(source_id="csv-2").kind == PlaceKind.ATM
        assert Place.objects.get(source_id="csv-2").unit == world.ngoquyen
        station = Place.objects.get(source_id="csv-3")
        assert station.kind == PlaceKind.BUS_STATION and station.lat == pytest.approx(20.8387)
        assert station.website == "https://bxnn.vn" and station.source == PlaceSource.CSV
        again = services.import_csv(text)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
        assert Place.objects.count() == 3

    def test_bad_rows_are_named_by_line_and_nothing_is_saved(self, world):
        text = CSV_HEADER + (
            "csv-1,Nhà thuốc tốt,pharmacy,20.8436,106.6772,,,,,\n"
            "csv-2,Nhà thuốc Hà Nội,pharmacy,21.0285,105.8542,,,,,\n"
            "csv-3,Không rõ,bakery,20.8436,106.6772,,,,,\n"
            "csv-4,Giờ sai,pharmacy,20.8436,106.6772,,,Mo-Fr 25:00-26:00,,\n"
            "csv-5,Tọa độ sai,pharmacy,abc,106.6772,,,,,\n"
            ",Không mã,pharmacy,20.8436,106.6772,,,,,\n"
            "csv-7,Điện thoại sai,pharmacy,20.8436,106.6772,,gọi tôi,,,\n"
        )
        with pytest.raises(services.ImportFailed) as failed:
            services.import_csv(text)
        errors = failed.value.errors
        assert [error.split(":")[0] for error in errors] == ["Dòng 3", "Dòng 4", "Dòng 5", "Dòng 6", "Dòng 7", "Dòng 8"]
        assert "ngoài thành phố" in errors[0] and "bakery" in errors[1] and "opening_hours" in errors[2]
        assert not Place.objects.exists()

    def test_a_file_missing_columns_is_refused(self, world):
        with pytest.raises(services.ImportFailed) as failed:
            services.import_csv("name,lat\nNhà thuốc,20.84\n")
        assert "source_id" in failed.value.errors[0] and "kind" in failed.value.errors[0]


class TestAgenciesAsPlaces:
    def test_ward_committees_and_police_show_at_their_wards_seat_idempotently(self, world):
        result = services.sync_agency_places()
        assert result.created == 3  # two committees, Lê Chân's police; the city's police has no unit
        committee = Place.objects.get(source_id="agency/ubnd-11383")
        assert committee.kind == PlaceKind.GOVERNMENT and committee.agency == world.committee
        assert committee.address == "Số 1 Hai Bà Trưng" and committee.phone == "0225 3857 001"
        assert (committee.lat, committee.lng) == (20.84, 106.679)
        assert Place.objects.get(source_id="agency/cong-an-11383").kind == PlaceKind.POLICE
        world.committee.phone = "0225 3857 999"
        world.committee.save()
        again = services.sync_agency_places()
        assert (again.created, again.updated, again.unchanged) == (0, 1, 2)
        assert Place.objects.get(source_id="agency/ubnd-11383").phone == "0225 3857 999"


class TestCommand:
    def test_import_places_reads_a_file_and_names_bad_rows(self, world, tmp_path):
        from django.core.management import CommandError, call_command

        good = tmp_path / "osm.geojson"
        good.write_text(collection(feature("node/1", PHARMACY)), encoding="utf-8")
        call_command("import_places", str(good))
        assert Place.objects.get().source_id == "node/1"
        bad = tmp_path / "bad.csv"
        bad.write_text(CSV_HEADER + "x,Ngoài,pharmacy,21.03,105.85,,,,,\n", encoding="utf-8")
        with pytest.raises(CommandError, match="Dòng 2"):
            call_command("import_places", str(bad))
        assert Place.objects.count() == 1
