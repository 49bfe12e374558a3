"""The Open311 GeoReport v2 API: the public reports as service requests, and nothing more."""

# Fixtures come from tests.feedback.citizen_world, imported by name.
# ruff: noqa: F811

import datetime

import pytest
from django.utils import timezone

from feedback import photos as photo_pipeline
from feedback.models import Report, ReportStatus
from feedback.open311.views import Open311Throttle
from tests.feedback.citizen_world import (  # noqa: F401
    NGO_QUYEN_POINT,
    file_report,
    fresh_geo_index,
    image_bytes,
    world,
)
from tests.feedback.test_rating import answer
from tests.helpers import assert_constant_queries

BASE = "/api/open311/v2/"


def get(client, path, **params):
    return client.get(BASE + path, params)


def codes(response):
    return [item["service_request_id"] for item in response.json()]


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAKN_PAGE_CACHE_SECONDS = 0


def test_services_are_the_categories_a_report_can_be_filed_under(client, world):
    response = get(client, "services.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    services_by_code = {item["service_code"]: item for item in response.json()}
    # Sub-categories, and top-level categories without any; not the groups themselves.
    assert set(services_by_code) == {"duong-he-pho", "dien", "gop-y"}
    assert services_by_code["dien"] == {
        "service_code": "dien",
        "service_name": "Sự cố điện",
        "description": "",
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": "Sự cố hạ tầng kỹ thuật",
    }
    assert services_by_code["gop-y"]["group"] == "Góp ý hiến kế"


def test_a_public_report_is_a_service_request_without_its_reporter(client, world):
    report = file_report(
        world.alice,
        world.roads,
        title="Ổ gà trước số 120",
        photos=[photo_pipeline.process(image_bytes())],
    )
    (item,) = get(client, "requests.json").json()
    assert item["service_request_id"] == report.code
    assert item["status"] == "open" and item["status_notes"] is None
    assert (item["service_code"], item["service_name"]) == ("duong-he-pho", "Đường, hè phố")
    assert item["agency_responsible"] == "UBND Phường Lê Chân"
    assert item["ward"] == "Phường Lê Chân"
    assert (item["lat"], item["long"]) == (report.lat, report.lng)
    assert item["address"] == "120 Lạch Tray" and item["description"] == report.description
    assert datetime.datetime.fromisoformat(item["requested_datetime"]) == report.created_at
    assert item["url"] == f"http://testserver/phan-anh/{report.code}/"
    photo = report.photos.get()
    assert item["media_url"] == f"http://testserver/phan-anh/{report.code}/anh/{photo.pk}/"
    assert client.get(item["media_url"]).status_code == 200
    text = str(item)
    assert world.alice.phone not in text and world.alice.full_name not in text
    assert not {"reporter", "phone", "contact_name", "contact_phone", "email"} & set(item)


def test_an_answered_report_is_closed_with_the_answer_as_its_notes(client, world):
    report = answer(file_report(world.alice, world.roads), world.ward_officer, world.lechan_committee)
    open_one = file_report(world.bob, world.roads)
    Report.objects.filter(pk=open_one.pk).update(answer_due_at=timezone.now() + datetime.timedelta(days=3))

    items = {item["service_request_id"]: item for item in get(client, "requests.json").json()}
    assert items[report.code]["status"] == "closed"
    assert items[report.code]["status_notes"] == "Đã vá ổ gà ngày 12/11. Cảm ơn bạn."
    assert items[report.code]["expected_datetime"] is None
    assert items[open_one.code]["status"] == "open" and items[open_one.code]["expected_datetime"]

    assert codes(get(client, "requests.json", status="closed")) == [report.code]
    assert codes(get(client, "requests.json", status="open")) == [open_one.code]
    assert set(codes(get(client, "requests.json", status="open,closed"))) == {report.code, open_one.code}


def test_only_what_the_public_feed_shows(client, world):
    shown = file_report(world.alice, world.roads)
    private = file_report(world.alice, world.roads, is_public=False)
    rejected = file_report(world.bob, world.ideas)
    Report.objects.filter(pk=rejected.pk).update(status=ReportStatus.REJECTED)
    merged = file_report(world.bob, world.roads)
    Report.objects.filter(pk=merged.pk).update(merged_into=shown)

    assert codes(get(client, "requests.json")) == [shown.code]
    for hidden in (private, rejected, merged):
        response = get(client, f"requests/{hidden.code}.json")
        assert response.status_code == 404
        assert response.json() == [
            {"code": 404, "description": "Không tìm thấy phản ánh này, hoặc phản ánh không công khai."}
        ]
    (item,) = get(client, f"requests/{shown.code}.json").json()
    assert item["service_request_id"] == shown.code


def test_filters_by_service_code_and_dates(client, world):
    road = file_report(world.alice, world.roads)
    power = file_report(world.bob, world.electricity, point=NGO_QUYEN_POINT)
    idea = file_report(world.alice, world.ideas)
    Report.objects.filter(pk=idea.pk).update(created_at=timezone.now() - datetime.timedelta(days=40))

    assert set(codes(get(client, "requests.json", service_code="duong-he-pho,dien"))) == {road.code, power.code}
    # A group's code takes its sub-categories along, as the feed's filter does.
    assert set(codes(get(client, "requests.json", service_code="ha-tang"))) == {road.code, power.code}
    ten_days_ago = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    assert codes(get(client, "requests.json", end_date=ten_days_ago)) == [idea.code]
    assert set(codes(get(client, "requests.json", start_date=ten_days_ago))) == {road.code, power.code}
    since = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    assert set(codes(get(client, "requests.json", start_date=since))) == {road.code, power.code}


def test_pages_follow_the_link_header(client, world):
    filed = [file_report(world.alice, world.roads, title=f"Ổ gà số {number}") for number in range(5)]
    response = get(client, "requests.json", page_size=2)
    seen = codes(response)
    while "Link" in response:
        url, rel = response["Link"].split("; ")
        assert rel == 'rel="next"'
        response = client.get(url.strip("<>"))
        assert response.status_code == 200
        seen += codes(response)
    assert seen == [report.code for report in reversed(filed)]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "fixed"}, "status chỉ nhận"),
        ({"service_code": "khong-co"}, "Không có lĩnh vực (service_code) “khong-co”."),
        ({"start_date": "hôm qua"}, "start_date không đúng định dạng"),
        ({"start_date": "2026-11-10", "end_date": "2026-11-01"}, "start_date phải trước end_date."),
        ({"page_size": "500"}, "page_size phải là số từ 1 đến 100."),
        ({"page_size": "mười"}, "page_size phải là số từ 1 đến 100."),
        ({"cursor": "not-a-cursor!"}, "cursor không hợp lệ"),
    ],
)
def test_bad_parameters_get_an_open311_error(client, world, params, message):
    response = get(client, "requests.json", **params)
    assert response.status_code == 400
    (error,) = response.json()
    assert error["code"] == 400 and message in error["description"]


