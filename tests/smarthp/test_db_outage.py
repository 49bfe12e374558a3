"""PostgreSQL restarting: requests get the portal's "busy" page (503, Retry-After), never a traceback."""

import logging

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse

from smarthp.middleware import busy_response
from smarthp.sessions.db import SessionStore

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def outage_urls(settings):
    settings.ROOT_URLCONF = "tests.smarthp.outage_urls"


@pytest.fixture
def quiet_client():
    """A client that shows the response Django sends, instead of raising what the view raised."""
    return Client(raise_request_exception=False)


def assert_busy_page(response):
    assert response.status_code == 503
    assert response["Retry-After"].isdigit() and int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Hệ thống đang bận, vui lòng thử lại sau một phút." in page
    assert "Traceback" not in page and "OperationalError" not in page


@pytest.mark.parametrize("url", ["/test/db-restarting/", "/test/connection-closed/"])
def test_a_view_whose_database_is_away_answers_the_busy_page(quiet_client, url):
    assert_busy_page(quiet_client.get(url))


def test_the_api_answers_json(quiet_client):
    response = quiet_client.get("/api/test/db-restarting/")

    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json() == {"detail": "Hệ thống đang bận, vui lòng thử lại sau một phút."}


def test_a_session_that_cannot_be_read_answers_the_busy_page(quiet_client, alice, monkeypatch, settings):
    """The session is read by middleware before any view: the same page, not a 500."""
    settings.SESSION_ENGINE = "smarthp.sessions.db"  # read from the database every time
    quiet_client.force_login(alice)

    def load(self):
        raise OperationalError("the database system is starting up")

    monkeypatch.setattr(SessionStore, "load", load)

    assert_busy_page(quiet_client.get(reverse("citizens:profile")))
    assert_busy_page(quiet_client.get(reverse("feedback:feed")))


def test_the_busy_page_is_in_english_for_english_readers(quiet_client):
    quiet_client.cookies["django_language"] = "en"

    response = quiet_client.get("/test/db-restarting/")

    assert response.status_code == 503
    assert 'lang="en"' in response.content.decode()


def test_the_busy_page_makes_no_query(django_assert_num_queries):
    request = RequestFactory().get("/phan-anh/")

    with django_assert_num_queries(0):
        response = busy_response(request, OperationalError("gone"))

    assert response.status_code == 503


def test_it_logs_one_line_without_a_traceback(quiet_client, caplog):
    with caplog.at_level(logging.INFO):
        quiet_client.get("/test/db-restarting/?phone=0912345678")

    lines = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(lines) == 1
    assert lines[0].exc_info is None
    assert "0912345678" not in lines[0].getMessage()  # no query string: it may hold personal data


def test_other_errors_are_still_the_500_page(quiet_client):
    response = quiet_client.get("/test/broken/")

    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in response.content.decode()


def test_healthz_is_503_when_the_database_is_away(client, settings, monkeypatch):
    from smarthp import views

    settings.REDIS_URL = settings.CELERY_BROKER_URL = ""

    def database_down():
        raise OperationalError("connection refused")

    monkeypatch.setattr(views, "_check_database", database_down)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "down"}}


def test_handler500_answers_a_database_error_raised_before_the_view_with_the_busy_page():
    """What a middleware raises never reaches process_exception: Django hands it to handler500."""
    from smarthp import views

    request = RequestFactory().get("/tai-khoan/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = views.server_error(request)

    assert_busy_page(response)
    assert response._has_been_logged  # one line of ours, not Django's traceback per request
