"""Imports of units, seats, boundaries and residential groups: idempotent, all-or-nothing, every problem
reported with its line (or feature number) in Vietnamese."""

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from government.models import AdministrativeUnit, ResidentialGroup, UnitKind
from government.services import (
    DataImportError,
    ImportResult,
    import_boundaries,
    import_residential_groups,
    import_unit_seats,
    import_units,
)

pytestmark = pytest.mark.django_db

LE_CHAN, AN_BIEN = "11383", "11407"


def csv_file(text, *, encoding=None):
    return io.BytesIO(text.encode(encoding)) if encoding else io.StringIO(text)


def geojson(*features, raw=False):
    if raw:
        return io.StringIO(features[0])
    return io.StringIO(json.dumps({"type": "FeatureCollection", "features": list(features)}))


def feature(properties, geometry):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def square(min_lng=106.66, min_lat=20.83, max_lng=106.68, max_lat=20.85):
    return {
        "type": "Polygon",
        "coordinates": [
            [[min_lng, min_lat], [max_lng, min_lat], [max_lng, max_lat], [min_lng, max_lat], [min_lng, min_lat]]
        ],
    }


def problems(excinfo):
    return excinfo.value.errors


class TestImportUnits:
    def test_the_bundled_list_gives_114_units(self):
        result = import_units()
        assert result == ImportResult(created=114)
        assert AdministrativeUnit.objects.count() == 114
        kinds = {kind: AdministrativeUnit.objects.filter(kind=kind).count() for kind in UnitKind.values}
        assert kinds == {UnitKind.WARD: 45, UnitKind.COMMUNE: 67, UnitKind.SPECIAL_ZONE: 2}
        le_chan = AdministrativeUnit.objects.get(code=LE_CHAN)
        assert (le_chan.name, le_chan.kind, le_chan.search_key) == ("Phường Lê Chân", UnitKind.WARD, "phuong le chan")

    def test_running_twice_changes_nothing(self):
        import_units()
        assert import_units() == ImportResult(unchanged=114)

    def test_names_that_fold_alike_stay_two_units(self):
        """Xã Cẩm Giang and Xã Cẩm Giàng share a folded name; the code keeps them apart."""
        import_units()
        assert AdministrativeUnit.objects.filter(search_key="xa cam giang").count() == 2

    def test_a_renamed_unit_is_updated(self):
        import_units()
        text = "nso_code,name,division_type\n11383,Phường Lê Chân Mới,phường\n"
        assert import_units(csv_file(text)) == ImportResult(updated=1)
        assert AdministrativeUnit.objects.get(code=LE_CHAN).search_key == "phuong le chan moi"

    def test_excel_exports_work(self):
        """UTF-8 with a byte-order mark, semicolons, Vietnamese headers, types without diacritics."""
        text = "Mã;Tên;Loại\n11383;Phường Lê Chân;phuong\n11824;Xã Vĩnh Bảo;XA\n"
        assert import_units(csv_file(text, encoding="utf-8-sig")) == ImportResult(created=2)
        assert AdministrativeUnit.objects.get(code="11824").kind == UnitKind.COMMUNE

    def test_one_bad_row_imports_nothing_and_names_its_line(self):
        text = "nso_code,name,division_type\n11383,Phường Lê Chân,phường\n11407,Phường An Biên,thị trấn\n"
        with pytest.raises(DataImportError) as excinfo:
            import_units(csv_file(text))
        assert problems(excinfo) == [
            (3, "loại đơn vị “thị trấn” không hợp lệ; dùng “phường”, “xã” hoặc “đặc khu”."),
        ]
        assert str(excinfo.value).startswith("Dòng 3: loại đơn vị")
        assert not AdministrativeUnit.objects.exists()

    def test_every_problem_is_reported_at_once(self):
        text = (
            "nso_code,name,division_type\n"
            "11383,Phường Lê Chân,phường\n"
            "\n"
            "1138X,Phường Sai,phường\n"
            "11407,,phường\n"
            "11383,Phường Lê Chân,phường\n"
        )
        with pytest.raises(DataImportError) as excinfo:
            import_units(csv_file(text))
        assert [line for line, _message in problems(excinfo)] == [4, 5, 6]
        messages = " ".join(message for _line, message in problems(excinfo))
        assert "“1138X” phải gồm tối đa 5 chữ số" in messages
        assert "thiếu tên đơn vị" in messages
        assert "mã 11383 trùng với dòng 2" in messages

    def test_a_missing_column_refuses_the_file(self):
        with pytest.raises(DataImportError) as excinfo:
            import_units(csv_file("nso_code,name\n11383,Phường Lê Chân\n"))
        assert problems(excinfo) == [(1, "thiếu cột “division_type”.")]

    def test_a_file_that_is_not_utf8_is_refused_with_its_line(self):
        data = "nso_code,name,division_type\n11383,Phường Lê Chân,phường\n".encode("utf-16")
        with pytest.raises(DataImportError) as excinfo:
            import_units(io.BytesIO(b"nso_code,name,division_type\n" + data))
        assert problems(excinfo)[0][0] == 2
        assert "UTF-8" in problems(excinfo)[0][1]


