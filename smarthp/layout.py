"""`{% drawn "name.html" key=value fill_x=... %}`: a template that is the same on every page of a
language (translations, static files, URLs) drawn once per language, URLconf and script prefix,
then reused. Drawing the layout's head, brand and scripts, the near-me form or the news filters
with their translate, url and static tags on every page cost about a third of a bare Django view
(benchmarks/README.md, "the layout").

Arguments named `fill_…` are what changes per request (a select's options, a search's value, the
CSRF token): the template writes `{{ fill_… }}` where they go, drawn as a marker, and each request
puts its value there, escaped as the template would (HTML built and marked safe stays as it is).
The other arguments are part of the variant's key (a kind, a flag): each variant is kept for the
life of the process, so they must come from a short list, never from what a visitor types.

A builtin template library (settings.TEMPLATES): no {% load %}, and the 500 page, drawn without a
request, has it too.
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.autoreload import file_changed
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .links import url

register = template.Library()

_DRAWN = {}


@receiver(setting_changed)
@receiver(file_changed)
def _forget(**kwargs):
    # Tests change the URLconf, the static files' storage, the languages; runserver sees a template
    # edited (its loaders are reset then, without a restart). None: the reloader goes on as usual.
    _DRAWN.clear()


def _draw(name, constants, fills):
    """(texts, slots): the template's output cut at each fill's marker, texts and slots alternating."""
    context = {**constants, **{fill: mark_safe(f"\x00{fill}\x00") for fill in fills}}  # noqa: S308 - a marker
    # Without the file's last newline: the page's own line break follows the tag.
    pieces = render_to_string(name, context).removesuffix("\n").split("\x00")
    return pieces[0::2], pieces[1::2]


@register.simple_tag
def drawn(name, **kwargs):
    fills = {key: value for key, value in kwargs.items() if key.startswith("fill_")}
    constants = {key: value for key, value in kwargs.items() if not key.startswith("fill_")}
    variant = (tuple(sorted(constants.items())), tuple(sorted(fills)))
    key = (name, variant, get_language(), get_urlconf(), get_script_prefix())
    found = _DRAWN.get(key)
    if found is None:
        found = _DRAWN[key] = _draw(name, constants, fills)
    texts, slots = found
    out = [texts[0]]
    for slot, text in zip(slots, texts[1:], strict=True):
        out.append(conditional_escape(fills[slot]))
        out.append(text)
    return mark_safe("".join(out))  # noqa: S308 - the template's output and the fills, HTML as given


def csrf_input(context):
    """What `{% csrf_token %}` writes, for a drawn form's `fill_csrf`."""
    token = context.get("csrf_token")
    if token and token != "NOTPROVIDED":  # noqa: S105 - as Django's csrf_token tag
        return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
    return ""


@register.simple_tag(takes_context=True)
def language_switch(context):
    """The form that switches between Vietnamese and English and comes back to this page."""
    request = context.get("request")
    here = request.get_full_path() if request is not None else ""
    form = drawn("layout/language_switch.html", language=get_language(), fill_csrf=csrf_input(context), fill_next=here)
    return form + mark_safe("\n")  # the line break the form's own include used to end with


@register.simple_tag(takes_context=True)
def bell(context):
    """The header's link to the notices with their unread count (`unread_notices`, notices'
    context processor), drawn once per language."""
    count = str(context.get("unread_notices", 0))
    request = context.get("request")
    current = request is not None and request.path == url("notices:index")
    # With the line break its include used to end with.
    return drawn("notices/_bell.html", unread=count != "0", current=current, fill_count=count) + mark_safe("\n")
