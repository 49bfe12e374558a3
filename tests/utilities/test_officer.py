"""Editors' pages (/can-bo/tien-ich/): add and correct places, two editors at once, import a file,
the queue of citizens' reports, the desk's count; nobody else gets in."""

# ruff: noqa: F811
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from government.models import Membership, Role
from tests.feedback.officer_world import give_totp
from tests.helpers import OFFICER_PAGE_MAX_QUERIES, assert_constant_queries
from tests.utilities.world import LE_CHAN_POINT, fresh_geo_index, make_place, world  # noqa: F401
from utilities import services
from utilities.models import Place, PlaceReport, PlaceReportStatus


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def editor_client(client, world):
    client.force_login(world.editor)
    return client


FORM = {
    "name": "Nhà thuốc Phương Lan",
    "kind": "pharmacy",
    "address": "15 Trần Nguyên Hãn",
    "lat": "20.8398",
    "lng": "106.6731",
    "phone": "0225 3844 606",
    "opening_hours": "Mo-Su 07:00-21:00",
    "website": "",
    "note": "",
    "is_active": "on",
}


class TestAccess:
    @pytest.mark.parametrize("url", ["/can-bo/tien-ich/", "/can-bo/tien-ich/them/", "/can-bo/tien-ich/bao-sai/"])
    def test_a_citizen_or_an_officer_of_another_role_gets_a_404(self, world, client, make_user, url):
        client.force_login(world.alice)
        assert client.get(url).status_code == 404
        officer = give_totp(make_user(username="canbo"))
        Membership.objects.create(user=officer, agency=world.committee, role=Role.OFFICER)
        client.force_login(officer)
        assert client.get(url).status_code == 404

    def test_a_visitor_is_sent_to_sign_in(self, world, client):
        assert client.get("/can-bo/tien-ich/").status_code == 302


class TestEditing:
    def test_an_editor_adds_a_place_and_its_ward_comes_from_the_point(self, world, editor_client):
        response = editor_client.post("/can-bo/tien-ich/them/", FORM)
        place = Place.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/can-bo/tien-ich/{place.pk}/sua/"
        assert place.unit == world.lechan and place.updated_by == world.editor and place.version == 1

    @pytest.mark.parametrize(
        "change, message",
        [
            ({"lat": "21.0285", "lng": "105.8542"}, "ngoài thành phố Hải Phòng"),
            ({"opening_hours": "7h-21h"}, "opening_hours"),
            ({"phone": "gọi chủ quán"}, "Số điện thoại"),
            ({"website": "javascript:alert(1)"}, "trang web không hợp lệ"),
        ],
    )
    def test_bad_input_is_refused_with_a_message_and_nothing_saved(self, world, editor_client, change, message):
        response = editor_client.post("/can-bo/tien-ich/them/", {**FORM, **change})
        assert response.status_code == 200 and message in text_of(response)
        assert not Place.objects.exists()

    def test_an_editor_corrects_a_place(self, world, editor_client):
        place = make_place(name="Nhà thuốc cũ")
        form = {**FORM, "version": place.version}
        response = editor_client.post(f"/can-bo/tien-ich/{place.pk}/sua/", form)
        assert response.status_code == 302
        place.refresh_from_db()
        assert place.name == "Nhà thuốc Phương Lan" and place.version == 2
        assert place.search_key == "nha thuoc phuong lan 15 tran nguyen han"

    def test_of_two_editors_at_once_the_second_is_told_and_does_not_overwrite(self, world, editor_client):
        place = make_place(name="Nhà thuốc cũ")
        services.update_place(editor=world.editor, place_id=place.pk, version=1, name="Sửa trước")
        response = editor_client.post(f"/can-bo/tien-ich/{place.pk}/sua/", {**FORM, "version": 1})
        assert response.status_code == 200
        assert "Một biên tập viên khác vừa sửa địa điểm này" in text_of(response)
        place.refresh_from_db()
        assert place.name == "Sửa trước"

    def test_an_editor_hides_a_place_that_closed(self, world, editor_client, client):
        place = make_place(name="Nhà thuốc đã đóng cửa", phone="0225 3855 101", address="1 Lạch Tray")
        data = {**FORM, "name": place.name, "address": place.address, "lat": place.lat, "lng": place.lng}
        data.pop("is_active")
        editor_client.post(f"/can-bo/tien-ich/{place.pk}/sua/", {**data, "version": place.version})
        place.refresh_from_db()
        assert not place.is_active

    def test_the_list_pages_and_queries_are_constant(self, world, editor_client):
        make_place()
        count = assert_constant_queries(
            editor_client,
            "/can-bo/tien-ich/",
            grow=lambda: [make_place() for _ in range(5)],
            max_queries=OFFICER_PAGE_MAX_QUERIES,
        )
        assert count <= OFFICER_PAGE_MAX_QUERIES


