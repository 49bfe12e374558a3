"""The layout's parts that are the same on every page of a language: the head's links, the scripts,
the brand, the language switch. Each is drawn once per language, URLconf and script prefix and then
reused; drawing them with the static, url and translate tags on every page cost about a third of a
bare Django view (benchmarks/README.md, "the layout"). What changes per request (the CSRF token, the
page's own address in the language switch) is put in at each request.

A builtin template library (settings.TEMPLATES): the 500 page, drawn without a request, uses it too.
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

_DRAWN = {}


@receiver(setting_changed)
def _forget(**kwargs):
    _DRAWN.clear()  # tests change the URLconf, the static files' storage, the languages


def _drawn(name, context=None):
    # Without the template file's last newline: the layout's own line break follows the tag.
    return mark_safe(render_to_string(name, context).rstrip("\n"))  # noqa: S308 - a template's output


def _once(name, draw):
    key = (name, get_language(), get_urlconf(), get_script_prefix())
    drawn = _DRAWN.get(key)
    if drawn is None:
        drawn = _DRAWN[key] = draw()
    return drawn


@register.simple_tag
def layout_head():
    """The head's description, colour, icons, manifest and stylesheet."""
    return _once("head", lambda: _drawn("layout/head.html"))


@register.simple_tag
def layout_scripts():
    return _once("scripts", lambda: _drawn("layout/scripts.html"))


@register.simple_tag
def layout_brand(site):
    """The top bar's brand: the portal's name for citizens, "Trang cán bộ" on the officer site."""
    home, label = ("government:officer_home", _("Trang cán bộ")) if site == "officer" else ("home", None)

    return _once(
        f"brand-{site}",
        lambda: _drawn("layout/brand.html", {"home": home, "label": label or _("Công dân số Hải Phòng")}),
    )


def _switch_parts():
    html = render_to_string("layout/language_switch.html", {"language": get_language()})
    before, rest = html.split("{csrf}")
    between, after = rest.split("{next}")
    return before, between, after


@register.simple_tag(takes_context=True)
def language_switch(context):
    """The form that switches between Vietnamese and English and comes back to this page."""
    before, between, after = _once("switch", _switch_parts)
    token = context.get("csrf_token")
    if token and token != "NOTPROVIDED":  # noqa: S105 - as Django's csrf_token tag
        csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'
    else:
        csrf = ""
    request = context.get("request")
    here = escape(request.get_full_path()) if request is not None else ""
    return mark_safe(f"{before}{csrf}{between}{here}{after}")  # noqa: S308 - escaped above
