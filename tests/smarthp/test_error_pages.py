"""Error pages speak the user's language and look like the portal, not Django's English defaults."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_a_portal_page_in_vietnamese(client):
    response = client.get("/phan-anh/PA-1999-000001/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page and 'class="bottom-nav"' in page


def test_a_missing_page_is_in_english_for_english_readers(client):
    client.cookies["django_language"] = "en"
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize(
    ("view", "status", "vietnamese", "english"),
    [
        (defaults.server_error, 500, "Hệ thống đang gặp sự cố", "The system is having a problem"),
        (defaults.bad_request, 400, "Yêu cầu không hợp lệ", "Bad request"),
    ],
)
def test_server_and_bad_request_errors_render_without_a_request_context(view, status, vietnamese, english):
    """Django renders these with no context at all: they must not depend on the request."""
    request = RequestFactory().get("/")
    for language, text in (("vi", vietnamese), ("en", english)):
        with translation.override(language):
            response = view(request) if view is defaults.server_error else view(request, exception=None)
        assert response.status_code == status
        assert text in response.content.decode()


def test_permission_denied_is_a_portal_page(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    with translation.override("vi"):
        response = defaults.permission_denied(request, exception=None)
    assert response.status_code == 403
    assert "Không thực hiện được" in response.content.decode()
