"""A newcomer on a 360 px phone, in Vietnamese: signs up with a phone number, reads the code at
/dev/sms/, fills the profile, signs out and in again (Debian's Chromium through Playwright)."""

import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "hai-phong-2025-an"


def small_targets(page):
    """Buttons, fields and stand-alone links under 44 px (links inside a sentence are exempt)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main a[href], main button, main input, main select')]
            .filter(el => el.offsetParent !== null && !el.closest('p, li.message, .helptext, dd'))
            .filter(el => !['checkbox', 'radio', 'hidden'].includes(el.type))
            .map(el => ({what: el.outerHTML.slice(0, 80), w: el.getBoundingClientRect().width,
                         h: el.getBoundingClientRect().height}))
            .filter(r => r.w < 44 || r.h < 44)"""
    )


def read_code_at_dev_sms(page):
    page.goto("/dev/sms/")
    first = page.locator(".sms-list li").first
    assert "0912 345 678" in first.inner_text()
    return re.search(r"\b(\d{6})\b", first.locator(".sms-text").inner_text()).group(1)


def test_a_newcomer_signs_up_reads_the_code_fills_the_profile_and_signs_in_again(
    page, console_errors, check_a11y, settings, ward
):
    settings.DEBUG = True  # /dev/sms/ exists only in development
    # Moving on quickly cancels requests still in flight (the icon): not an error of the page.
    console_errors.allow("net::ERR_ABORTED")

    page.goto("/")
    page.get_by_role("link", name="Đăng nhập").click()
    page.get_by_role("link", name="Đăng ký bằng số điện thoại").click()
    assert page.locator("h1").inner_text() == "Đăng ký tài khoản"
    check_a11y(page)
    assert small_targets(page) == []

    page.get_by_label("Số điện thoại di động").fill("0912 345 678")
    page.get_by_label("Mật khẩu (không bắt buộc)").fill(PASSWORD)
    page.get_by_label(re.compile("xử lý phản ánh, kiến nghị")).check()
    page.get_by_role("button", name="Đăng ký và nhận mã").click()

    page.wait_for_url("**/accounts/phone/verify/")
    assert "0912 345 678" in page.locator("main").inner_text()
    check_a11y(page)
    code_page = page.url
    code = read_code_at_dev_sms(page)
    page.goto(code_page)
    page.get_by_label("Mã xác thực (6 chữ số)").fill(code)
    page.get_by_role("button", name="Xác nhận").click()

    page.wait_for_url("**/tai-khoan/cap-nhat/")
    check_a11y(page)
    assert small_targets(page) == []
    page.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    page.get_by_label("Phường, xã, đặc khu nơi ở hiện nay").select_option(label="Phường Lê Chân")
    groups = page.get_by_label("Tổ dân phố, thôn")
    groups.locator("option", has_text="Tổ dân phố 2").wait_for(state="attached")  # fetched by citizens.js
    groups.select_option(label="Tổ dân phố 2")
    page.get_by_label("Số nhà, đường phố").fill("Số 12 Lạch Tray")
    page.get_by_role("button", name="Lưu thông tin").click()

    page.wait_for_url("**/tai-khoan/")
    assert "Đã lưu thông tin cá nhân." in page.locator(".messages").inner_text()
    assert "Số 12 Lạch Tray, Tổ dân phố 2, Phường Lê Chân" in page.locator("main").inner_text()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    check_a11y(page)

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/")
    page.goto("/accounts/login/")
    page.get_by_label("Số điện thoại (hoặc email, tên đăng nhập)").fill("0912345678")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/")
    page.get_by_role("link", name="Tài khoản").click()
    page.wait_for_url("**/tai-khoan/")
    assert "Nguyễn Văn An" in page.locator("main").inner_text()

    user = get_user_model().objects.get()
    assert (user.phone, user.phone_verified) == ("+84912345678", True)
    assert user.profile.residential_group.name == "Tổ dân phố 2"


def test_brute_force_on_a_code_fails_in_the_browser_too(page, console_errors, settings, make_user):
    settings.DEBUG = True
    console_errors.allow("net::ERR_ABORTED")
    make_user(username="an", phone="+84912345678", phone_verified=True)
    page.goto("/accounts/login/code/")
    page.get_by_label("Số điện thoại di động").fill("0912 345 678")
    page.get_by_role("button", name="Gửi mã").click()
    page.wait_for_url("**/accounts/login/code/confirm/")
    for _ in range(5):
        page.get_by_label("Mã xác thực (6 chữ số)").fill("000000")
        page.get_by_role("button", name="Xác nhận").click()
        page.wait_for_load_state()
    assert "Bạn đã nhập sai quá nhiều lần" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Đăng nhập").count() >= 1  # still signed out
