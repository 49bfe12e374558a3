"""The citizen pages' bottom navigation is drawn once per variant (language, current section,
signed in or not) and reused: each page must still get its own variant."""

import re

import pytest
from django.utils import translation

from tests.conftest import PASSWORD


def nav(response):
    html = response.content.decode()
    bar = re.search(r'<nav class="bottom-nav".*?</nav>', html, re.S).group(0)
    current = re.findall(r'<a href="([^"]+)" aria-current="page">', bar)
    return bar, current


@pytest.mark.django_db
def test_each_section_is_marked_current_on_its_own_pages_whatever_was_drawn_before(client):
    for url, expected in [("/", ["/"]), ("/phan-anh/", ["/phan-anh/"]), ("/tin-tuc/", ["/tin-tuc/"]), ("/", ["/"])]:
        _bar, current = nav(client.get(url))
        assert current == expected, url


@pytest.mark.django_db
def test_signing_in_turns_the_sign_in_item_into_the_account(client, alice):
    bar, _ = nav(client.get("/phan-anh/"))
    assert "/accounts/login/" in bar and "Tài khoản" not in bar
    client.login(username="alice", password=PASSWORD)
    bar, current = nav(client.get("/phan-anh/"))
    assert "/accounts/login/" not in bar and "Tài khoản" in bar and current == ["/phan-anh/"]


@pytest.mark.django_db
def test_each_language_gets_its_own_bar(client):
    vietnamese, _ = nav(client.get("/"))
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        english, _ = nav(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Trang chủ" in vietnamese and "Home" in english and "Trang chủ" not in english
