"""The layout's fixed parts are drawn once per language and reused; what differs per request (the
CSRF token, the page's address in the language switch) is each request's own (smarthp.layout)."""

import re

import pytest
from django.test import Client
from django.views import defaults

from smarthp import layout

pytestmark = pytest.mark.django_db


def switch_of(html):
    return re.search(r'<form class="lang-switch".*?</form>', html, re.S).group(0)


def test_the_head_links_the_stylesheet_manifest_and_icons(client):
    html = client.get("/").content.decode()

    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'data-service-worker="/' in html and 'src="/static/js/site.js"' in html


def test_each_language_has_its_own_variant(client):
    vietnamese = client.get("/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/").content.decode()

    assert 'name="language" value="en"' in switch_of(vietnamese)
    assert 'name="language" value="vi"' in switch_of(english)
    assert "Cổng thông tin công dân số của thành phố Hải Phòng" in vietnamese
    assert "Cổng thông tin công dân số của thành phố Hải Phòng" not in english


def test_the_switch_carries_this_requests_token_and_address():
    first, second = Client(), Client()
    one = switch_of(first.get("/phan-anh/?q=a&page=2").content.decode())
    other = switch_of(second.get("/tin-tuc/").content.decode())

    token_one = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', one).group(1)
    token_other = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', other).group(1)
    assert token_one != token_other
    assert 'name="next" value="/phan-anh/?q=a&amp;page=2"' in one  # escaped
    assert 'name="next" value="/tin-tuc/"' in other


def test_the_switch_posts_with_its_token_and_comes_back():
    client = Client(enforce_csrf_checks=True)
    switch = switch_of(client.get("/tin-tuc/").content.decode())
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', switch).group(1)

    response = client.post("/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "en", "next": "/tin-tuc/"})

    assert response.status_code == 302 and response["Location"] == "/tin-tuc/"
    assert client.cookies["django_language"].value == "en"


def test_the_parts_are_drawn_once(client, monkeypatch):
    client.get("/tin-tuc/")
    drawn = []
    original = layout.render_to_string
    monkeypatch.setattr(layout, "render_to_string", lambda *a, **k: drawn.append(a[0]) or original(*a, **k))

    client.get("/tin-tuc/")
    assert drawn == []  # the same language: nothing drawn again
    client.cookies["django_language"] = "en"
    client.get("/tin-tuc/")
    assert sorted(name for name in drawn if name.startswith("layout/")) == [
        "layout/brand.html",
        "layout/head.html",
        "layout/language_switch.html",
        "layout/scripts.html",
    ]


def test_the_500_page_drawn_without_a_request_has_the_stylesheet(rf):
    html = defaults.server_error(rf.get("/")).content.decode()

    assert 'href="/static/css/site.css"' in html
