"""The installable portal in a real browser (Chromium, 360 px): installable by the browser's own
checks, the offline page when the network is gone, and a report drafted offline that is sent once."""

# Fixtures come from tests.feedback.citizen_world, imported by name.
# ruff: noqa: F811

import re

import pytest
from playwright.sync_api import expect

from feedback.models import Report
from tests.feedback.citizen_world import fresh_geo_index, image_bytes, world  # noqa: F401
from tests.feedback.test_browser_report import sign_in

pytestmark = pytest.mark.browser

OFFLINE = "ERR_INTERNET_DISCONNECTED"

READ_DRAFT = """() => new Promise((resolve, reject) => {
  const opening = indexedDB.open("smarthp-drafts", 1);
  opening.onupgradeneeded = () => opening.result.createObjectStore("drafts");
  opening.onerror = () => reject(opening.error);
  opening.onsuccess = () => {
    const all = opening.result.transaction("drafts").objectStore("drafts").getAll();
    all.onsuccess = async () => {
      const draft = all.result[0];
      if (!draft) { resolve(null); return; }
      const photo = draft.photos[0] && await createImageBitmap(draft.photos[0].blob);
      resolve({
        drafts: all.result.length,
        photos: draft.photos.length,
        type: draft.photos[0] && draft.photos[0].blob.type,
        width: photo && photo.width, height: photo && photo.height,
        key: (draft.fields.find((pair) => pair[0] === "idempotency_key") || [])[1],
        title: (draft.fields.find((pair) => pair[0] === "title") || [])[1],
      });
    };
  };
})"""


def wait_for_service_worker(page):
    return page.evaluate("() => navigator.serviceWorker.ready.then((registration) => registration.active.scriptURL)")


def test_the_portal_installs_and_shows_its_offline_page(page, live_server, console_errors, check_a11y):
    page.goto("/")
    assert wait_for_service_worker(page).endswith("/sw.js")

    # Chromium's own installability checks (what Lighthouse's "installable manifest" audit reads).
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest") and not manifest["errors"]
    errors = {item["errorId"] for item in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]}
    # A Playwright context is an incognito profile, where Chromium installs nothing whatever the
    # site; every check about the site (manifest, icons, start URL, service worker) must pass.
    assert errors - {"in-incognito"} == set()

    # The worker controls the page once it has claimed it; a reload makes sure.
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")

    console_errors.allow(OFFLINE)
    page.context.set_offline(True)
    page.goto("/tin-tuc/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Không có kết nối mạng")
    assert page.url.endswith("/tin-tuc/")  # the page asked for, answered by the offline page
    check_a11y(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    check_a11y(page)

    # Back online, the same address is the real page again: nothing was kept in its place.
    page.context.set_offline(False)
    page.get_by_role("link", name="Thử lại").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Không có kết nối mạng")


def test_a_report_drafted_offline_is_sent_once_when_the_phone_is_back_online(
    page, live_server, world, console_errors, check_a11y
):
    console_errors.allow(OFFLINE)
    sign_in(page, live_server, world.alice)
    page.goto("/phan-anh/gui/")
    wait_for_service_worker(page)
    form_key = page.locator("input[name=idempotency_key]").input_value()
    status = page.locator("#draft-message")

    # The network goes; the citizen fills the form in and takes a large photo.
    page.context.set_offline(True)
    expect(status).to_contain_text("Không có mạng")
    page.get_by_label("Lĩnh vực").select_option(label="Đường, hè phố")
    page.get_by_label("Tiêu đề").fill("Cột điện nghiêng trên phố Tô Hiệu")
    page.get_by_label("Nội dung phản ánh").fill("Cột điện trước số 45 nghiêng hẳn ra đường, rất nguy hiểm.")
    page.get_by_label("Phường, xã, đặc khu").select_option("11383")
    page.get_by_label("Địa chỉ").fill("45 Tô Hiệu")
    photo = image_bytes(size=(3200, 2400))
    chosen = {"name": "cot-dien.jpg", "mimeType": "image/jpeg", "buffer": photo}
    page.set_input_files("input[name=photos]", files=[chosen])
    page.get_by_role("button", name="Gửi phản ánh", exact=True).click()

    expect(status).to_have_text("Đã lưu trên điện thoại này, sẽ gửi khi có mạng.")
    assert Report.objects.count() == 0
    draft = page.evaluate(READ_DRAFT)
    # Kept on the phone: the form's own idempotency key, and the photo made smaller there.
    assert draft["drafts"] == 1 and draft["photos"] == 1 and draft["key"] == form_key
    assert draft["type"] == "image/jpeg" and (draft["width"], draft["height"]) == (1600, 1200)
    check_a11y(page)

    # Back online: the page says so. A reload shows the draft is kept across pages.
    page.context.set_offline(False)
    expect(status).to_contain_text("Đã có mạng trở lại")
    page.reload()
    expect(status).to_contain_text("Bạn có một phản ánh đã lưu trên điện thoại này")
    expect(page.get_by_label("Tiêu đề")).to_have_value("Cột điện nghiêng trên phố Tô Hiệu")
    expect(page.locator("#photo-names")).to_contain_text("cot-dien.jpg")
    assert page.locator("input[name=idempotency_key]").input_value() == form_key
    send = page.get_by_role("button", name="Gửi phản ánh đã lưu")

    # The first send reaches the server, but its answer is lost on the way back.
    def lose_the_answer(route):
        if route.request.method == "POST":
            route.fetch(max_redirects=0)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/phan-anh/gui/", lose_the_answer)
    send.click()
    expect(status).to_contain_text("Chưa gửi được")
    assert Report.objects.count() == 1
    assert page.evaluate(READ_DRAFT)["drafts"] == 1  # still on the phone: the citizen cannot know

    # One more tap: the same key, so the report already filed is the answer.
    page.unroute("**/phan-anh/gui/")
    send.click()
    page.wait_for_url(re.compile(r"/phan-anh/PA-\d{4}-\d{6}/$"))
    report = Report.objects.get()
    assert report.code in page.url
    assert report.title == "Cột điện nghiêng trên phố Tô Hiệu" and report.reporter == world.alice
    (stored,) = report.photos.all()
    assert (stored.width, stored.height) == (1600, 1200)
    expect(page.locator(".messages")).to_contain_text("Đã gửi phản ánh")
    assert page.evaluate(READ_DRAFT) is None
    check_a11y(page)

    # The form is blank again, with no draft to offer.
    page.goto("/phan-anh/gui/")
    expect(page.get_by_label("Tiêu đề")).to_have_value("")
    assert page.locator("#draft-status").is_hidden()
    assert Report.objects.count() == 1
