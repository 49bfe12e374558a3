"""Open311's write side: client apps file reports with an issued api_key, through the web form's
own service; every refusal is Open311's error list, with nothing saved."""

# Fixtures come from tests.feedback.citizen_world, imported by name.
# ruff: noqa: F811

import io
import json

import pytest
import xmltodict

from feedback import photos as photo_pipeline
from feedback.models import Channel, Open311Token, Report, ReportPhoto, ReportStatus
from feedback.open311 import keys
from tests.feedback.citizen_world import (  # noqa: F401
    LE_CHAN_POINT,
    NGO_QUYEN_POINT,
    OUTSIDE_POINT,
    fresh_geo_index,
    image_bytes,
    stored_files,
    world,
)

BASE = "/api/open311/v2/"
DESCRIPTION = "Ổ gà sâu khoảng 20 cm trước số 120 Lạch Tray, xe máy rất dễ ngã."


@pytest.fixture
def api_key(world):
    _key, raw_key = keys.issue_key(client_name="Ứng dụng thử")
    return raw_key


def post(client, api_key=None, fmt="json", **fields):
    data = {"service_code": "duong-he-pho", "lat": LE_CHAN_POINT[0], "long": LE_CHAN_POINT[1]}
    data["description"] = DESCRIPTION
    data.update(fields)
    if api_key:
        data["api_key"] = api_key
    data = {name: value for name, value in data.items() if value is not None}
    return client.post(f"{BASE}requests.{fmt}", data)


def refused(response, status, text=""):
    assert response.status_code == status, response.content
    (item,) = response.json()
    assert item["code"] == status and text in item["description"], item
    return item["description"]


def test_a_client_files_a_report_and_gets_its_tracking_code(client, world, api_key):
    response = post(client, api_key, address_string="120 Lạch Tray")
    assert response.status_code == 201
    (item,) = response.json()
    report = Report.objects.get()
    assert item["service_request_id"] == report.code and "token" not in item
    assert report.channel == Channel.API and report.reporter is None and report.contact_phone == ""
    assert report.category == world.roads and report.unit == world.lechan
    assert report.agency == world.lechan_committee and report.status == ReportStatus.ASSIGNED
    assert (report.lat, report.lng, report.address) == (*LE_CHAN_POINT, "120 Lạch Tray")
    assert report.description == DESCRIPTION
    assert report.title == "Ổ gà sâu khoảng 20 cm trước số 120 Lạch Tray, xe máy rất dễ ngã."
    assert report.open311_token.key.client_name == "Ứng dụng thử"
    # Routed, so public: the read side shows it at once.
    (shown,) = client.get(f"{BASE}requests/{report.code}.json").json()
    assert shown["description"] == DESCRIPTION


def test_a_phone_of_a_verified_account_files_as_that_citizen(client, world, api_key):
    post(client, api_key, phone="0911 000 001", first_name="Lan", last_name="Nguyễn")
    report = Report.objects.get()
    assert report.reporter == world.alice and report.contact_name == ""
    assert report.channel == Channel.API


def test_any_other_reporter_is_kept_by_name_without_a_phone(client, world, api_key, make_user):
    make_user(phone="+84911000009", phone_verified=False)  # a sign-up that never verified its phone
    post(client, api_key, phone="0911000009", first_name="Văn", last_name="Hùng", email="hung@example.vn")
    report = Report.objects.get()
    assert report.reporter is None and report.contact_phone == "" and report.contact_name == "Văn Hùng"


def test_an_address_that_names_the_ward_is_enough(client, world, api_key):
    response = post(client, api_key, lat=None, long=None, address_string="12 Văn Cao, phường Ngô Quyền")
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.unit == world.ngoquyen and report.lat is None
    assert report.agency == world.ngoquyen_committee


def test_a_photo_upload_goes_through_the_photo_pipeline(client, world, api_key):
    from PIL import Image

    from tests.feedback.citizen_world import gps_exif

    photo = io.BytesIO(image_bytes(exif=gps_exif(20.84, 106.68)))
    photo.name = "o-ga.jpg"
    response = post(client, api_key, media=photo)
    assert response.status_code == 201, response.content
    stored = ReportPhoto.objects.get(report=Report.objects.get())
    with Image.open(stored.image) as image:
        assert image.format == "JPEG" and not image.getexif()