class TestImportSeats:
    def test_bundled_seats(self):
        import_units()
        assert import_unit_seats() == ImportResult(updated=20)
        assert import_unit_seats() == ImportResult(unchanged=20)
        le_chan = AdministrativeUnit.objects.get(code=LE_CHAN)
        assert 20.8 < le_chan.seat_lat < 20.9 and 106.6 < le_chan.seat_lng < 106.8

    def test_swapped_coordinates_and_unknown_codes_are_refused(self):
        import_units()
        text = "nso_code,lat,lng\n11383,106.68,20.84\n99999,20.84,106.68\n11407,abc,106.68\n"
        with pytest.raises(DataImportError) as excinfo:
            import_unit_seats(csv_file(text))
        assert [line for line, _message in problems(excinfo)] == [2, 3, 4]
        assert "nằm ngoài Hải Phòng" in problems(excinfo)[0][1]
        assert "không có đơn vị mã 99999" in problems(excinfo)[1][1]
        assert AdministrativeUnit.objects.filter(seat_lat__isnull=False).count() == 0


class TestImportBoundaries:
    @pytest.fixture(autouse=True)
    def _units(self):
        import_units()

    def test_polygons_and_multipolygons_with_any_code_property(self):
        multi = {
            "type": "MultiPolygon",
            "coordinates": [square()["coordinates"], square(106.7, 20.9, 106.71, 20.91)["coordinates"]],
        }
        result = import_boundaries(
            geojson(
                feature({"code": LE_CHAN}, square()),
                feature({"MA": AN_BIEN}, multi),
                feature({"nso_code": 11329, "ten": "Ngô Quyền"}, square(106.69, 20.85, 106.71, 20.87)),
            )
        )
        assert result == ImportResult(updated=3)
        assert AdministrativeUnit.objects.get(code=AN_BIEN).boundary["type"] == "MultiPolygon"
        assert AdministrativeUnit.objects.get(code="11329").boundary == square(106.69, 20.85, 106.71, 20.87)

    def test_running_twice_changes_nothing(self):
        features = [
            feature({"code": LE_CHAN}, square()),
            feature({"code": AN_BIEN}, square(106.68, 20.83, 106.70, 20.85)),
        ]
        import_boundaries(geojson(*features))
        assert import_boundaries(geojson(*features)) == ImportResult(unchanged=2)

    def test_a_third_coordinate_is_dropped(self):
        with_height = {"type": "Polygon", "coordinates": [[[*point, 5.0] for point in square()["coordinates"][0]]]}
        import_boundaries(geojson(feature({"code": LE_CHAN}, with_height)))
        assert AdministrativeUnit.objects.get(code=LE_CHAN).boundary == square()

    def test_bad_geometry_imports_nothing(self):
        """A self-intersecting 'bow tie' in feature 2: feature 1 is not written either."""
        bow_tie = {
            "type": "Polygon",
            "coordinates": [[[106.66, 20.83], [106.68, 20.85], [106.68, 20.83], [106.66, 20.85], [106.66, 20.83]]],
        }
        with pytest.raises(DataImportError) as excinfo:
            import_boundaries(geojson(feature({"code": LE_CHAN}, square()), feature({"code": AN_BIEN}, bow_tie)))
        ((number, message),) = problems(excinfo)
        assert number == 2
        assert message.startswith("hình không hợp lệ: đường biên tự cắt nhau")
        assert str(excinfo.value).startswith("Đối tượng 2: hình không hợp lệ")
        assert not AdministrativeUnit.objects.filter(boundary__isnull=False).exists()

    def test_every_kind_of_bad_feature_is_named(self):
        with pytest.raises(DataImportError) as excinfo:
            import_boundaries(
                geojson(
                    feature({"code": "99999"}, square()),
                    feature({"name": "Lê Chân"}, square()),
                    feature({"code": LE_CHAN}, {"type": "Point", "coordinates": [106.67, 20.84]}),
                    feature({"code": AN_BIEN}, square(20.83, 106.66, 20.85, 106.68)),
                    feature({"code": "11329"}, {"type": "Polygon", "coordinates": [[[106.6, 20.8], [106.7, 20.8]]]}),
                    feature({"code": "11329"}, square()),
                    "not a feature",
                )
            )
        found = dict(problems(excinfo))
        assert found[1] == "không có đơn vị mã 99999 trong danh sách đơn vị hành chính."
        assert found[2] == "thiếu mã đơn vị (thuộc tính code, ma hoặc nso_code)."
        assert found[3] == "hình phải là Polygon hoặc MultiPolygon (đang là Point)."
        assert "nằm ngoài Hải Phòng" in found[4] and "đảo vĩ độ và kinh độ" in found[4]
        assert "tọa độ của hình không đọc được" in found[5]
        assert found[6] == "mã 11329 trùng với đối tượng 5."
        assert found[7] == "không phải một Feature."

    def test_a_file_that_is_not_a_feature_collection_is_refused(self):
        with pytest.raises(DataImportError) as excinfo:
            import_boundaries(geojson('{"type": "FeatureCollection",\n "features": [,]}', raw=True))
        assert problems(excinfo)[0][1].startswith("tệp không phải JSON hợp lệ (dòng 2")
        with pytest.raises(DataImportError) as excinfo:
            import_boundaries(geojson(json.dumps(square()), raw=True))
        assert problems(excinfo) == [(None, "tệp phải là một GeoJSON FeatureCollection.")]


