"""The officer desk in real browsers: a phone (360 px) and a desktop (1280 px). The officer pages
pass axe and never scroll sideways, and from /can-bo/ each role reaches its work by clicking links:
a new officer (who first sets up their second factor) the queue and a report, the 1022 operator the
triage queue, the leader the answers waiting for approval."""

import datetime as dt
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone

from feedback.models import Answer, AnswerStatus, ReportStatus
from government.models import Membership, Role
from tests.conftest import PASSWORD
from tests.feedback.officer_world import build, file_report
from tests.feedback.test_officer_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


@pytest.fixture(autouse=True)
def _only_feedback_on_the_desk():
    """These journeys follow PAKN's sections; the live server runs in this process, so the other
    apps' desk sections (their own tests' business) are taken off for them."""
    from government import desk

    saved = dict(desk._contributions)
    for name in saved:
        if name != "feedback":
            desk.unregister(name)
    yield
    desk._contributions.clear()
    desk._contributions.update(saved)


def assert_no_sideways_scroll(page):
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide in a {widths[1]} px window"


def current_nav(page):
    return page.locator('.officer-nav a[aria-current="page"]').all_inner_texts()


def totp_code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def w(make_user):
    w = build(make_user)
    now = timezone.now()
    w.late = file_report(
        w,
        title="Cây đổ chắn ngang đường Trần Nguyên Hãn, cần xử lý gấp trước giờ tan tầm",
        address="Số 123 đường Trần Nguyên Hãn, phường Lê Chân",
        accept_due_at=now - dt.timedelta(hours=2),
    )
    w.soon = file_report(w, status=ReportStatus.IN_PROGRESS, answer_due_at=now + dt.timedelta(minutes=30))
    w.waiting = file_report(w, status=ReportStatus.IN_PROGRESS, title="Ống nước vỡ ngõ 5")
    Answer.objects.create(
        report=w.waiting, agency=w.ward, author=w.officer, text="Đã thay ống.", status=AnswerStatus.PENDING
    )
    w.triage = file_report(w, status=ReportStatus.TRIAGE, agency="hotline", title="Rác thải chưa rõ nơi xử lý")
    return w


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_desk_queue_and_workspace_fit_the_screen_and_pass_axe(
    page, chromium, live_server, console_errors, check_a11y, w, size
):
    """The leader's desk, queue and a report's workspace: axe finds nothing serious, the page is no
    wider than the window, and the navigation bar marks the page (the workspace sits under the queue).
    On the phone the queue is a list of cards; on the desktop a table."""
    if size == "desktop":
        context = chromium.new_context(**DESKTOP, base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        console_errors.watch(page, live_server.url)
    sign_in(page.context, w.leader, live_server.url)
    for url, current in (
        ("/can-bo/", "Tổng quan"),
        ("/can-bo/phan-anh/", "Phản ánh của cơ quan"),
        (f"/can-bo/phan-anh/{w.late.code}/", "Phản ánh của cơ quan"),
    ):
        page.goto(url)
        check_a11y(page)
        assert_no_sideways_scroll(page)
        assert current_nav(page) == [current]
        if url == "/can-bo/phan-anh/":
            cards, table = page.locator(".report-cards"), page.locator(".report-table")
            assert (cards.is_visible(), table.is_visible()) == ((True, False) if size == "phone" else (False, True))
    # Every link and button of the bar is a 44 px target.
    page.goto("/can-bo/")
    small = page.evaluate(
        """() => [...document.querySelectorAll('.officer-nav a, .officer-nav button, .desk-item')]
            .map(el => el.getBoundingClientRect()).filter(r => r.width < 44 || r.height < 44).length"""
    )
    assert small == 0
    if size == "desktop":
        page.context.close()


def test_every_officer_page_fits_a_phone(page, live_server, console_errors, check_a11y, w):
    """The operator's and the leader's other pages at 360 px: no sideways scroll, nothing serious for axe."""
    sign_in(page.context, w.operator, live_server.url)
    for url in (
        "/can-bo/",
        "/can-bo/phan-anh/1022/",
        "/can-bo/phan-anh/1022/toan-thanh/?han=tat-ca",
        "/can-bo/phan-anh/1022/nhap-phan-anh/",
        "/can-bo/phan-anh/1022/tra-cuu/?phone=0911000011",
        "/can-bo/phan-anh/thong-ke/",
        f"/can-bo/phan-anh/{w.triage.code}/",
        f"/can-bo/phan-anh/{w.triage.code}/sua-thong-tin/",
        f"/can-bo/phan-anh/{w.triage.code}/bien-tap/",
    ):
        page.goto(url)
        check_a11y(page)
        assert_no_sideways_scroll(page)


def test_a_new_officer_sets_up_the_second_factor_then_reaches_a_report_by_links(
    page, live_server, console_errors, check_a11y, make_user, w
):
    """Signed in with a password, a new officer is asked to set up TOTP (password again, QR code and
    secret, then recovery codes: each page fits the phone), continues to the desk, and from there
    opens the agency's queue and a report with taps alone."""
    console_errors.allow("net::ERR_ABORTED")  # leaving a page while its icon still loads
    newcomer = make_user(username="canbo.moi", full_name="Lý Thị Mới")
    Membership.objects.create(user=newcomer, agency=w.ward, role=Role.OFFICER)

    page.goto("/accounts/login/")
    page.get_by_label("Số điện thoại (hoặc email, tên đăng nhập)").fill("canbo.moi")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    # allauth asks for the password again before adding a second factor.
    page.wait_for_url("**/accounts/reauthenticate/**")
    assert_no_sideways_scroll(page)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/2fa/totp/activate/**")
    check_a11y(page)
    assert_no_sideways_scroll(page)
    secret = page.locator("#totp-secret").inner_text().strip()
    page.locator("input[name=code]").fill(totp_code(secret))
    page.get_by_role("button", name="Bật").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/**")
    check_a11y(page)
    assert_no_sideways_scroll(page)

    page.get_by_role("link", name="Tiếp tục đến trang cán bộ").click()
    page.wait_for_url("**/can-bo/")
    page.get_by_role("link", name="Tất cả việc cần xử lý").click()
    page.wait_for_url("**/can-bo/phan-anh/**")
    page.get_by_role("link", name=w.late.title).click()
    page.get_by_role("heading", name=w.late.title).wait_for()
    assert w.late.code in page.locator("h1").inner_text()
    assert current_nav(page) == ["Phản ánh của cơ quan"]
    # Back to the desk through the bar, then the overdue figure: the one overdue report.
    page.get_by_role("link", name="Tổng quan").click()
    page.get_by_role("link", name="Quá hạn").click()
    assert page.locator(".report-card").all_inner_texts() and all(
        "Quá hạn" in card for card in page.locator(".report-card").all_inner_texts()
    )
    assert page.locator(".report-card").count() == 1


def test_an_officer_signs_in_with_the_totp_code_and_lands_on_the_desk(page, live_server, console_errors, check_a11y, w):
    """Password, then the code of the authenticator app (the page fits the phone), then the desk."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    console_errors.allow("net::ERR_ABORTED")
    Authenticator.objects.filter(user=w.officer).delete()
    secret = generate_totp_secret()
    TOTP.activate(w.officer, secret)
    page.goto("/accounts/login/")
    page.get_by_label("Số điện thoại (hoặc email, tên đăng nhập)").fill("canbo")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    check_a11y(page)
    assert_no_sideways_scroll(page)
    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("form.code-input button[type=submit]").click()
    page.wait_for_url("**/can-bo/")
    page.get_by_role("heading", name="UBND Phường Lê Chân").wait_for()


def test_the_operator_reaches_the_triage_queue_from_the_desk(page, live_server, console_errors, w):
    sign_in(page.context, w.operator, live_server.url)
    page.goto("/can-bo/")
    page.get_by_role("link", name="Chờ phân loại").first.click()
    page.get_by_role("heading", name="Trung tâm 1022: phản ánh chờ phân loại").wait_for()
    assert current_nav(page) == ["Chờ phân loại"]
    page.get_by_role("link", name=w.triage.title).click()
    page.get_by_role("button", name="Chuyển", exact=True).wait_for()  # the operator routes it from here


def test_the_leader_reaches_the_answers_waiting_for_approval_from_the_desk(page, live_server, console_errors, w):
    sign_in(page.context, w.leader, live_server.url)
    page.goto("/can-bo/")
    approvals = page.get_by_role("link", name="Trả lời chờ bạn duyệt")
    assert approvals.inner_text().split()[0] == "1"
    approvals.click()
    assert page.locator(".report-card").count() == 1
    page.get_by_role("link", name=w.waiting.title).click()
    page.get_by_role("button", name="Duyệt và công bố").wait_for()