def test_the_answer_is_xml_when_the_address_ends_in_xml(client, world, api_key):
    response = post(client, api_key, fmt="xml")
    assert response.status_code == 201 and response["Content-Type"] == "text/xml; charset=utf-8"
    item = xmltodict.parse(response.content)["service_requests"]["request"]
    assert item["service_request_id"] == Report.objects.get().code


def test_a_json_body_is_accepted_too(client, world, api_key):
    body = {"api_key": api_key, "service_code": "gop-y", "description": "Nên trồng thêm cây xanh ở công viên."}
    body.update(lat=LE_CHAN_POINT[0], long=LE_CHAN_POINT[1])
    response = client.post(BASE + "requests.json", json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    assert Report.objects.get().status == ReportStatus.TRIAGE  # no rule for suggestions: 1022 triage


def test_the_same_idempotency_key_files_once(client, world, api_key):
    first = client.post(BASE + "requests.json", post_data(api_key), HTTP_IDEMPOTENCY_KEY="lan-1")
    again = client.post(BASE + "requests.json", post_data(api_key), HTTP_IDEMPOTENCY_KEY="lan-1")
    assert first.json() == again.json() and Report.objects.count() == 1
    # Another client's key with the same Idempotency-Key is another report.
    _key, other = keys.issue_key(client_name="Ứng dụng khác")
    client.post(BASE + "requests.json", post_data(other), HTTP_IDEMPOTENCY_KEY="lan-1")
    assert Report.objects.count() == 2


def post_data(api_key):
    return {
        "api_key": api_key,
        "service_code": "dien",
        "lat": NGO_QUYEN_POINT[0],
        "long": NGO_QUYEN_POINT[1],
        "description": "Cột điện nghiêng sắp đổ trước nhà số 5.",
    }


def test_until_routed_the_answer_is_a_token(client, world, api_key, monkeypatch):
    """With the worker behind, the report is not public yet: the client gets a token, and the
    token gives the tracking code once the report is routed."""
    from feedback import services

    monkeypatch.setattr("feedback.services.submission.queue_routing", lambda report_id: None)
    (item,) = post(client, api_key).json()
    assert "service_request_id" not in item
    token = item["token"]
    assert client.get(f"{BASE}tokens/{token}.json").json() == [{"token": token, "service_request_id": None}]

    report = Report.objects.get()
    services.route_report(report.pk)
    assert client.get(f"{BASE}tokens/{token}.json").json() == [{"token": token, "service_request_id": report.code}]
    xml = xmltodict.parse(client.get(f"{BASE}tokens/{token}.xml").content)
    assert xml["service_requests"]["request"] == {"token": token, "service_request_id": report.code}


def test_a_wrong_or_expired_token_is_404(client, world, api_key, settings):
    refused(client.get(f"{BASE}tokens/no-such-token.json"), 404, "token")
    post(client, api_key)
    token = Open311Token.objects.get().token
    settings.OPEN311_TOKEN_DAYS = 0
    refused(client.get(f"{BASE}tokens/{token}.json"), 404, "hết hạn")
    response = client.get(f"{BASE}tokens/{token}.xml")
    assert response.status_code == 404
    assert xmltodict.parse(response.content)["errors"]["error"]["code"] == "404"


# --- Refusals: the right 4xx, a message, nothing saved -------------------------------------------


@pytest.fixture
def nothing_saved(world):
    yield
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()
    assert not Open311Token.objects.exists()


def test_without_a_valid_key_it_is_403(client, world, nothing_saved):
    refused(post(client), 403, "api_key")
    refused(post(client, "hp311_not-a-key"), 403, "api_key")
    response = post(client, "hp311_not-a-key", fmt="xml")
    assert response.status_code == 403
    assert xmltodict.parse(response.content)["errors"]["error"]["code"] == "403"


def test_a_revoked_key_is_403(client, world, nothing_saved):
    key, raw_key = keys.issue_key(client_name="Ứng dụng cũ")
    assert keys.revoke_keys(type(key).objects.all()) == 1
    refused(post(client, raw_key), 403, "thu hồi")


def test_each_key_has_its_own_limit(client, world):
    _key, raw_key = keys.issue_key(client_name="Ứng dụng", requests_per_minute=2)
    statuses = [post(client, raw_key).status_code for _ in range(3)]
    assert statuses == [201, 201, 429] and Report.objects.count() == 2
    _other, other_key = keys.issue_key(client_name="Ứng dụng khác")
    assert post(client, other_key).status_code == 201


def test_last_use_is_recorded(client, world):
    key, raw_key = keys.issue_key(client_name="Ứng dụng")
    assert key.last_used_at is None
    post(client, raw_key)
    key.refresh_from_db()
    assert key.last_used_at is not None


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"service_code": None}, "service_code"),
        ({"service_code": "khong-co"}, "Không có lĩnh vực (service_code) “khong-co”."),
        ({"service_code": "ha-tang"}, "Không có lĩnh vực"),  # a group, not a service
        ({"lat": OUTSIDE_POINT[0], "long": OUTSIDE_POINT[1]}, "ngoài thành phố Hải Phòng"),
        ({"lat": "hai mươi", "long": "106"}, "lat và long phải là số"),
        ({"long": None}, "lat và long phải có cả hai"),
        ({"lat": "95", "long": "106"}, "lat phải từ -90 đến 90"),
        ({"lat": None, "long": None}, "Cần vị trí"),
        ({"lat": None, "long": None, "address_string": "120 Lạch Tray"}, "phường, xã"),
        ({"description": None}, "Nội dung cần từ 10 đến 5000 ký tự."),
        ({"description": "x" * 5001}, "description quá dài"),
        ({"phone": "12345"}, "Số điện thoại di động không hợp lệ"),
        ({"media_url": "https://example.com/o-ga.jpg"}, "media"),
        ({"first_name": "A" * 76}, "first_name quá dài"),
    ],
)
def test_bad_input_is_400_with_a_message(client, world, api_key, nothing_saved, fields, text):
    refused(post(client, api_key, **fields), 400, text)


