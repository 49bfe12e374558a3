"""Vietnamese first, English second: the page language follows the browser, then the visitor's choice."""

import re

import pytest

pytestmark = pytest.mark.django_db


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_home_page_is_in_vietnamese_by_default(client):
    response = client.get("/")

    assert response.status_code == 200
    assert html_lang(response) == "vi"
    assert response["Content-Language"] == "vi"


def test_a_browser_asking_for_english_gets_english(client):
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})

    assert html_lang(response) == "en"
    assert response["Content-Language"] == "en"


def test_a_browser_asking_for_an_unsupported_language_gets_vietnamese(client):
    response = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"})

    assert html_lang(response) == "vi"


def test_the_language_switch_sets_the_cookie_and_goes_back(client):
    """The switch button posts to /i18n/setlang/; the choice outlives the browser's own preference."""
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert switched.status_code == 302
    assert switched["Location"] == "/"
    assert switched.cookies["django_language"].value == "en"
    assert html_lang(client.get("/", headers={"Accept-Language": "vi"})) == "en"

    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert html_lang(client.get("/", headers={"Accept-Language": "en"})) == "vi"


def test_the_home_page_offers_the_other_language(client):
    vietnamese = client.get("/").content.decode()
    assert 'name="language" value="en"' in vietnamese

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/").content.decode()
    assert 'name="language" value="vi"' in english


def test_the_language_switch_does_not_redirect_to_another_site(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})

    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")
