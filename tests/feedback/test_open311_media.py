"""A photo by address (media_url): the server fetches nothing unless an administrator listed the
host, and even then nothing from a private address and nothing that is not an image."""

# Fixtures come from tests.feedback.citizen_world, imported by name.
# ruff: noqa: F811

import socket

import pytest

from feedback.models import Report, ReportPhoto
from feedback.open311 import keys, media
from tests.feedback.citizen_world import (  # noqa: F401
    LE_CHAN_POINT,
    fresh_geo_index,
    image_bytes,
    world,
)

BASE = "/api/open311/v2/"
PUBLIC_ADDRESS = "203.0.113.10"  # a documentation address: is_global is False, so it is faked below


@pytest.fixture
def api_key(world):
    return keys.issue_key(client_name="Ứng dụng thử")[1]


@pytest.fixture
def downloads(monkeypatch):
    """What the network would answer: every fetch is recorded, nothing leaves the machine."""

    class Calls(list):
        answer = None

    calls = Calls()

    def fake_download(host, address, port, path):
        calls.append((host, address, port, path))
        return calls.answer

    calls.answer = ("image/jpeg", image_bytes())
    monkeypatch.setattr(media, "_download", fake_download)
    return calls


def resolve_to(monkeypatch, *addresses):
    def getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in addresses]

    monkeypatch.setattr(media.socket, "getaddrinfo", getaddrinfo)


def post(client, api_key, url):
    data = {"api_key": api_key, "service_code": "duong-he-pho", "lat": LE_CHAN_POINT[0], "long": LE_CHAN_POINT[1]}
    data.update(description="Ổ gà sâu trước số 120 Lạch Tray.", media_url=url)
    return client.post(BASE + "requests.json", data)


def refused(response, text):
    assert response.status_code == 400, response.content
    assert text in response.json()[0]["description"]
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()


def test_by_default_no_media_url_is_fetched(client, world, api_key, downloads):
    refused(post(client, api_key, "https://anh.example.vn/o-ga.jpg"), "trường media")
    assert downloads == []


def test_a_listed_host_at_a_public_address_gives_the_photo(client, world, api_key, downloads, settings, monkeypatch):
    settings.OPEN311_MEDIA_URL_HOSTS = ["anh.example.vn"]
    resolve_to(monkeypatch, PUBLIC_ADDRESS)
    monkeypatch.setattr(media, "_is_public", lambda address: True)
    response = post(client, api_key, "https://anh.example.vn/o-ga.jpg?size=full")
    assert response.status_code == 201, response.content
    # The connection goes to the address that was checked.
    assert downloads == [("anh.example.vn", PUBLIC_ADDRESS, 443, "/o-ga.jpg?size=full")]
    assert ReportPhoto.objects.filter(report=Report.objects.get()).count() == 1


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.5", "169.254.169.254", "::1", "fd00::1"])
def test_a_listed_host_that_resolves_inward_is_refused(
    client, world, api_key, downloads, settings, monkeypatch, address
):
    settings.OPEN311_MEDIA_URL_HOSTS = ["anh.example.vn"]
    resolve_to(monkeypatch, "8.8.8.8", address)  # one inward answer among public ones is enough
    refused(post(client, api_key, "https://anh.example.vn/o-ga.jpg"), "địa chỉ nội bộ")
    assert downloads == []


def test_the_real_resolver_refuses_localhost(client, world, api_key, downloads, settings):
    settings.OPEN311_MEDIA_URL_HOSTS = ["localhost"]
    refused(post(client, api_key, "https://localhost/o-ga.jpg"), "địa chỉ nội bộ")
    assert downloads == []


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("http://anh.example.vn/o-ga.jpg", "https://"),
        ("https://user:pass@anh.example.vn/o-ga.jpg", "https://"),
        ("https://anh.example.vn.evil.test/o-ga.jpg", "trường media"),
        ("ftp://anh.example.vn/o-ga.jpg", "https://"),
    ],
)
def test_only_plain_https_to_the_listed_host(client, world, api_key, downloads, settings, url, text):
    settings.OPEN311_MEDIA_URL_HOSTS = ["anh.example.vn"]
    refused(post(client, api_key, url), text)
    assert downloads == []


def test_what_is_not_an_image_is_refused(client, world, api_key, downloads, settings, monkeypatch):
    settings.OPEN311_MEDIA_URL_HOSTS = ["anh.example.vn"]
    resolve_to(monkeypatch, PUBLIC_ADDRESS)
    monkeypatch.setattr(media, "_is_public", lambda address: True)
    downloads.answer = ("image/jpeg", b"<html>not a photo</html>")
    refused(post(client, api_key, "https://anh.example.vn/o-ga.jpg"), "không phải ảnh")


def test_the_download_checks_type_and_size(monkeypatch):
    """_download itself: a page that is not an image type, or bigger than the cap, is refused."""

    class Response:
        status = 200

        def __init__(self, content_type, body):
            self.content_type, self.body = content_type, body

        def getheader(self, name):
            return self.content_type

        def read(self, limit):
            return self.body[:limit]

    class Connection:
        answer = None

        def __init__(self, host, address, **kwargs):
            pass

        def request(self, *args, **kwargs):
            pass

        def getresponse(self):
            return Connection.answer

        def close(self):
            pass

    monkeypatch.setattr(media, "_PinnedHTTPSConnection", Connection)
    Connection.answer = Response("text/html; charset=utf-8", b"<html>")
    with pytest.raises(media.MediaError, match="không phải ảnh"):
        media._download("anh.example.vn", PUBLIC_ADDRESS, 443, "/")
    monkeypatch.setattr(media.photos, "MAX_UPLOAD_BYTES", 10)
    Connection.answer = Response("image/png", b"x" * 11)
    with pytest.raises(media.MediaError, match="quá lớn"):
        media._download("anh.example.vn", PUBLIC_ADDRESS, 443, "/")
    Connection.answer = Response("image/png", b"x" * 10)
    assert media._download("anh.example.vn", PUBLIC_ADDRESS, 443, "/") == ("image/png", b"x" * 10)
