"""In real browsers: a citizen's report reaches the ward committee's queue, an officer accepts it and
answers with a photo (on a tablet), the leader approves, the citizen sees the answer on their phone and
rates it, and the public statistics page counts it answered on time."""

import io

import pytest
from django.test import Client
from PIL import Image

from feedback import services
from feedback.models import Rating, Report, ReportStatus, RoutingRule, Satisfaction
from tests.feedback.officer_world import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"viewport": {"width": 1024, "height": 768}, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


def sign_in(context, user, base_url):
    """Sign in by session cookie (the sign-in pages and their second factor have their own tests)."""
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


def officer_page(chromium, live_server, console_errors, user):
    context = chromium.new_context(**TABLET, base_url=live_server.url)
    sign_in(context, user, live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console_errors.watch(page, live_server.url)
    return context, page


def test_an_officer_answers_and_the_citizen_sees_it(
    page, chromium, live_server, console_errors, check_a11y, make_user, tmp_path
):
    # Submitting a form leaves the page while its lazy images or icon may still be loading: the
    # browser cancels them (ERR_ABORTED), which is no fault of the portal.
    console_errors.allow("net::ERR_ABORTED")
    w = build(make_user)
    RoutingRule.objects.create(category=w.infra, unit=w.lechan, agency=w.ward)
    report, _created = services.submit_report(
        reporter=w.citizen,
        category=w.lights,
        unit=w.lechan,
        title="Đèn đường ngõ 12 Tô Hiệu hỏng",
        description="Cả đoạn ngõ tối om từ ba hôm nay, đi lại rất nguy hiểm.",
        address="Ngõ 12 Tô Hiệu",
    )
    report.refresh_from_db()
    assert (report.status, report.agency) == (ReportStatus.ASSIGNED, w.ward)  # routed by the rules

    # The officer, on a tablet: the report is in the queue; accept it, answer with a photo.
    context, officer = officer_page(chromium, live_server, console_errors, w.officer)
    officer.goto("/can-bo/phan-anh/")
    check_a11y(officer)
    officer.get_by_role("link", name=report.code).click()
    officer.get_by_role("button", name="Tiếp nhận").click()
    officer.get_by_text("Đã tiếp nhận phản ánh.").wait_for()
    check_a11y(officer)
    officer.get_by_label("Nội dung trả lời").fill("Đã thay bóng đèn và kiểm tra lại toàn tuyến ngõ 12.")
    photo = tmp_path / "den-da-sua.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (250, 220, 90)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    officer.get_by_label("Ảnh kết quả xử lý").set_input_files(str(photo))
    officer.get_by_role("button", name="Gửi trả lời").click()
    officer.get_by_text("Đã gửi trả lời cho lãnh đạo duyệt.").wait_for()
    context.close()

    # The leader approves it.
    context, leader = officer_page(chromium, live_server, console_errors, w.leader)
    leader.goto(f"/can-bo/phan-anh/{report.code}/")
    leader.get_by_role("button", name="Duyệt và công bố").click()
    leader.get_by_text("Đã duyệt và công bố trả lời.").wait_for()
    context.close()
    report.refresh_from_db()
    assert report.status == ReportStatus.ANSWERED

    # The citizen, on the phone: the answer and its photo are on the report's page; rate it.
    sign_in(page.context, w.citizen, live_server.url)
    page.goto(f"/phan-anh/{report.code}/")
    page.get_by_text("Đã thay bóng đèn và kiểm tra lại toàn tuyến ngõ 12.").wait_for()
    assert page.get_by_role("img", name="Ảnh 1 của trả lời").is_visible()
    assert "Ghi chú" not in page.content()
    page.get_by_label("Hài lòng", exact=True).check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.get_by_text("Cảm ơn bạn đã đánh giá").wait_for()
    assert Rating.objects.get(report=report).score == Satisfaction.SATISFIED

    # The public statistics count it: answered on time, the citizen satisfied.
    page.goto("/phan-anh/thong-ke/")
    row = page.get_by_role("row", name="UBND Phường Lê Chân")
    assert row.get_by_role("cell").nth(3).inner_text() == "100.0%"  # on time
    assert row.get_by_role("cell").nth(5).inner_text().startswith("100.0%")  # satisfied
    check_a11y(page)
    assert Report.objects.get(pk=report.pk).answered_at <= report.answer_due_at


def test_the_1022_pages_and_figures_pass_axe_on_a_phone(page, live_server, check_a11y, make_user):
    """The operator's pages and the figures on a 360 px screen: nothing serious for axe, and the page
    itself never scrolls sideways (wide tables scroll inside their own region)."""
    from tests.feedback.officer_world import file_report

    w = build(make_user)
    file_report(w, status=ReportStatus.TRIAGE, agency="hotline")
    file_report(w, title="Cây đổ chắn ngang đường Trần Nguyên Hãn, cần xử lý gấp")
    sign_in(page.context, w.operator, live_server.url)
    for url in (
        "/can-bo/phan-anh/1022/",
        "/can-bo/phan-anh/1022/toan-thanh/?han=tat-ca",
        "/can-bo/phan-anh/1022/nhap-phan-anh/",
        "/can-bo/phan-anh/1022/tra-cuu/?phone=0911000011",
        "/can-bo/phan-anh/thong-ke/",
    ):
        page.goto(url)
        check_a11y(page)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 360, url


def test_an_officer_blurs_a_number_plate_by_drawing_on_the_photo(
    chromium, live_server, console_errors, check_a11y, make_user
):
    """On the redaction page the officer drags over the photo: the four fields follow the drawing,
    and the area drawn is what gets blurred."""
    from feedback import photos
    from feedback.models import EventKind
    from tests.feedback.officer_world import file_report

    w = build(make_user)
    report = file_report(w)
    sharp = Image.new("RGB", (400, 200), (255, 255, 255))
    sharp.paste((0, 0, 0), (40, 40, 120, 100))  # a "plate" in the left part
    buffer = io.BytesIO()
    sharp.save(buffer, "PNG")
    photo = photos.save_photos(report, [photos.process(buffer.getvalue())])[0]
    old_name = photo.image.name

    context, officer = officer_page(chromium, live_server, console_errors, w.officer)
    officer.goto(f"/can-bo/phan-anh/{report.code}/bien-tap/")
    officer.get_by_text("Làm mờ một vùng").click()
    frame = officer.locator(".blur-frame")
    frame.locator("img").evaluate("img => img.decode()")
    check_a11y(officer)
    frame.scroll_into_view_if_needed()
    box = frame.bounding_box()
    officer.mouse.move(box["x"] + box["width"] * 0.05, box["y"] + box["height"] * 0.1)
    officer.mouse.down()
    officer.mouse.move(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.4, steps=5)
    officer.mouse.move(box["x"] + box["width"] * 0.40, box["y"] + box["height"] * 0.6, steps=5)
    officer.mouse.up()
    values = [
        officer.get_by_label(label).input_value() for label in ("Cách trái (%)", "Cách trên (%)", "Rộng (%)", "Cao (%)")
    ]
    left, top, width, height = (int(value) for value in values)
    assert abs(left - 5) <= 1 and abs(top - 10) <= 1 and abs(width - 35) <= 2 and abs(height - 50) <= 2
    officer.get_by_role("button", name="Làm mờ", exact=True).click()
    officer.get_by_text("Đã làm mờ vùng đã chọn của ảnh.").wait_for()
    context.close()

    photo.refresh_from_db()
    assert photo.image.name != old_name
    assert report.events.filter(kind=EventKind.REDACTED).exists()
    with photo.image.open("rb") as handle:
        blurred = Image.open(handle).convert("L")
        assert blurred.getpixel((42, 70)) > 40  # the plate's sharp edge is smeared
        assert blurred.getpixel((300, 150)) > 240  # outside the drawn area nothing changed
