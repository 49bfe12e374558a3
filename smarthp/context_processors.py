from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .links import url

# The four sections of the city app, in the order citizens know them. Icons are SVG paths so the
# page needs no icon font.
SECTIONS = [
    (
        "feedback",
        "feedback:feed",
        _("Phản ánh kiến nghị"),
        _("Gửi và theo dõi phản ánh"),
        "M4 4h16v12H7l-3 3zM8 8h8M8 12h5",
    ),
    (
        "services",
        "publicservices:index",
        _("Dịch vụ công"),
        _("Thủ tục, hồ sơ trực tuyến"),
        "M6 2h9l5 5v15H6zM14 2v6h6M9 13h8M9 17h8",
    ),
    (
        "places",
        "utilities:index",
        _("Tiện ích"),
        _("Y tế, trường học, ATM, wifi"),
        "M12 2a7 7 0 0 0-7 7c0 5 7 13 7 13s7-8 7-13a7 7 0 0 0-7-7zm0 4a3 3 0 1 1 0 6 3 3 0 0 1 0-6z",
    ),
    (
        "news",
        "news:index",
        _("Tin tức"),
        _("Tin thành phố, lịch cắt điện, nước"),
        "M4 5h13v14H6a2 2 0 0 1-2-2zM17 9h3v8a2 2 0 0 1-2 2M7 9h7M7 13h7",
    ),
]


_NAVS = {}


@receiver(setting_changed)
def _forget_navs(**kwargs):
    _NAVS.clear()  # tests change the URLconf (or what it includes) through settings


def _url(name):
    try:
        return url(name)  # once per URLconf, script prefix and language (smarthp.links)
    except NoReverseMatch:
        return None  # the section is not open yet: shown, but not as a dead link


def _bottom_nav(request, sections, profile_url):
    """The citizen pages' bottom navigation, drawn once per language, current section and signed-in
    state (a few variants in all) and then reused: drawing it on every page cost about half as much
    as a bare Django view (benchmarks/README.md, "the layout")."""
    current = next((item["key"] for item in sections if item["current"]), "home" if request.path == "/" else "")
    user = getattr(request, "user", None)
    authenticated = bool(user is not None and user.is_authenticated)
    key = (get_language(), get_urlconf(), get_script_prefix(), current, authenticated)
    if key not in _NAVS:
        context = {
            "sections": sections,
            "home_current": current == "home",
            "authenticated": authenticated,
            "profile_url": profile_url,
        }
        _NAVS[key] = render_to_string("_bottom_nav.html", context)
    return _NAVS[key]


def portal(request):
    sections = []
    for key, url_name, label, hint, icon in SECTIONS:
        url = _url(url_name)
        current = bool(url) and request.path.startswith(url)
        sections.append({"key": key, "url": url, "label": label, "hint": hint, "icon": icon, "current": current})
    profile_url = _url("citizens:profile") or _url("account_email")
    return {
        "sections": sections,
        # What the home page's tiles show of them, as the key of their drawing ({% drawn %}).
        "section_tiles": lambda: tuple(
            (item["key"], item["url"], str(item["label"]), str(item["hint"]), item["icon"]) for item in sections
        ),
        "profile_url": profile_url,
        # A callable: drawn (or taken from the memo) only by the pages that show it.
        "bottom_nav": lambda: _bottom_nav(request, sections, profile_url),
    }