class TestImportPage:
    def test_a_good_file_is_imported(self, world, editor_client):
        text = "source_id,name,kind,lat,lng\ncsv-1,Nhà thuốc A,pharmacy,20.84,106.68\n"
        upload = SimpleUploadedFile("nha-thuoc.csv", text.encode(), content_type="text/csv")
        response = editor_client.post("/can-bo/tien-ich/nhap/", {"file": upload}, follow=True)
        assert "Đã nhập địa điểm: 1 thêm mới" in text_of(response)
        assert Place.objects.get().source_id == "csv-1"

    def test_a_bad_file_names_its_rows_and_saves_nothing(self, world, editor_client):
        data = json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "id": "node/1",
                        "properties": {"amenity": "pharmacy", "name": "A"},
                        "geometry": {"type": "Point", "coordinates": [105.85, 21.03]},
                    }
                ],
            }
        ).encode()
        upload = SimpleUploadedFile("osm.geojson", data, content_type="application/geo+json")
        response = editor_client.post("/can-bo/tien-ich/nhap/", {"file": upload})
        text = text_of(response)
        assert "Chưa nhập địa điểm nào" in text and "Đối tượng 1 (node/1)" in text and "ngoài thành phố" in text
        assert not Place.objects.exists()

    def test_a_file_of_another_type_is_refused(self, world, editor_client):
        upload = SimpleUploadedFile("anh.png", b"\x89PNG", content_type="image/png")
        response = editor_client.post("/can-bo/tien-ich/nhap/", {"file": upload})
        assert "Chỉ nhận tệp .geojson, .json hoặc .csv" in text_of(response)

    def test_agencies_become_places(self, world, editor_client):
        response = editor_client.post("/can-bo/tien-ich/nhap/co-quan/", follow=True)
        assert "3 thêm mới" in text_of(response)
        assert Place.objects.filter(agency=world.committee).exists()


class TestReportQueue:
    def test_the_desk_counts_open_reports_and_the_queue_closes_them(self, world, editor_client, make_user):
        place = make_place(name="Nhà thuốc Minh Châu")
        services.report_place(place=place, reporter=world.alice, problem="hours", message="Chủ nhật vẫn mở")
        desk = editor_client.get("/can-bo/")
        sections = {section.title: section for section in desk.context["sections"]}
        items = {item.label: item for item in sections["Địa điểm (Tiện ích)"].items}
        assert items["Báo sai chờ xử lý"].count == 1
        queue = editor_client.get("/can-bo/tien-ich/bao-sai/")
        assert "Nhà thuốc Minh Châu" in text_of(queue) and "Chủ nhật vẫn mở" in text_of(queue)
        report = PlaceReport.objects.get()
        response = editor_client.post(reverse("utilities_officer:handle_report", args=[report.pk]), {"status": "fixed"})
        assert response.status_code == 302
        report.refresh_from_db()
        assert report.status == PlaceReportStatus.FIXED and report.handled_by == world.editor

    def test_a_report_closed_by_another_editor_is_not_closed_twice(self, world, editor_client, make_user):
        place = make_place()
        report, _created = services.report_place(place=place, reporter=world.alice, problem="closed")
        other = give_totp(make_user(username="bientap2"))
        Membership.objects.create(user=other, agency=world.hotline, role=Role.EDITOR)
        services.handle_report(editor=other, report_id=report.pk, status="dismissed")
        response = editor_client.post(
            reverse("utilities_officer:handle_report", args=[report.pk]), {"status": "fixed"}, follow=True
        )
        assert "đã được một biên tập viên khác xử lý" in text_of(response)
        report.refresh_from_db()
        assert report.status == PlaceReportStatus.DISMISSED and report.handled_by == other

    def test_the_queue_queries_are_constant(self, world, editor_client, make_user):
        def grow():
            for _number in range(4):
                person = make_user()
                services.report_place(place=make_place(), reporter=person, problem="phone")
            # Each report notifies the editors, which drops the bell's kept unread count (notices):
            # one visit reads it again, so the count after grow() is the page's, not the bell's.
            editor_client.get("/can-bo/tien-ich/bao-sai/")

        grow()
        assert_constant_queries(
            editor_client, "/can-bo/tien-ich/bao-sai/", grow=grow, max_queries=OFFICER_PAGE_MAX_QUERIES
        )

    def test_only_editors_may_handle(self, world):
        place = make_place()
        report, _created = services.report_place(place=place, reporter=world.alice, problem="closed")
        with pytest.raises(services.PlaceError):
            services.handle_report(editor=world.alice, report_id=report.pk, status="fixed")
        with pytest.raises(services.PlaceError):
            services.create_place(editor=world.alice, name="X", kind="pharmacy", lat=20.84, lng=106.679)
