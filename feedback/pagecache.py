"""Short-lived caching of the public parts of the PAKN pages (the feed, a report's public body).

Why: these are the portal's most read pages, mostly by visitors, and their HTML is the same for
everyone who is not the reporter. Serving it from the cache keeps a page within a small multiple of
a bare Django view whatever the size of the reports table (DESIGN §5).

What keeps it fresh:
- the feed's key carries a *generation* number, bumped (on commit) whenever any report is saved, so
  a report that becomes public, changes status, is redacted or hidden shows at once; the TTL is
  only a backstop;
- a public report's page body is cached under the same generation; only bodies of reports that
  anyone may see are cached, so a cache hit needs no database query at all;
Nothing personal is cached: the reporter's own view (with photos an officer hid), private reports,
forms with CSRF tokens and "you follow this" are rendered per request around the cached body.

PAKN_PAGE_CACHE_SECONDS (default 30; 0 turns caching off, as some tests do to count queries).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

GENERATION_KEY = "feedback:public-generation"
DEFAULT_SECONDS = 30
FEED_PARAMS = ("q", "category", "unit", "status", "period", "truoc")


def seconds():
    return getattr(settings, "PAKN_PAGE_CACHE_SECONDS", DEFAULT_SECONDS)


def generation():
    return cache.get(GENERATION_KEY, 0)


def bump_generation():
    """Make every cached feed page stale (called on commit of any report save)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no counter yet (or evicted): start one
        cache.add(GENERATION_KEY, 1, timeout=None)


def report_saved(sender, instance, **kwargs):
    transaction.on_commit(bump_generation)


def feed_key(params):
    """The cache key of a feed page: language, generation and the known query parameters."""
    wanted = "&".join(f"{name}={params.get(name, '')}" for name in FEED_PARAMS)
    digest = hashlib.sha256(wanted.encode()).hexdigest()[:32]
    return f"feedback:feed:{get_language()}:{generation()}:{digest}"


def public_report_key(code):
    """The cache key of a public report's page body. Under the generation too: a body rendered
    while the report was being changed is stored under a generation nobody asks for any more."""
    return f"feedback:report:{get_language()}:{generation()}:{code}"


def get_public_report(code):
    """The cached page of a public report: a dict with its body `html` and the few fields the page
    around it needs (pk, code, title, lat, reporter_id), or None."""
    if seconds() <= 0:
        return None
    return cache.get(public_report_key(code))


def store_public_report(report, html):
    if seconds() > 0:
        entry = {
            "html": html,
            "pk": report.pk,
            "code": report.code,
            "title": report.title,
            "lat": report.lat,
            "reporter_id": report.reporter_id,
        }
        cache.set(public_report_key(report.code), entry, seconds())


def cached_html(key, render):
    """The HTML stored under `key`, or `render()`'s result, stored for the configured time."""
    ttl = seconds()
    if ttl <= 0:
        return render()
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, ttl)
    return html
