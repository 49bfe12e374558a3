"""The installable portal over HTTP: the manifest and its icons, the service worker's headers and
what it keeps, the offline page (one copy for everyone), and the hooks of the report form's draft."""

import json
import re

import pytest
from django.contrib import messages
from django.contrib.staticfiles import finders
from PIL import Image

from smarthp import pwa

pytestmark = pytest.mark.django_db


def static_file(url):
    assert url.startswith("/static/"), url
    path = finders.find(url.removeprefix("/static/"))
    assert path, f"{url} is not a static file"
    return path


def test_the_manifest_makes_the_portal_installable(client):
    answer = client.get("/manifest.webmanifest")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(answer.content)
    assert manifest["name"] == "Công dân số Hải Phòng"
    assert len(manifest["short_name"]) <= 12  # what a phone's home screen shows in full
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0b5cab" and manifest["background_color"]

    icons = {(icon["sizes"], icon["purpose"]): icon for icon in manifest["icons"]}
    assert set(icons) == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for (sizes, purpose), icon in icons.items():
        with Image.open(static_file(icon["src"])) as image:
            assert image.format == "PNG" and f"{image.width}x{image.height}" == sizes
            if purpose == "maskable":
                # A maskable icon is cropped to any shape: it must fill the square, no transparency.
                assert image.mode == "RGB"
                assert image.getpixel((0, 0)) == image.getpixel((image.width - 1, image.height - 1))


def test_the_manifest_speaks_the_visitors_language(client):
    client.cookies["django_language"] = "en"
    manifest = json.loads(client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="en").content)
    assert manifest["lang"] == "en"


def test_every_page_links_the_manifest_and_registers_the_worker(client, alice):
    for url in ["/", "/phan-anh/"]:
        page = client.get(url).content.decode()
        assert '<link rel="manifest" href="/manifest.webmanifest">' in page
        assert 'src="/static/pwa/register.js" data-service-worker="/sw.js"' in page
        assert '<meta name="theme-color" content="#0b5cab">' in page


def test_the_worker_is_served_from_the_root_fresh_and_as_javascript(client):
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/javascript")
    assert answer["Service-Worker-Allowed"] == "/"
    assert answer["Cache-Control"] == "no-cache"
    # Same origin, no inline code: the CSP's default-src 'self' covers workers and the manifest.
    policy = answer.get("Content-Security-Policy") or client.get("/").get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy
    assert "worker-src" not in policy or "'self'" in policy.split("worker-src")[1].split(";")[0]


def test_the_worker_keeps_the_offline_page_and_shell_and_nothing_personal(client):
    body = client.get("/sw.js").content.decode()
    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", body).group(1))
    assert precache[0] == "/offline/"
    for url in precache[1:]:
        static_file(url)
    assert not [url for url in precache if url.startswith(("/api/", "/tai-khoan/", "/can-bo/", "/phan-anh/"))]
    # Readable: small, and pages always from the network (only the offline page as a fallback).
    assert len(body.splitlines()) < 150
    assert 'request.method !== "GET"' in body
    assert "fetch(request).catch(offlinePage)" in body


def test_the_worker_changes_when_a_deploy_changes_the_shell(client, monkeypatch):
    before = client.get("/sw.js").content
    monkeypatch.setattr(pwa, "SHELL", [*pwa.SHELL, "css/feedback.css"])
    assert client.get("/sw.js").content != before


def test_the_offline_page_is_the_same_for_everyone(client, alice):
    anonymous = client.get("/offline/")
    assert anonymous.status_code == 200 and "Không có kết nối mạng" in anonymous.content.decode()

    client.force_login(alice)
    # A message waiting for the next page is not used up by the copy the worker keeps.
    session_page = client.get("/")
    request = session_page.wsgi_request
    messages.success(request, "Đã lưu hồ sơ.")
    request._messages.update(session_page)
    client.cookies.update(session_page.cookies)

    signed_in = client.get("/offline/")
    assert signed_in.content == anonymous.content
    assert "Nguyễn Thị Lan" not in signed_in.content.decode()
    assert "csrfmiddlewaretoken" not in signed_in.content.decode()
    assert "Đã lưu hồ sơ." in client.get("/").content.decode()


def test_the_report_form_carries_the_drafts_hooks_for_its_person(client, alice, bob):
    client.force_login(alice)
    page = client.get("/phan-anh/gui/").content.decode()
    assert f'data-draft-key="report:{alice.pk}"' in page
    assert 'id="draft-status" class="message" hidden' in page  # nothing shows without JavaScript
    assert "Đã lưu trên điện thoại này, sẽ gửi khi có mạng." in page
    assert 'src="/static/pwa/drafts.js"' in page
    client.force_login(bob)
    assert f'data-draft-key="report:{bob.pk}"' in client.get("/phan-anh/gui/").content.decode()


def test_the_worker_and_manifest_work_with_the_hashed_names_of_production(client, settings, tmp_path):
    """As deployed (ManifestStaticFilesStorage): the worker keeps the hashed names, which it serves
    from its cache first."""
    names = [*pwa.SHELL, "pwa/icon-512.png", "pwa/icon-maskable-512.png"]
    paths = {name: name.replace(".", ".0123456789ab.", 1) for name in names}
    (tmp_path / "staticfiles.json").write_text(json.dumps({"paths": paths, "version": "1.1", "hash": "x"}))
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    # (Django builds its static files storage again when STORAGES changes.)
    body = client.get("/sw.js").content.decode()
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", body).group(1))
    assert "/static/css/site.0123456789ab.css" in precache
    assert re.search(r"const HASHED = (.*);", body).group(1) == r"/\.[0-9a-f]{12}\.[a-z0-9]+$/"
    assert 'const STATIC_PREFIX = "/static/";' in body
    assert manifest["icons"][0]["src"] == "/static/pwa/icon-192.0123456789ab.png"
