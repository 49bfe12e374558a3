"""Conformance: the Open311 clients published on PyPI, against a live test server. `georeport` 0.3.1
reads (JSON and XML); `civicbot` 0.4.0 files a report with an issued key (it sends only when told
dry_run=False, confirm="SEND") and reads its token and requests."""

# Fixtures come from tests.feedback.citizen_world, imported by name.
# ruff: noqa: F811

import pytest
from civicbot import Endpoint, HttpError, HttpTransport, Open311Client
from civicbot.http import RateLimiter
from georeport import GeoReport

from feedback.models import Channel, Report
from feedback.open311 import keys
from tests.feedback.citizen_world import (  # noqa: F401
    LE_CHAN_POINT,
    file_report,
    fresh_geo_index,
    world,
)

DESCRIPTION = "Đèn đường trước số 45 Tô Hiệu tắt cả tuần nay, buổi tối rất tối."


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAKN_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def root(live_server):
    return live_server.url + "/api/open311/v2"


@pytest.fixture
def civicbot(root):
    endpoint = Endpoint(id="hai-phong", name="Hải Phòng", base_url=root, write=True)
    # civicbot waits half a second between two calls to a host, out of politeness; not here.
    return Open311Client(endpoint, HttpTransport(rate_limiter=RateLimiter(min_interval=0)))


def test_civicbot_files_a_report_and_georeport_reads_it_back_in_xml(world, root, civicbot):
    _key, api_key = keys.issue_key(client_name="civicbot")
    fields = {"lat": LE_CHAN_POINT[0], "lng": LE_CHAN_POINT[1], "description": DESCRIPTION, "phone": "0911000001"}

    dry = civicbot.create_request("duong-he-pho", api_key=api_key, validate_remote=True, **fields)
    assert dry.dry_run and dry.response is None and not Report.objects.exists()

    sent = civicbot.create_request("duong-he-pho", dry_run=False, confirm="SEND", api_key=api_key, **fields)
    (answer,) = sent.response
    report = Report.objects.get()
    assert answer["service_request_id"] == report.code
    assert report.channel == Channel.API and report.reporter == world.alice

    item = GeoReport(root, output_format="xml").get_service_request(report.code)
    assert item["service_request_id"] == report.code and item["description"] == DESCRIPTION
    assert item["status"] == "open" and item["agency_responsible"] == "UBND Phường Lê Chân"
    assert (float(item["lat"]), float(item["long"])) == LE_CHAN_POINT
    assert civicbot.get_request(report.code)["service_request_id"] == report.code


def test_civicbot_without_a_good_key_gets_open311s_403(world, civicbot):
    with pytest.raises(HttpError) as refused:
        civicbot.create_request(
            "gop-y", dry_run=False, confirm="SEND", api_key="hp311_wrong", lat=LE_CHAN_POINT[0], lng=LE_CHAN_POINT[1]
        )
    assert refused.value.status == 403 and '"code":403' in refused.value.body
    assert not Report.objects.exists()


def test_civicbot_follows_a_token(world, civicbot, monkeypatch):
    from feedback import services

    monkeypatch.setattr("feedback.services.submission.queue_routing", lambda report_id: None)
    _key, api_key = keys.issue_key(client_name="civicbot")
    where = {"address_string": "Phường Lê Chân", "description": DESCRIPTION}
    sent = civicbot.create_request("gop-y", dry_run=False, confirm="SEND", api_key=api_key, **where)
    (answer,) = sent.response
    assert civicbot.get_token(answer["token"])[0]["service_request_id"] is None
    report = Report.objects.get()
    services.route_report(report.pk)
    assert civicbot.get_token(answer["token"])[0]["service_request_id"] == report.code
    assert [item["service_request_id"] for item in civicbot.list_requests(service_request_ids=[report.code])] == [
        report.code
    ]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_services_and_requests(world, root, fmt):
    first = file_report(world.alice, world.roads)
    second = file_report(world.bob, world.electricity)
    file_report(world.bob, world.ideas)
    client = GeoReport(root, output_format=fmt)

    services = client.get_service_list()
    assert {service["service_code"] for service in services} == {"duong-he-pho", "dien", "gop-y"}
    definition = client.get_service_definition("dien")
    assert definition["service_code"] == "dien"

    both = client.get_service_requests(service_request_id=f"{first.code},{second.code}")
    assert [item["service_request_id"] for item in both] == [second.code, first.code]
    roads = client.get_service_requests(service_code="duong-he-pho", status="open")
    roads = roads if isinstance(roads, list) else [roads]  # xmltodict gives one element as a dict
    assert [item["service_request_id"] for item in roads] == [first.code]
    assert client.get_service_request(second.code)["service_name"] == "Sự cố điện"