class TestImportResidentialGroups:
    @pytest.fixture
    def le_chan(self):
        return AdministrativeUnit.objects.create(code=LE_CHAN, name="Phường Lê Chân", kind=UnitKind.WARD)

    def test_groups_are_created_then_left_unchanged(self, le_chan):
        text = "name,households,smartphone_households\nTổ dân phố 1,300,250\nTổ dân phố 2,,\n"
        assert import_residential_groups(le_chan, csv_file(text)) == ImportResult(created=2)
        assert import_residential_groups(LE_CHAN, csv_file(text)) == ImportResult(unchanged=2)
        first = ResidentialGroup.objects.get(unit=le_chan, name="Tổ dân phố 1")
        assert (first.households, first.smartphone_households, first.search_key) == (300, 250, "to dan pho 1")
        assert ResidentialGroup.objects.get(name="Tổ dân phố 2").households is None

    def test_vietnamese_headers_and_updates(self, le_chan):
        import_residential_groups(le_chan, csv_file("name,households,smartphone_households\nTổ dân phố 1,300,250\n"))
        text = "Tên tổ dân phố,Số hộ,Số hộ có điện thoại thông minh\nTổ  dân phố 1,310,\nTổ dân phố 3,120,100\n"
        assert import_residential_groups(le_chan, csv_file(text)) == ImportResult(created=1, updated=1)
        first = ResidentialGroup.objects.get(name="Tổ dân phố 1")
        assert (first.households, first.smartphone_households) == (310, None)

    def test_a_column_left_out_keeps_the_figures(self, le_chan):
        import_residential_groups(le_chan, csv_file("name,households,smartphone_households\nThôn Đông,80,60\n"))
        assert import_residential_groups(le_chan, csv_file("Tên\nThôn Đông\n")) == ImportResult(unchanged=1)
        assert ResidentialGroup.objects.get(name="Thôn Đông").households == 80

    def test_bad_rows_are_reported_and_nothing_is_written(self, le_chan):
        text = (
            'name,households,smartphone_households\nTổ 1,100,90\nTổ 2,mười,\nTổ 3,50,60\n"Tổ\n4",-3,\n,10,5\ntổ 1,1,1\n'
        )
        with pytest.raises(DataImportError) as excinfo:
            import_residential_groups(le_chan, csv_file(text))
        assert problems(excinfo) == [
            (3, "Số hộ “mười” phải là số nguyên không âm."),
            (4, "số hộ có điện thoại thông minh (60) lớn hơn số hộ (50)."),
            (5, "Số hộ “-3” phải là số nguyên không âm."),
            (7, "thiếu tên tổ dân phố / thôn."),
            (8, "“tổ 1” trùng với dòng 2."),
        ]
        assert not ResidentialGroup.objects.exists()

    def test_an_unknown_unit_is_refused(self, db):
        with pytest.raises(DataImportError) as excinfo:
            import_residential_groups("12345", csv_file("name\nTổ 1\n"))
        assert problems(excinfo) == [(None, "không có đơn vị mã 12345.")]


