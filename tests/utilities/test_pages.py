"""The citizen pages of places, through HTTP: kinds, search, near me without JavaScript, a place's
page, which ward, reporting a wrong place; bad input never a 500; queries constant."""

# ruff: noqa: F811
import datetime
import re

import pytest
from django.urls import reverse

from notices.models import Notice
from tests.helpers import assert_constant_queries
from tests.utilities.world import LE_CHAN_POINT, fresh_geo_index, make_place, offset, world  # noqa: F401
from utilities.models import PlaceKind, PlaceReport, PlaceReportStatus


def text_of(response):
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_section_is_open_on_the_home_page(world, client):
    assert reverse("utilities:index") == "/tien-ich/"
    home = client.get("/").content.decode()
    assert 'href="/tien-ich/"' in home


def test_the_index_lists_the_kinds_and_searches_without_diacritics(world, client):
    make_place(name="Nhà thuốc Hồng Đức", address="45 Tô Hiệu")
    make_place(name="Bến xe Niệm Nghĩa", kind=PlaceKind.BUS_STATION)
    page = client.get("/tien-ich/")
    assert page.status_code == 200
    assert 'href="/tien-ich/gan-toi/?loai=nha-thuoc"' in page.content.decode()
    found = text_of(client.get("/tien-ich/", {"q": "hong duc"}))
    assert "Nhà thuốc Hồng Đức" in found and "Niệm Nghĩa" not in found
    # The search's kind list is drawn from plain options, the kind asked for still chosen.
    html = client.get("/tien-ich/", {"q": "niem", "loai": "ben-xe"}).content.decode()
    assert '<label for="id_loai">Loại:</label><select name="loai" id="id_loai">' in html
    search = html.split('role="search"')[1]
    assert '<option value="ben-xe" selected>Bến xe</option>' in search and search.count(" selected>") == 1


