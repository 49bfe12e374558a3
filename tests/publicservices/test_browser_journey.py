"""The issue's "Done when" journey on a 360 px phone, with axe: a visitor finds "khai sinh" without
diacritics, submits without an account (code by SMS), the desk asks for a supplement, the citizen
supplies it, the desk receives, processes and returns the result; the citizen opens the receipt's
QR link, downloads the result, rates the officer; the public page counts it on time."""

import re

import pytest

from citizens.models import OutboundSms
from publicservices import services
from publicservices.files import check_upload
from publicservices.models import Dossier, DossierStatus, Rating
from tests.publicservices.world import build, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = {"name": "to-khai.pdf", "mimeType": "application/pdf"}


def test_the_whole_journey_without_an_account(page, live_server, make_user, check_a11y):
    w = build(make_user)
    page.goto("/dich-vu-cong/")
    check_a11y(page)
    page.get_by_label("Tìm thủ tục").fill("khai sinh")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.get_by_role("link", name="Đăng ký khai sinh").click()
    check_a11y(page)
    page.get_by_role("link", name="Nộp trực tuyến").first.click()

    page.get_by_label("Số điện thoại di động").fill("0987 654 321")
    page.get_by_role("button", name="Gửi mã xác thực").click()
    code = re.search(r"\d{6}", OutboundSms.objects.get(phone="+84987654321").text).group()
    page.get_by_label("Mã xác thực").fill(code)
    check_a11y(page)
    page.get_by_role("button", name="Xác thực").click()

    page.get_by_label("Họ và tên người nộp").fill("Phạm Thị Hoa")
    page.get_by_label("Nơi nộp hồ sơ (UBND phường, xã)").select_option(label="UBND Phường Lê Chân")
    page.set_input_files(f"#id_doc_{w.form.pk}", files=[{**PDF, "buffer": pdf_bytes()}])
    page.set_input_files(f"#id_doc_{w.certificate.pk}", files=[{**PDF, "buffer": pdf_bytes()}])
    check_a11y(page)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url(re.compile(r"/dich-vu-cong/ho-so/.+\?k="))
    dossier = Dossier.objects.get()
    assert dossier.code in page.locator("main").inner_text()

    services.ask_supplement(dossier=dossier, officer=w.officer, items=["Giấy chứng sinh bản chính"])
    page.reload()
    check_a11y(page)
    page.set_input_files("#id_item_0", files=[{**PDF, "buffer": pdf_bytes()}])
    page.get_by_role("button", name="Gửi giấy tờ bổ sung").click()
    page.get_by_text("Đã gửi giấy tờ bổ sung.").wait_for()

    dossier = services.receive(dossier=dossier, officer=w.officer)
    assert dossier.due_at is not None
    dossier = services.finish(
        dossier=dossier, officer=w.officer, result_note="Đã cấp Giấy khai sinh", result_file=check_upload(pdf_bytes())
    )
    dossier = services.return_result(dossier=dossier, officer=w.officer)

    # The receipt's QR holds the lookup link with the secret: open it as a fresh visitor would.
    page.context.clear_cookies()
    page.goto(dossier.lookup_url())
    assert dossier.get_absolute_url() in page.url
    link = page.get_by_role("link", name="Tải văn bản kết quả")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")
    check_a11y(page)
    page.get_by_label("Rất hài lòng").check()
    page.get_by_label("Đúng hẹn").check()
    page.get_by_label("1 lần").check()
    page.get_by_label("Lịch sự, tận tình").check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.get_by_text("Cảm ơn bạn đã đánh giá.").first.wait_for()
    assert Rating.objects.get().officer == w.officer
    assert Dossier.objects.get().status == DossierStatus.RETURNED

    page.goto(f"/dich-vu-cong/so-lieu/{w.lechan.slug}/")
    assert "1 (100%)" in page.locator('[data-figure="on-time"]').inner_text()
    check_a11y(page)


def test_the_desk_officer_receives_a_dossier_on_a_wide_screen(page, live_server, make_user, check_a11y):
    from django.conf import settings as django_settings
    from django.test import Client

    from tests.publicservices.world import file_dossier

    w = build(make_user)
    dossier = file_dossier(w)
    client = Client()
    client.force_login(w.officer)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/can-bo/")
    page.get_by_role("link", name=re.compile("Hồ sơ mới chờ tiếp nhận")).click()
    check_a11y(page)
    page.get_by_role("link", name=dossier.code).click()
    page.get_by_text("Tiếp nhận hồ sơ (Mẫu 01)").click()
    page.get_by_role("button", name="Xác nhận").first.click()
    page.get_by_text("Đã tiếp nhận hồ sơ.").wait_for()
    check_a11y(page)
    page.get_by_role("link", name=re.compile("Mẫu 01")).click()
    assert page.locator(".ps-qr svg").count() == 1
    check_a11y(page)
    assert Dossier.objects.get().status == DossierStatus.RECEIVED