def test_a_photo_that_is_not_an_image_is_400(client, world, api_key, nothing_saved, settings):
    fake = io.BytesIO(b"%PDF-1.4 not a photo")
    fake.name = "anh.jpg"
    refused(post(client, api_key, media=fake), 400, "không phải ảnh")
    assert not stored_files(settings.MEDIA_ROOT)


def test_ten_megabytes_of_json_is_413(client, world, api_key, nothing_saved):
    body = json.dumps({"api_key": api_key, "service_code": "gop-y", "description": "x" * (10 * 1024 * 1024)})
    response = client.post(BASE + "requests.json", body, content_type="application/json")
    refused(response, 413, "quá lớn")


def test_a_body_that_is_not_json_or_not_an_object_is_400(client, world, api_key, nothing_saved):
    refused(client.post(BASE + "requests.json", "{not json", content_type="application/json"), 400, "không đọc")
    refused(client.post(BASE + "requests.json", "[1, 2]", content_type="application/json"), 400, "đối tượng JSON")
    refused(client.post(BASE + "requests.json", "a", content_type="text/plain"), 415, "multipart")


def test_keys_are_stored_hashed(world):
    key, raw_key = keys.issue_key(client_name="Ứng dụng")
    assert raw_key.startswith("hp311_") and len(raw_key) > 40
    assert raw_key not in (key.key_hash, key.prefix) and raw_key.startswith(key.prefix)
    assert keys.find_key(raw_key) == key and keys.find_key(raw_key + "x") is None


def test_a_photo_over_the_cap_is_refused_before_anything(client, world, api_key, nothing_saved, monkeypatch):
    monkeypatch.setattr(photo_pipeline, "MAX_UPLOAD_BYTES", 1024)
    big = io.BytesIO(image_bytes(size=(800, 800)) + b"\0" * 300_000)
    big.name = "anh.jpg"
    refused(post(client, api_key, media=big), 413, "quá lớn")
