"""The map on a 360 px phone: without a tile server it draws the city's ward outlines, highlights
the ward of the pin, and passes axe; over tiles the outlines switch off with a button."""

import base64

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from feedback import services as feedback_services
from feedback.models import Category
from government import geo, maps
from government.services import import_boundaries, import_units

pytestmark = pytest.mark.browser

# A 1x1 PNG: a "tile server" that needs no network (the page fixture blocks other origins).
TILE = (
    "data:image/png;base64,"
    + base64.b64encode(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
        )
    ).decode()
)


@pytest.fixture
def city_with_boundaries(transactional_db):
    geo.forget_index()
    maps.forget_layer()
    import_units()
    import_boundaries()
    yield
    geo.forget_index()
    maps.forget_layer()


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_the_submit_map_draws_the_wards_and_highlights_the_one_of_the_pin(
    page, live_server, city_with_boundaries, alice, console_errors, check_a11y
):
    sign_in(page, live_server, alice)
    page.goto("/phan-anh/gui/")
    outlines = page.locator("#report-map svg path[data-code]")
    expect(outlines).to_have_count(114)
    assert "map-outlined" in page.locator("#report-map").get_attribute("class")
    # Names at the form's first zoom (13), the credit of the boundaries in the attribution.
    assert page.locator("#report-map .map-ward-label").count() > 10
    expect(page.locator("#report-map .leaflet-control-attribution")).to_contain_text("Ranh giới hành chính")
    assert page.locator("#report-map path.map-ward-current").count() == 0
    check_a11y(page)

    page.locator("#report-map").click(position={"x": 60, "y": 200})
    expect(page.locator("input[name=lat]")).not_to_have_value("")
    lat = float(page.locator("input[name=lat]").input_value())
    lng = float(page.locator("input[name=lng]").input_value())
    ward = geo.unit_at(lat, lng)
    assert ward is not None
    current = page.locator("#report-map path.map-ward-current")
    expect(current).to_have_count(1)
    assert current.get_attribute("data-code") == ward.code
    expect(page.locator("#report-map .map-ward-label-current")).to_have_text(ward.name)
    # The ward list follows the same pin (the server's lookup on the full boundaries).
    expect(page.locator("select[name=unit]")).to_have_value(ward.code)

    # Another tap in another ward moves the highlight.
    page.locator("#report-map").click(position={"x": 290, "y": 60})
    expect(page.locator("input[name=lat]")).not_to_have_value(str(lat))
    other = geo.unit_at(
        float(page.locator("input[name=lat]").input_value()), float(page.locator("input[name=lng]").input_value())
    )
    assert other is not None and other.code != ward.code
    expect(page.locator("#report-map path.map-ward-current")).to_have_attribute("data-code", other.code)
    expect(page.locator("#report-map path.map-ward-current")).to_have_count(1)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    check_a11y(page)


def test_a_report_page_highlights_its_ward(page, live_server, city_with_boundaries, alice, console_errors):
    category = Category.objects.create(name="Đường, hè phố", slug="duong-he-pho")
    report, _created = feedback_services.submit_report(
        reporter=alice,
        category=category,
        title="Ổ gà trên đường Lạch Tray",
        description="Ổ gà sâu khoảng 20 cm, xe máy đi qua rất dễ ngã.",
        lat=20.8449,
        lng=106.6881,
        idempotency_key="trang-phan-anh",
    )
    sign_in(page, live_server, alice)
    page.goto(f"/phan-anh/{report.code}/")
    current = page.locator("#report-view-map path.map-ward-current")
    expect(current).to_have_count(1)
    assert current.get_attribute("data-code") == report.unit_id == "11383"


def test_over_tiles_the_outlines_are_an_overlay_a_button_switches_off(
    page, live_server, city_with_boundaries, alice, console_errors, check_a11y, settings
):
    settings.MAP_TILE_URL = TILE
    settings.MAP_TILE_ATTRIBUTION = "© Bản đồ thử"
    sign_in(page, live_server, alice)
    page.goto("/phan-anh/gui/")
    expect(page.locator("#report-map svg path[data-code]")).to_have_count(114)
    toggle = page.get_by_role("button", name="Ranh giới phường, xã")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    box = toggle.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    attribution = page.locator("#report-map .leaflet-control-attribution")
    expect(attribution).to_contain_text("© Bản đồ thử")
    expect(attribution).to_contain_text("Ranh giới hành chính")
    check_a11y(page)

    # From the keyboard: the outlines, their names and their credit go, then come back.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#report-map svg path[data-code]")).to_have_count(0)
    expect(page.locator("#report-map .map-ward-label")).to_have_count(0)
    expect(attribution).not_to_contain_text("Ranh giới hành chính")
    assert page.locator("input[name=lat]").input_value() == "", "the button must not drop a pin"
    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#report-map svg path[data-code]")).to_have_count(114)