class TestCommands:
    def test_import_units_defaults_to_the_bundled_files(self):
        out = io.StringIO()
        call_command("import_units", stdout=out)
        assert "Đơn vị hành chính: 114 thêm mới, 0 cập nhật, 0 không đổi." in out.getvalue()
        assert "Tọa độ trụ sở: 0 thêm mới, 20 cập nhật, 0 không đổi." in out.getvalue()
        out = io.StringIO()
        call_command("import_units", stdout=out)
        assert "114 không đổi" in out.getvalue() and "20 không đổi" in out.getvalue()

    def test_import_boundaries_lists_the_errors_and_fails(self, tmp_path):
        import_units()
        path = tmp_path / "ranh-gioi.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature({"code": "99999"}, square())]}))
        with pytest.raises(CommandError) as excinfo:
            call_command("import_boundaries", str(path))
        assert "Tệp có 1 lỗi, chưa nhập gì" in str(excinfo.value)
        assert "Đối tượng 1: không có đơn vị mã 99999" in str(excinfo.value)
        path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature({"code": LE_CHAN}, square())]}))
        out = io.StringIO()
        call_command("import_boundaries", str(path), stdout=out)
        assert "Ranh giới: 0 thêm mới, 1 cập nhật, 0 không đổi." in out.getvalue()

    def test_import_residential_groups(self, tmp_path):
        import_units()
        path = tmp_path / "to-dan-pho.csv"
        path.write_text("name,households\nTổ dân phố 1,300\nTổ dân phố 2,x\n", encoding="utf-8")
        with pytest.raises(CommandError, match=re.escape("Dòng 3: Số hộ “x” phải là số nguyên không âm.")):
            call_command("import_residential_groups", LE_CHAN, str(path))
        path.write_text("name,households\nTổ dân phố 1,300\nTổ dân phố 2,280\n", encoding="utf-8")
        out = io.StringIO()
        call_command("import_residential_groups", LE_CHAN, str(path), stdout=out)
        assert "Tổ dân phố / thôn: 2 thêm mới" in out.getvalue()

    def test_a_missing_file_is_a_clear_error(self, tmp_path):
        with pytest.raises(CommandError, match="Không mở được tệp"):
            call_command("import_boundaries", str(tmp_path / "khong-co.geojson"))