class TestNearMe:
    def test_a_ward_chosen_from_the_list_finds_the_nearest_around_its_seat(self, world, client):
        far = make_place(name="Nhà thuốc xa", point=offset(LE_CHAN_POINT, north_m=800))
        near = make_place(name="Nhà thuốc gần", point=offset(LE_CHAN_POINT, east_m=150), phone="0225 3700 202")
        make_place(name="ATM", kind=PlaceKind.ATM, point=LE_CHAN_POINT)
        response = client.get("/tien-ich/gan-toi/", {"loai": "nha-thuoc", "phuong": "11383"})
        assert response.status_code == 200
        rows = [row["pk"] for row in response.context["rows"]]
        assert rows == [near.pk, far.pk]
        text = text_of(response)
        assert "Gần trụ sở Phường Lê Chân" in text
        assert "cách 150 m" in text and "cách 800 m" in text and "ATM" not in text.split("Gần trụ sở")[1]
        html = response.content.decode()
        assert 'href="tel:02253700202"' in html
        assert "openstreetmap.org/directions" in html and "20.840000%2C106.679000" in html.replace(",", "%2C")

    def test_the_location_of_the_phone_is_a_point_sent_by_the_form(self, world, client):
        near = make_place(point=offset(LE_CHAN_POINT, east_m=50))
        response = client.get("/tien-ich/gan-toi/", {"loai": "nha-thuoc", "lat": "20.84", "lng": "106.679"})
        assert [row["pk"] for row in response.context["rows"]] == [near.pk]
        assert "Gần vị trí đã chọn" in text_of(response)
        # The list page is usable without JavaScript: the button that asks for the location is hidden
        # until the script shows it, and the ward list is always there.
        html = response.content.decode()
        assert re.search(r"<p[^>]*hidden[^>]*data-locate-tools", html)
        assert '<select name="phuong"' in html

    def test_each_row_says_whether_the_place_is_open_reading_each_hours_text_once(self, world, client, monkeypatch):
        from utilities import hours

        make_place(name="Mở cả ngày", point=offset(LE_CHAN_POINT, east_m=50), opening_hours="24/7")
        make_place(name="Cũng vậy", point=offset(LE_CHAN_POINT, east_m=90), opening_hours="24/7")
        make_place(name="Chưa rõ giờ", point=offset(LE_CHAN_POINT, east_m=120), opening_hours="")
        read = []
        real_state = hours.state
        monkeypatch.setattr(hours, "state", lambda text, at=None: read.append(text) or real_state(text, at=at))
        response = client.get("/tien-ich/gan-toi/", {"loai": "nha-thuoc", "phuong": "11383"})
        assert [row["hours"] for row in response.context["rows"]] == [(True, "Đang mở cửa")] * 2 + [None]
        assert sorted(read) == ["", "24/7"]
        assert text_of(response).count("Đang mở cửa") == 2

    def test_the_rows_escape_what_editors_typed(self, world, client):
        make_place(name='Nhà thuốc <b>"A&B"</b>', address="<i>12</i> Lạch Tray", point=offset(LE_CHAN_POINT, east_m=50))
        html = client.get("/tien-ich/gan-toi/", {"loai": "nha-thuoc", "phuong": "11383"}).content.decode()
        assert "<b>" not in html and "<i>" not in html
        assert 'data-name="Nhà thuốc &lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;"' in html
        assert '<span class="visually-hidden">Nhà thuốc &lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;</span>' in html
        assert "&lt;i&gt;12&lt;/i&gt; Lạch Tray, Phường Lê Chân" in html
        assert "directions?engine=fossgis_osrm_foot&amp;route=" in html

    def test_the_selects_options_follow_the_wards_as_they_are(self, world):
        from utilities.forms import options_html

        choices = [("", "— Chọn —"), ("11383", "Phường Lê Chân"), ("11329", 'Phường "Ngô" & Quyền')]
        assert options_html(choices, "11383") == (
            '<option value="">— Chọn —</option><option value="11383" selected>Phường Lê Chân</option>'
            '<option value="11329">Phường &quot;Ngô&quot; &amp; Quyền</option>'
        )
        assert '<option value="" selected>' in options_html(choices, "")
        # Kept by their text: a renamed ward is new text, never the old options.
        renamed = [("", "— Chọn —"), ("11383", "Phường Lê Chân mới"), choices[2]]
        assert "Phường Lê Chân mới" in options_html(renamed, "11383")
        assert "Phường Lê Chân mới" not in options_html(choices, "11383")
        grouped = [("", "Mọi loại"), ("Y tế", [("nha-thuoc", "Nhà thuốc")])]
        assert options_html(grouped, "nha-thuoc") == (
            '<option value="">Mọi loại</option><optgroup label="Y tế">'
            '<option value="nha-thuoc" selected>Nhà thuốc</option></optgroup>'
        )

    def test_the_hours_say_when_they_change(self):
        from utilities.hours import UNKNOWN, State
        from utilities.views import hours_label

        evening = datetime.datetime(2026, 12, 2, 15, 0, tzinfo=datetime.UTC)  # 22:00 in Hải Phòng
        assert hours_label(State(known=True, is_open=True, next_change=evening)) == (
            True,
            "Đang mở cửa · đóng lúc 22:00",
        )
        opens = State(known=True, is_open=False, next_change=evening, next_change_today=True)
        assert hours_label(opens) == (False, "Đã đóng cửa · mở lúc 22:00")
        is_open, label = hours_label(State(known=True, is_open=False, next_change=evening))
        assert not is_open and label.startswith("Đã đóng cửa · mở lúc 22:00, ") and label.endswith("02/12")
        assert hours_label(UNKNOWN) is None

    def test_nothing_near_says_so(self, world, client):
        make_place(point=offset(LE_CHAN_POINT, east_m=4000), kind=PlaceKind.ATM)
        response = client.get("/tien-ich/gan-toi/", {"loai": "nha-thuoc", "phuong": "11383"})
        assert "Không có địa điểm nào loại này" in text_of(response)

    @pytest.mark.parametrize(
        "params, message",
        [
            ({"lat": "21.0285", "lng": "105.8542"}, "ngoài thành phố Hải Phòng"),
            ({"lat": "abc", "lng": "1"}, "Vị trí không hợp lệ"),
            ({"lat": "1e999", "lng": "106"}, "Vị trí không hợp lệ"),
            ({"phuong": "99999"}, "Vị trí không hợp lệ"),
            ({"loai": "khong-co"}, "Vị trí không hợp lệ"),
            ({"loai": "nha-thuoc"}, "Hãy chọn phường, xã"),
        ],
    )
    def test_bad_input_gets_a_clear_message(self, world, client, params, message):
        response = client.get("/tien-ich/gan-toi/", params)
        assert response.status_code == 200
        assert message in text_of(response)

    def test_queries_stay_constant_as_places_grow(self, world, client):
        url = "/tien-ich/gan-toi/?loai=nha-thuoc&phuong=11383"

        def grow():
            for metres in range(100, 1000, 100):
                make_place(point=offset(LE_CHAN_POINT, east_m=metres))

        make_place(point=LE_CHAN_POINT)
        # The ward's seat, then up to three boxes (1 km, 2.5 km, 5 km) while fewer than 20 are found.
        assert assert_constant_queries(client, url, grow=grow) <= 4


