"""In a real browser: ward staff open the campaign page on a phone (360 px) and on a desk (1280 px),
follow a group's figure to the people behind it, and the page passes axe at both widths."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(context, user, base_url):
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


@pytest.mark.parametrize("width", [360, 1280])
def test_ward_staff_read_the_campaign_page(chromium, live_server, console_errors, check_a11y, w, width):
    context = chromium.new_context(
        viewport={"width": width, "height": 800},
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        base_url=live_server.url,
    )
    sign_in(context, w.staff, live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console_errors.watch(page, live_server.url)
    page.goto("/can-bo/chien-dich/11383/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Cài đặt ứng dụng Smart Hải Phòng")
    check_a11y(page)
    # WCAG 2.2 reflow: at 360 px nothing but the tables' own regions scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator(f"#to-{w.g1.pk}").get_by_role("link", name="3", exact=True).click()
    page.wait_for_url("**/nguoi/**")
    assert page.get_by_text("và 1 người đã đăng ký khác chưa đồng ý công khai tên").is_visible()
    check_a11y(page)
    context.close()


def test_city_staff_read_the_city_page_on_a_phone(chromium, live_server, console_errors, check_a11y, w):
    """The 114 units' table scrolls in its own region: the page itself does not scroll sideways."""
    context = chromium.new_context(
        viewport={"width": 360, "height": 800},
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        base_url=live_server.url,
    )
    sign_in(context, w.city, live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console_errors.watch(page, live_server.url)
    page.goto("/can-bo/chien-dich/thanh-pho/")
    assert page.get_by_role("heading", level=1).inner_text().endswith("toàn thành phố")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    check_a11y(page)
    context.close()
