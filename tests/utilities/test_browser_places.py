"""A visitor on a phone (and on a desktop) finds the nearest pharmacy to where they stand in Lê Chân,
sees it on the map and in the list, and has its call and directions links; when they refuse the
location, the page says what to do and the ward list works instead."""

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import PHONE
from tests.utilities.world import LE_CHAN_POINT, build, fresh_geo_index, make_place, offset  # noqa: F401

pytestmark = pytest.mark.browser

DESKTOP = {**PHONE, "viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}
STANDING = offset(LE_CHAN_POINT, north_m=200, east_m=100)  # where the visitor's phone says they are


@pytest.fixture
def town(transactional_db, make_user, alice):
    world = build(make_user, alice)
    world.nearest = make_place(
        name="Nhà thuốc Minh Châu",
        point=offset(STANDING, east_m=120),
        phone="0225 3855 101",
        opening_hours="24/7",
    )
    world.second = make_place(name="Nhà thuốc Hồng Đức", point=offset(STANDING, north_m=-450), phone="0225 3700 202")
    make_place(name="ATM BIDV", kind="atm", point=offset(STANDING, east_m=20))
    return world


def open_context(chromium, live_server, console_errors, device, *, location):
    options = {**device, "base_url": live_server.url}
    if location:
        options.update(geolocation={"latitude": location[0], "longitude": location[1]}, permissions=["geolocation"])
    context = chromium.new_context(**options)
    origin = live_server.url

    def only_the_live_server(route):
        url = route.request.url
        if url.startswith(origin) or not url.startswith(("http:", "https:", "ws:", "wss:")):
            route.continue_()
        else:
            console_errors.add(f"request to another origin blocked: {url}")
            route.abort("blockedbyclient")

    context.route("**/*", only_the_live_server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console_errors.watch(page, origin)
    return context, page


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["360px", "1280px"])
def test_a_visitor_finds_the_nearest_pharmacy_calls_it_and_gets_directions(
    chromium, live_server, console_errors, check_a11y, town, device
):
    context, page = open_context(chromium, live_server, console_errors, device, location=STANDING)
    try:
        page.goto("/tien-ich/")
        check_a11y(page)
        page.get_by_label("Loại địa điểm cần tìm").select_option(label="Nhà thuốc")
        page.get_by_role("button", name="Dùng vị trí của tôi").click()
        page.wait_for_url("**/tien-ich/gan-toi/?*")
        expect(page.get_by_role("heading", name="Nhà thuốc gần tôi")).to_be_visible()

        items = page.locator("ol.places-list > li")
        expect(items).to_have_count(2)
        first = items.nth(0)
        expect(first).to_contain_text("Nhà thuốc Minh Châu")
        expect(first).to_contain_text("cách 120 m")
        expect(first).to_contain_text("Đang mở cửa")
        expect(items.nth(1)).to_contain_text("Nhà thuốc Hồng Đức")
        call = first.get_by_role("link", name="Gọi Nhà thuốc Minh Châu")
        expect(call).to_have_attribute("href", "tel:02253855101")
        directions = first.get_by_role("link", name="Chỉ đường tới Nhà thuốc Minh Châu")
        href = directions.get_attribute("href")
        assert href.startswith("https://www.openstreetmap.org/directions?")
        assert f"{STANDING[0]:.6f},{STANDING[1]:.6f}" in href.replace("%2C", ",")

        # The map shows the chosen point and both pharmacies.
        page.locator("#places-map").wait_for(state="visible")
        expect(page.locator("#places-map .map-pin")).to_have_count(2)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= device["viewport"]["width"]
        check_a11y(page)

        # The place's own page: a call button and the phone's map app.
        first.get_by_role("link", name="Nhà thuốc Minh Châu", exact=True).click()
        expect(page.get_by_role("heading", name="Nhà thuốc Minh Châu")).to_be_visible()
        expect(page.get_by_role("link", name="Gọi 0225 3855 101")).to_have_attribute("href", "tel:02253855101")
        geo_link = page.get_by_role("link", name="Mở trong ứng dụng bản đồ")
        assert geo_link.get_attribute("href").startswith("geo:")
        check_a11y(page)
        page.wait_for_load_state("networkidle")
    finally:
        context.close()


def test_refusing_the_location_says_what_to_do_and_the_ward_list_works(
    chromium, live_server, console_errors, check_a11y, town
):
    context, page = open_context(chromium, live_server, console_errors, PHONE, location=None)
    try:
        page.goto("/tien-ich/gan-toi/?loai=nha-thuoc")
        page.get_by_role("button", name="Dùng vị trí của tôi").click()
        expect(page.locator("[data-locate-status]")).to_contain_text("Bạn chưa cho phép trang web dùng vị trí")
        check_a11y(page)
        page.get_by_label("Gần phường, xã").select_option(label="Phường Lê Chân")
        page.get_by_role("button", name="Tìm gần phường, xã đã chọn").click()
        expect(page.get_by_role("heading", name="Gần trụ sở Phường Lê Chân")).to_be_visible()
        # From the ward's seat (20.8400, 106.6790) Hồng Đức is the nearer one.
        expect(page.locator("ol.places-list > li").first).to_contain_text("Nhà thuốc Hồng Đức")
        page.wait_for_load_state("networkidle")
    finally:
        context.close()


def test_which_ward_from_a_tap_on_the_map(chromium, live_server, console_errors, check_a11y, town):
    context, page = open_context(chromium, live_server, console_errors, PHONE, location=None)
    try:
        page.goto("/tien-ich/phuong-nao/")
        page.locator("#ward-map").wait_for(state="visible")
        check_a11y(page)
        page.get_by_label("Vĩ độ").fill("20.8400")
        page.get_by_label("Kinh độ").fill("106.6790")
        page.get_by_role("button", name="Xem phường, xã").click()
        expect(page.get_by_role("heading", name="Bạn đang ở Phường Lê Chân")).to_be_visible()
        expect(page.get_by_role("link", name="Gọi 0225 3857 113")).to_have_attribute("href", "tel:02253857113")
        # A tap on the map sends its point through the same form.
        page.locator("#ward-map").click(position={"x": 180, "y": 150})
        page.wait_for_load_state("load")
        expect(page.get_by_role("heading", name="Bạn đang ở")).to_be_visible()
        check_a11y(page)
        page.wait_for_load_state("networkidle")
    finally:
        context.close()


def test_an_editor_handles_a_report_and_corrects_the_place(page, live_server, check_a11y, town):
    from django.conf import settings as django_settings
    from django.test import Client

    from utilities import services
    from utilities.models import PlaceReport, PlaceReportStatus

    services.report_place(place=town.nearest, reporter=town.alice, problem="phone", message="Số mới 0225 3855 999")
    client = Client()
    client.force_login(town.editor)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    page.goto("/can-bo/")
    page.get_by_role("link", name="Báo sai chờ xử lý").first.click()
    expect(page.locator("main")).to_contain_text("Số mới 0225 3855 999")
    check_a11y(page)
    page.get_by_role("link", name="Nhà thuốc Minh Châu").click()
    page.get_by_label("Điện thoại").fill("0225 3855 999")
    page.get_by_label("Giờ mở cửa").fill("bảy giờ sáng")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main")).to_contain_text("opening_hours")  # refused, with the reason
    check_a11y(page)
    page.get_by_label("Giờ mở cửa").fill("Mo-Su 07:00-22:00")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu địa điểm")
    page.get_by_role("button", name="Đã sửa").click()
    expect(page.locator(".messages")).to_contain_text("Đã xử lý báo cáo")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    town.nearest.refresh_from_db()
    assert town.nearest.phone == "0225 3855 999" and town.nearest.opening_hours == "Mo-Su 07:00-22:00"
    assert PlaceReport.objects.get().status == PlaceReportStatus.FIXED