class TestPlacePage:
    def test_it_has_call_map_app_and_directions_links_and_the_hours(self, world, client):
        place = make_place(name="Nhà thuốc Minh Châu", phone="0225 3855 101", opening_hours="24/7")
        response = client.get(place.get_absolute_url())
        html = response.content.decode()
        assert 'href="tel:02253855101"' in html
        assert 'href="geo:20.840000,106.679000?q=20.840000,106.679000"' in html
        assert "https://www.openstreetmap.org/directions?" in html
        assert "Đang mở cửa" in text_of(response) and "24/7" in html
        assert "Phường Lê Chân" in text_of(response)

    def test_a_hidden_or_missing_place_is_a_404(self, world, client):
        hidden = make_place(is_active=False)
        assert client.get(hidden.get_absolute_url()).status_code == 404
        assert client.get("/tien-ich/dia-diem/999999/").status_code == 404

    def test_queries_are_few(self, world, client):
        place = make_place()
        assert_constant_queries(client, place.get_absolute_url(), grow=lambda: [make_place() for _ in range(5)])


class TestWhichWard:
    def test_a_point_gives_the_ward_its_committee_and_police_with_phones(self, world, client):
        response = client.get("/tien-ich/phuong-nao/", {"lat": "20.8400", "lng": "106.6790"})
        text = text_of(response)
        assert "Bạn đang ở Phường Lê Chân" in text
        assert "UBND Phường Lê Chân" in text and "Số 1 Hai Bà Trưng" in text
        assert "Công an Phường Lê Chân" in text
        html = response.content.decode()
        assert 'href="tel:02253857001"' in html and 'href="tel:02253857113"' in html

    def test_the_form_works_without_javascript(self, world, client):
        html = client.get("/tien-ich/phuong-nao/").content.decode()
        assert re.search(r'<form method="get" action="/tien-ich/phuong-nao/"', html)
        assert 'name="lat"' in html and 'name="lng"' in html

    @pytest.mark.parametrize(
        "params, message",
        [
            ({"lat": "21.0285", "lng": "105.8542"}, "ngoài thành phố Hải Phòng"),
            ({"lat": "x", "lng": "106"}, "Tọa độ không hợp lệ"),
            ({"lat": "95", "lng": "106"}, "Tọa độ không hợp lệ"),
        ],
    )
    def test_bad_or_outside_points_say_so(self, world, client, params, message):
        response = client.get("/tien-ich/phuong-nao/", params)
        assert response.status_code == 200 and message in text_of(response)

    def test_queries_are_few(self, world, client):
        url = "/tien-ich/phuong-nao/?lat=20.84&lng=106.679"
        assert assert_constant_queries(client, url, grow=lambda: [make_place() for _ in range(5)]) <= 2


class TestReportAWrongPlace:
    def test_a_visitor_is_asked_to_sign_in(self, world, client):
        place = make_place()
        response = client.get(reverse("utilities:report", args=[place.pk]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_a_report_reaches_the_editors_once(self, world, client):
        place = make_place(name="Nhà thuốc Minh Châu")
        client.force_login(world.alice)
        url = reverse("utilities:report", args=[place.pk])
        response = client.post(url, {"problem": "phone", "message": "Số đúng là 0225 3855 999"})
        assert response.status_code == 302 and response["Location"] == place.get_absolute_url()
        again = client.post(url, {"problem": "phone", "message": "Bấm lại lần nữa"})
        assert again.status_code == 302
        report = PlaceReport.objects.get()
        assert report.status == PlaceReportStatus.OPEN and report.reporter == world.alice
        assert report.message == "Số đúng là 0225 3855 999"
        notice = Notice.objects.get(user=world.editor)
        assert "Nhà thuốc Minh Châu" in notice.text and notice.url == "/can-bo/tien-ich/bao-sai/"

    def test_a_report_without_a_problem_is_refused(self, world, client):
        place = make_place()
        client.force_login(world.alice)
        response = client.post(reverse("utilities:report", args=[place.pk]), {"message": "x" * 600})
        assert response.status_code == 200 and not PlaceReport.objects.exists()
        assert "Chưa gửi được" in text_of(response)
