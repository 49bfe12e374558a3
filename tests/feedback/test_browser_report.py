"""Filing a report on a 360 px phone in a real browser: map pin, photo, tracking code, feed search."""

# Fixtures come from tests.feedback.citizen_world, imported by name.
# ruff: noqa: F811

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from citizens.models import OutboundSms
from feedback.models import Report, ReportStatus
from tests.feedback.citizen_world import fresh_geo_index, gps_exif, image_bytes, world  # noqa: F401

pytestmark = pytest.mark.browser


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_a_citizen_files_a_report_with_a_photo_on_a_phone(page, live_server, world, console_errors, check_a11y):
    from tests.feedback.citizen_world import LE_CHAN_POINT, file_report

    neighbour = file_report(world.bob, world.roads, point=LE_CHAN_POINT, title="Ổ gà đã có người báo")
    sign_in(page, live_server, world.alice)
    page.goto("/phan-anh/gui/")

    # The map shows (Leaflet from the portal, no tiles configured: a plain background).
    map_box = page.locator("#report-map")
    map_box.wait_for(state="visible")
    assert page.locator("#report-map .leaflet-pane").count() >= 1
    check_a11y(page)

    page.get_by_label("Lĩnh vực").select_option(label="Đường, hè phố")
    page.get_by_label("Tiêu đề").fill("Ổ gà lớn trên đường Lạch Tray")
    page.get_by_label("Nội dung phản ánh").fill("Ổ gà sâu khoảng 20 cm trước số 120, xe máy đi qua rất dễ ngã.")

    # A tap on the map drops the pin; the ward is found from it.
    map_box.click(position={"x": 100, "y": 140})
    expect(page.locator("input[name=lat]")).not_to_have_value("")
    expect(page.locator("select[name=unit]")).to_have_value("11383")
    assert page.locator("#report-map .leaflet-marker-icon").count() == 1
    page.get_by_label("Địa chỉ").fill("120 Lạch Tray")

    # A photo with GPS: the portal offers its position as the pin (only a suggestion).
    photo = image_bytes(size=(1600, 1200), exif=gps_exif(20.8401, 106.6791))
    page.set_input_files("input[name=photos]", files=[{"name": "o-ga.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    suggestion = page.get_by_role("button", name="Dùng vị trí chụp ảnh")
    suggestion.wait_for(state="visible")
    suggestion.click()
    expect(page.locator("input[name=lat]")).to_have_value(re.compile(r"^20\.840(0|1)"))
    # An open report of the same category a few metres away: follow it instead of filing twice?
    expect(page.locator("#nearby")).to_contain_text(neighbour.code)
    check_a11y(page)

    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Gửi phản ánh").click()

    page.wait_for_url(re.compile(r"/phan-anh/PA-\d{4}-\d{6}/$"))
    report = Report.objects.exclude(pk=neighbour.pk).get()
    assert report.code in page.locator("main").inner_text()
    assert "Đã gửi phản ánh" in page.locator(".messages").inner_text()
    assert report.status == ReportStatus.ASSIGNED and report.agency == world.lechan_committee
    assert report.lat == pytest.approx(20.8401, abs=1e-4)
    assert report.photos.count() == 1
    page.get_by_role("img", name="Ảnh 1 của phản ánh").wait_for()
    assert "UBND Phường Lê Chân" in page.locator("main").inner_text()
    assert OutboundSms.objects.filter(phone=world.alice.phone, text__contains=report.code).exists()
    check_a11y(page)
    page.wait_for_load_state("networkidle")

    # Anyone finds it in the public feed by typing without diacritics.
    page.goto("/phan-anh/")
    page.get_by_label("Tìm phản ánh").fill("duong lach tray")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.wait_for_url(re.compile(r"q=duong"))
    assert report.code in page.locator(".report-list").inner_text()
    assert neighbour.code not in page.locator(".report-list").inner_text()
    check_a11y(page)


def test_the_form_works_without_the_map(page, live_server, world, console_errors):
    """Leaflet blocked (a closed network with a broken proxy): pick the ward, type the address."""
    sign_in(page, live_server, world.alice)
    page.route("**/leaflet/leaflet.js", lambda route: route.abort())
    console_errors.allow("leaflet.js")
    page.goto("/phan-anh/gui/")
    assert not page.locator("#report-map").is_visible()

    page.get_by_label("Lĩnh vực").select_option(label="Góp ý hiến kế")
    page.get_by_label("Tiêu đề").fill("Đề xuất thêm làn xe đạp")
    page.get_by_label("Nội dung phản ánh").fill("Đề nghị bố trí làn xe đạp quanh hồ để người dân tập luyện.")
    page.get_by_label("Phường, xã, đặc khu").select_option("11329")
    page.get_by_label("Địa chỉ").fill("Quanh hồ Tam Bạc")
    page.get_by_role("button", name="Gửi phản ánh").click()

    page.wait_for_url(re.compile(r"/phan-anh/PA-\d{4}-\d{6}/$"))
    report = Report.objects.get()
    assert report.unit == world.ngoquyen and report.lat is None
    assert report.status == ReportStatus.TRIAGE


def test_a_refused_form_keeps_what_was_typed(page, live_server, world, console_errors, check_a11y):
    sign_in(page, live_server, world.alice)
    page.goto("/phan-anh/gui/")
    page.get_by_label("Lĩnh vực").select_option(label="Đường, hè phố")
    page.get_by_label("Tiêu đề").fill("Ổ gà")  # too short
    page.get_by_label("Nội dung phản ánh").fill("Ổ gà sâu trước cổng trường, rất nguy hiểm.")
    page.get_by_label("Phường, xã, đặc khu").select_option("11383")
    page.get_by_role("button", name="Gửi phản ánh").click()

    page.locator("#form-errors").wait_for()
    assert "Phản ánh chưa được gửi" in page.locator("#form-errors").inner_text()
    assert page.get_by_label("Tiêu đề").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Nội dung phản ánh").input_value().startswith("Ổ gà sâu trước cổng trường")
    assert Report.objects.count() == 0
    check_a11y(page)


SMALL_TARGETS = """() => [...document.querySelectorAll('a[href], button, select, input:not([type=hidden]), summary')]
    .filter(el => el.offsetParent !== null && !el.classList.contains('skip-link'))
    // A radio button or checkbox is tapped through its label.
    .map(el => (el.type === 'radio' || el.type === 'checkbox') && el.closest('label') ? el.closest('label') : el)
    .map(el => ({what: el.tagName + ' ' + (el.innerText || el.name || el.getAttribute('aria-label') || '').trim(),
                 w: Math.round(el.getBoundingClientRect().width), h: Math.round(el.getBoundingClientRect().height)}))
    .filter(r => r.w < 24 || r.h < 24 || (r.w < 44 && r.h < 44))"""


def test_touch_targets_of_the_report_pages(page, live_server, world, console_errors):
    """What a thumb taps on the form, the feed and a report page is big enough (44 px one way, and
    never under 24 px: WCAG 2.2 target size)."""
    from tests.feedback.citizen_world import file_report
    from tests.feedback.test_rating import answer

    report = file_report(world.alice, world.roads)
    answered = answer(file_report(world.alice, world.roads), world.ward_officer, world.lechan_committee)
    pages = {
        world.bob: ["/phan-anh/gui/", "/phan-anh/", report.get_absolute_url(), "/phan-anh/cua-toi/"],
        world.alice: [answered.get_absolute_url(), "/phan-anh/thong-bao/"],  # rating and reopening forms
    }
    for person, urls in pages.items():
        sign_in(page, live_server, person)
        for url in urls:
            page.goto(url)
            for box in page.locator("details").all():
                box.evaluate("element => element.open = true")
            small = page.evaluate(SMALL_TARGETS)
            assert small == [], f"{url}: {small}"
            page.wait_for_load_state("networkidle")  # leave no image half-loaded behind


def test_the_bottom_navigation_stays_above_the_map(page, live_server, world, console_errors):
    """Leaflet's controls stack at z-index 1000; scrolled under the fixed bottom bar they must not
    cover its links."""
    from tests.feedback.citizen_world import LE_CHAN_POINT, file_report

    report = file_report(world.alice, world.roads, point=LE_CHAN_POINT)
    page.goto(report.get_absolute_url())
    zoom = page.locator("#report-view-map .leaflet-control-zoom-in")
    zoom.wait_for(state="visible")
    nav_height = page.evaluate("innerHeight - document.querySelector('.bottom-nav').getBoundingClientRect().top")
    # A screen just short enough for the bottom bar to lie over the top of the zoom button.
    page.set_viewport_size({"width": 360, "height": round(zoom.bounding_box()["y"] + 10 + nav_height)})
    nav_top = page.evaluate("document.querySelector('.bottom-nav').getBoundingClientRect().top")
    box = zoom.bounding_box()
    assert box["y"] < nav_top + 15 < box["y"] + box["height"]
    covered_by_nav = page.evaluate(
        f"!!document.elementFromPoint({box['x'] + box['width'] / 2}, {nav_top + 15}).closest('.bottom-nav')"
    )
    assert covered_by_nav
