"""The installable portal: web app manifest, service worker, offline page.

Mounted at the site's root (smarthp/urls.py): a service worker controls the pages under the folder
it is served from, so /sw.js reaches the whole portal. The worker's code is
templates/pwa/sw.js; here it only gets the list of files to keep (their hashed names change on
every deploy, and so the worker's bytes, which is how browsers learn to update it).

The icons in static/pwa/ were drawn with Pillow from static/img/icon.svg (the drop over the line on
the city blue): 192 and 512 px with rounded corners, a maskable 512 px with the drawing inside the
safe zone, and a 180 px apple-touch-icon.
"""

import hashlib
import json

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

app_name = "pwa"

THEME_COLOR = "#0b5cab"
BACKGROUND_COLOR = "#ffffff"

# The shell a phone keeps for the offline page; other static files are kept as pages use them.
SHELL = ["css/site.css", "js/site.js", "img/icon.svg", "pwa/register.js", "pwa/icon-192.png"]


def manifest_data():
    return {
        "id": "/",
        "name": _("Công dân số Hải Phòng"),
        "short_name": _("Công dân số"),
        "description": _("Cổng thông tin công dân số của thành phố Hải Phòng"),
        "lang": get_language() or "vi",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "categories": ["government", "utilities"],
        "icons": [
            {"src": static("pwa/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("pwa/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {
                "src": static("pwa/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
        "shortcuts": [
            {"name": _("Gửi phản ánh"), "url": "/phan-anh/gui/"},
            {"name": _("Thông báo"), "url": "/thong-bao/"},
        ],
    }


@require_GET
def manifest(request):
    body = json.dumps(manifest_data(), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/manifest+json; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def precache_urls():
    return [reverse("pwa:offline"), *(static(name) for name in SHELL)]


@require_GET
def service_worker(request):
    urls = precache_urls()
    version = hashlib.sha256("\n".join(urls).encode()).hexdigest()[:12]
    body = render_to_string(
        "pwa/sw.js",
        {
            # json.dumps of our own URLs; "<" escaped anyway so the text can never close anything.
            "precache_json": json.dumps(urls).replace("<", "\\u003c"),
            "version": version,
            "offline_url": json.dumps(reverse("pwa:offline")),
            # STATIC_URL itself: static("") would ask the hashed-names manifest for a file named "".
            "static_prefix": json.dumps(settings.STATIC_URL),
            "icon_url": json.dumps(static("pwa/icon-192.png")),
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # The browser must ask every time (it checks the worker for updates at most daily anyway), and
    # the worker may control the whole site even if a proxy ever serves it from another folder.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request):
    """The page a phone shows when a page cannot be fetched. The service worker keeps one copy for
    everyone, so it is rendered without the request: no account, no messages, no CSRF token."""
    response = HttpResponse(render_to_string("pwa/offline.html"))
    response["Cache-Control"] = "no-cache"
    return response


urlpatterns = [
    path("manifest.webmanifest", manifest, name="manifest"),
    path("sw.js", service_worker, name="service_worker"),
    path("offline/", offline, name="offline"),
]
