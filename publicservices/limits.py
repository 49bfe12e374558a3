"""How often one address may look dossiers up by code (the codes must not be enumerable).

A fixed-window counter in the default cache (Redis in production): `cache.add` starts the window,
`cache.incr` counts atomically, so the limit holds across processes and costs no SQL query (a
lookup is a citizen page, with a budget of 8). If the cache is away the lookup is refused rather
than left unlimited. The rate is PUBLICSERVICES_LOOKUP_RATE, "<count>/<seconds>".
"""

import hashlib
import time

from allauth.core.internal.ratelimit import get_ip
from django.conf import settings
from django.core.cache import cache


def _rate():
    count, _slash, seconds = settings.PUBLICSERVICES_LOOKUP_RATE.partition("/")
    return int(count), int(seconds or 600)


def allow_lookup(request):
    """Count one lookup from this request's address; False once the window's allowance is spent."""
    allowed, window = _rate()
    slot = int(time.time() // window)
    address = hashlib.sha256(get_ip(request).encode()).hexdigest()[:32]
    key = f"publicservices:lookup:{address}:{slot}"
    try:
        if cache.add(key, 1, window):
            return True
        return cache.incr(key) <= allowed
    except ValueError:  # the key expired between add and incr: a new window
        cache.add(key, 1, window)
        return True
    except Exception:  # the cache is away: refuse, never leave codes open to enumeration
        return False
