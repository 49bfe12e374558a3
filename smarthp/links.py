"""URLs reversed once per URLconf, script prefix and language, then reused.

reverse() walks the URLconf's resolvers on every call (about 10 µs each); the links that every page
draws (the officer navigation bar, the home page's tiles) are the same on every request. For names
and arguments that come from the code or a short list (a unit's code), never from what a visitor
types: each URL is kept for the life of the process.
"""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_KEPT = {}


@receiver(setting_changed)
def _forget(**kwargs):
    _KEPT.clear()  # tests change the URLconf (or what it includes) through settings


def url(name, *args):
    """reverse(name, args=args), once per URLconf, script prefix and language."""
    key = (name, args, get_urlconf(), get_script_prefix(), get_language())
    found = _KEPT.get(key)
    if found is None:
        found = _KEPT[key] = reverse(name, args=args)
    return found