def test_errors_speak_english_when_asked(client, world):
    response = client.get(BASE + "requests.json", {"status": "fixed"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()[0]["description"] == "status takes “open” or “closed”."


def test_a_session_is_no_key_and_other_methods_are_refused(client, world):
    """Filing needs an api_key: a signed-in citizen's session does not stand in for one."""
    client.force_login(world.alice)
    response = client.post(BASE + "requests.json", {"service_code": "gop-y"})
    assert response.status_code == 403
    assert response.json()[0]["code"] == 403
    response = client.delete(BASE + "requests.json")
    assert response.status_code == 405 and response.json()[0]["code"] == 405
    assert not Report.objects.exists()


def test_clients_are_throttled(client, world, monkeypatch):
    monkeypatch.setattr(Open311Throttle, "THROTTLE_RATES", {"open311": "3/min"})
    responses = [get(client, "services.json") for _ in range(4)]
    assert [response.status_code for response in responses] == [200, 200, 200, 429]
    (error,) = responses[-1].json()
    assert error["code"] == 429 and error["description"]


def test_a_page_costs_the_same_queries_however_many_reports_it_lists(client, world):
    file_report(world.alice, world.roads)

    def grow():
        for number in range(6):
            report = file_report(world.bob, world.roads if number % 2 else world.ideas, title=f"Phản ánh {number}")
            if number % 3 == 0:
                answer(report, world.ward_officer, world.lechan_committee)

    assert assert_constant_queries(client, BASE + "requests.json", grow=grow) <= 4


# --- XML, discovery, service_request_id, lat/long/radius ------------------------------------------


def test_every_read_endpoint_speaks_xml(client, world):
    import xmltodict

    report = file_report(world.alice, world.roads, photos=[photo_pipeline.process(image_bytes())])
    response = get(client, "services.xml")
    assert response.status_code == 200 and response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<services><service>")
    services_xml = xmltodict.parse(response.content)["services"]["service"]
    assert {item["service_code"] for item in services_xml} == {"duong-he-pho", "dien", "gop-y"}
    assert services_xml[0]["metadata"] == "false" and services_xml[0]["type"] == "realtime"

    for path in ("requests.xml", f"requests/{report.code}.xml"):
        item = xmltodict.parse(get(client, path).content)["service_requests"]["request"]
        (json_item,) = get(client, path.replace(".xml", ".json")).json()
        assert item["service_request_id"] == report.code
        assert item["description"] == report.description and item["status"] == "open"
        assert float(item["lat"]) == report.lat and float(item["long"]) == report.lng
        assert item["media_url"] == json_item["media_url"]
        assert item["status_notes"] is None and item["zipcode"] is None  # empty elements
        assert item["requested_datetime"] == json_item["requested_datetime"]

    definition = xmltodict.parse(get(client, "services/dien.xml").content)["service_definition"]
    assert definition == {"service_code": "dien", "attributes": None}
    assert get(client, "services/dien.json").json() == {"service_code": "dien", "attributes": []}
    assert get(client, "services/khong-co.json").status_code == 404


def test_errors_are_xml_in_xml(client, world):
    import xmltodict

    response = get(client, "requests.xml", status="fixed")
    assert response.status_code == 400
    error = xmltodict.parse(response.content)["errors"]["error"]
    assert error["code"] == "400" and "status" in error["description"]
    response = get(client, "requests/PA-2026-999999.xml")
    assert xmltodict.parse(response.content)["errors"]["error"]["code"] == "404"


def test_unknown_addresses_are_open311_404s(client, world):
    import xmltodict

    response = get(client, "khong-co.json")
    assert response.status_code == 404 and response.json()[0]["code"] == 404
    response = get(client, "requests/khong-phai-ma.xml")
    assert response.status_code == 404 and xmltodict.parse(response.content)["errors"]["error"]["code"] == "404"


def test_discovery_says_where_the_api_is(client, world):
    import xmltodict

    data = get(client, "discovery.json").json()
    (endpoint,) = data["endpoints"]
    assert endpoint["url"] == "http://testserver/api/open311/v2"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    assert data["contact"] and data["key_service"] and data["changeset"]
    xml = xmltodict.parse(get(client, "discovery.xml").content)["discovery"]
    assert xml["endpoints"]["endpoint"]["url"] == endpoint["url"]
    assert xml["endpoints"]["endpoint"]["formats"]["format"] == endpoint["formats"]


def test_service_request_id_overrides_every_other_parameter(client, world):
    filed = [file_report(world.alice, world.roads, title=f"Ổ gà số {number}") for number in range(4)]
    asked = f"{filed[0].code}, {filed[2].code},PA-2026-999999"
    # status=closed and a page of one would each exclude them: the standard says they are ignored.
    response = get(client, "requests.json", service_request_id=asked, status="closed", page_size=1)
    assert response.status_code == 200 and "Link" not in response
    assert codes(response) == [filed[2].code, filed[0].code]
    # Even parameters that would be refused.
    assert len(codes(get(client, "requests.json", service_request_id=filed[1].code, status="fixed"))) == 1
    too_many = ",".join(f"PA-2026-{number:06d}" for number in range(101))
    assert get(client, "requests.json", service_request_id=too_many).status_code == 400


def test_lat_long_radius_finds_the_reports_near_a_point(client, world):
    here = file_report(world.alice, world.roads, point=(20.8400, 106.6790))
    near = file_report(world.alice, world.roads, point=(20.8440, 106.6790))  # about 445 m north
    far = file_report(world.bob, world.electricity, point=NGO_QUYEN_POINT)  # about 2.7 km east

    def found(**params):
        return set(codes(get(client, "requests.json", lat="20.8400", long="106.6790", **params)))

    assert found(radius="100") == {here.code}
    assert found(radius="500") == {here.code, near.code}
    assert found() == {here.code, near.code}  # 1000 m unless told
    assert found(radius="5000") == {here.code, near.code, far.code}
    assert found(radius="500", service_code="dien") == set()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"lat": "20.84"}, "lat và long phải có cả hai."),
        ({"lat": "bắc", "long": "106.6"}, "lat phải là một số."),
        ({"lat": "20.84", "long": "106.6", "radius": "0"}, "radius (mét) phải từ 1 đến 50000."),
        ({"lat": "20.84", "long": "106.6", "radius": "nhiều"}, "radius phải là một số."),
        ({"radius": "100"}, "radius cần đi cùng lat và long."),
        ({"lat": "120", "long": "106.6"}, "lat phải từ -90 đến 90"),
    ],
)
def test_bad_points_get_an_open311_error(client, world, params, message):
    response = get(client, "requests.json", **params)
    assert response.status_code == 400 and message in response.json()[0]["description"]


def test_a_near_page_costs_the_same_queries(client, world):
    file_report(world.alice, world.roads)

    def grow():
        for number in range(4):
            file_report(world.bob, world.roads, title=f"Phản ánh {number}")

    path = BASE + "requests.xml?lat=20.84&long=106.679&radius=2000"
    assert assert_constant_queries(client, path, grow=grow) <= 4
