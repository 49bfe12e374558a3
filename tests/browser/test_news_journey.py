"""The newsroom's journey in real browsers, at 360 px: an editor writes and publishes an article for
the whole city and sends an urgent notice to Phường Lê Chân; a citizen of Lê Chân finds both on the
home page and the notice by SMS at /dev/sms/ (the citizen who did not consent gets none); the power
company enters a planned outage for the ward, which shows on the citizen's home page and reaches them
the day before. Each page passes axe and fits the phone's width."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from citizens.models import OutboundSms
from news.models import Article, ArticleStatus, Outage, WardNotice
from news.services import warn_due_outages
from notices.models import Notice
from tests.browser.fixtures import PHONE
from tests.feedback.test_officer_browser import sign_in
from tests.news.world import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city(make_user):
    from government import geo

    geo.forget_index()
    yield build(make_user)
    geo.forget_index()


def open_as(chromium, live_server, console_errors, user):
    context = chromium.new_context(**PHONE, base_url=live_server.url)
    if user is not None:
        sign_in(context, user, live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console_errors.watch(page, live_server.url)
    return context, page


def fits_the_phone(page):
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide in a {widths[1]} px window"


def test_an_article_and_an_urgent_notice_reach_the_citizens_of_the_ward(
    chromium, live_server, console_errors, check_a11y, city, settings
):
    settings.DEBUG = True  # /dev/sms/ exists only in development
    # A submitted form leaves the page while its icon may still load: the browser cancels it.
    console_errors.allow("net::ERR_ABORTED")
    context, page = open_as(chromium, live_server, console_errors, city.editor)
    try:
        page.goto("/can-bo/tin-tuc/")
        page.get_by_role("link", name="Viết bài mới").click()
        check_a11y(page)
        fits_the_phone(page)
        page.get_by_label("Tiêu đề", exact=True).fill("Khởi công cầu Rào 3")
        page.get_by_label("Tóm tắt").fill("Cầu nối Lê Chân với Dương Kinh khởi công sáng nay.")
        body = page.locator("textarea.rich-body")
        body.fill("<p>Cầu dài 1,2 km.</p><script>alert(1)</script>")
        page.get_by_role("button", name="Lưu").click()
        page.get_by_text("Nội dung có mã lệnh").wait_for()  # refused, said why, nothing saved
        assert not Article.objects.exists()
        body.fill("<p>Cầu dài <strong>1,2 km</strong>.</p>")
        page.get_by_role("button", name="Lưu").click()
        page.get_by_role("button", name="Xuất bản").click()
        article = Article.objects.get(title="Khởi công cầu Rào 3")
        assert article.status == ArticleStatus.PUBLISHED and article.is_citywide
        assert article.body == "<p>Cầu dài <strong>1,2 km</strong>.</p>"

        page.goto("/can-bo/tin-tuc/thong-bao/moi/")
        check_a11y(page)
        fits_the_phone(page)
        page.get_by_label("Tiêu đề", exact=True).fill("Phun thuốc diệt muỗi tối nay")
        page.get_by_label("Nội dung", exact=True).fill("Bà con đóng cửa sổ từ 19 giờ đến 21 giờ.")
        page.get_by_label("Gửi đến phường, xã").select_option(label="Phường Lê Chân")
        page.get_by_label("Khẩn: gửi cả tin nhắn SMS").check()
        page.get_by_role("button", name="Đăng và gửi").click()
        page.get_by_text("Đã đăng thông báo").wait_for()
        assert WardNotice.objects.get().is_urgent
    finally:
        context.close()

    context, page = open_as(chromium, live_server, console_errors, city.lan)
    try:
        page.goto("/")
        page.get_by_role("link", name="Khởi công cầu Rào 3").wait_for()
        urgent = page.get_by_role("link", name="Khẩn Phun thuốc diệt muỗi tối nay")
        urgent.wait_for()
        check_a11y(page)
        fits_the_phone(page)
        urgent.click()
        page.get_by_text("Bà con đóng cửa sổ từ 19 giờ đến 21 giờ.").wait_for()

        page.goto("/dev/sms/")
        # SMS go without diacritics (GSM-7: twice the characters per message of UCS-2).
        page.get_by_text("Phun thuoc diet muoi toi nay").first.wait_for()
    finally:
        context.close()
    texted = set(OutboundSms.objects.filter(text__contains="Phun thuoc").values_list("phone", flat=True))
    assert texted == {city.lan.phone}  # minh lives there too but did not consent; hoa lives elsewhere
    elsewhere = Client()
    elsewhere.force_login(city.hoa)
    assert "Phun thuốc diệt muỗi" not in elsewhere.get("/").content.decode()


def test_a_planned_outage_shows_on_the_home_page_and_reaches_the_ward_the_day_before(
    chromium, live_server, console_errors, check_a11y, city
):
    console_errors.allow("net::ERR_ABORTED")
    starts = timezone.localtime() + dt.timedelta(days=6)
    starts = starts.replace(hour=8, minute=0, second=0, microsecond=0)
    context, page = open_as(chromium, live_server, console_errors, city.power)
    try:
        page.goto("/can-bo/tin-tuc/cat-dien-nuoc/")
        page.get_by_role("link", name="Thêm lịch").click()
        check_a11y(page)
        fits_the_phone(page)
        page.get_by_label("Từ", exact=True).fill(starts.strftime("%Y-%m-%dT%H:%M"))
        page.get_by_label("Đến (dự kiến có lại)").fill((starts + dt.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"))
        page.get_by_label("Khu vực").fill("Phố Lạch Tray, từ số 1 đến số 99")
        page.get_by_label("Phường, xã", exact=True).select_option(label="Phường Lê Chân")
        page.get_by_label("Lý do").fill("Bảo dưỡng trạm biến áp Lạch Tray 3")
        page.get_by_role("button", name="Lưu").click()
        page.get_by_text("Phố Lạch Tray, từ số 1 đến số 99").first.wait_for()
    finally:
        context.close()
    outage = Outage.objects.get()

    context, page = open_as(chromium, live_server, console_errors, city.lan)
    try:
        page.goto("/")
        page.get_by_text("Phố Lạch Tray, từ số 1 đến số 99").wait_for()
        check_a11y(page)
        fits_the_phone(page)

        assert warn_due_outages(at=outage.starts_at - dt.timedelta(days=2)) == 0  # not yet
        assert warn_due_outages(at=outage.starts_at - dt.timedelta(hours=23)) == 1
        assert Notice.objects.filter(user=city.lan).exists()
        page.goto("/thong-bao/")
        page.get_by_text("Lạch Tray").first.wait_for()
        check_a11y(page)
        fits_the_phone(page)
    finally:
        context.close()
    assert not Notice.objects.filter(user=city.hoa).exists()  # another ward's citizen hears nothing
