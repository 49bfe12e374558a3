"""Response headers: Permissions-Policy and Cross-Origin-Resource-Policy everywhere; HTML gzipped."""

import gzip

import pytest
from django.test import Client

from tests.feedback.citizen_world import image_bytes

pytestmark = pytest.mark.django_db

PERMISSIONS = "camera=(), microphone=(), payment=(), geolocation=(self)"


@pytest.mark.parametrize("url", ["/", "/phan-anh/", "/healthz", "/khong-co-trang-nay/", "/static/css/site.css"])
def test_every_response_limits_browser_features_and_cross_origin_use(client, url):
    response = client.get(url)

    assert response["Permissions-Policy"] == PERMISSIONS
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_html_is_gzipped_for_a_browser_that_accepts_it():
    response = Client(headers={"accept-encoding": "gzip, deflate, br"}).get("/phan-anh/")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "Phản ánh" in gzip.decompress(response.content).decode()


def test_html_is_plain_for_a_client_that_does_not_accept_gzip(client):
    response = client.get("/phan-anh/")

    assert not response.has_header("Content-Encoding")
    assert "Phản ánh" in response.content.decode()


def test_a_photo_is_not_gzipped_again():
    """JPEG is compressed already: gzipping it would cost CPU on every download for nothing."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from smarthp.middleware import GZipMiddleware

    photo = image_bytes("JPEG", size=(200, 200))
    request = RequestFactory().get("/", headers={"accept-encoding": "gzip"})
    middleware = GZipMiddleware(lambda request: HttpResponse(photo, content_type="image/jpeg"))

    response = middleware(request)

    assert not response.has_header("Content-Encoding")
    assert response.content == photo
