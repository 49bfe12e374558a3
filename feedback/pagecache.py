"""Short-lived caching of the public parts of the PAKN pages (the feed, a report's public body).

Why: these are the portal's most read pages, mostly by visitors, and their HTML is the same for
everyone who is not the reporter. Serving it from the cache keeps a page within a small multiple of
a bare Django view whatever the size of the reports table (DESIGN §5).

What keeps it fresh:
- the feed's key carries a *generation* number, bumped (on commit) whenever any report is saved, so
  a report that becomes public, changes status, is redacted or hidden shows at once; the TTL is
  only a backstop;
- a public report's page body is cached under the same generation; only bodies of reports that
  anyone may see are cached, so a cache hit needs no database query at all. It is also kept for the
  same time under the report's own version (`report_body_key`), so that after another report's
  save the page costs the one query that finds the report (and says it may be shown), not four
  and the rendering; a rating or a step that does not save the report shows within that time, as
  it does on the generation's page;
- each row of the feed is also cached on its own, keyed on the report's `version` and `updated_at`
  (both change on every save), the names and thumbnail it shows and the language: when a report
  changes, a page drawn again re-renders that row and takes every other one from the cache
  (`cached_rows`). Which reports a page lists always comes from the database, so a report made
  private or hidden leaves the feed at once, whatever fragments remain;
Nothing personal is cached: the reporter's own view (with photos an officer hid), private reports,
forms with CSRF tokens and "you follow this" are rendered per request around the cached body.

PAKN_PAGE_CACHE_SECONDS (default 30; 0 turns caching off, as some tests do to count queries).
"""

import hashlib
import logging
import zlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

GENERATION_KEY = "feedback:public-generation"
DEFAULT_SECONDS = 30
# A row's key changes with the row, so its fragment may live long: a day keeps the rows of the
# pages people read without filling the cache with rows nobody pages back to.
ROW_SECONDS = 24 * 3600
# A feed body keyed on all it shows (cached_feed_body): the page cache's generation is not in its
# key, so a few minutes, for lists that no save touched.
BODY_SECONDS = 600

logger = logging.getLogger(__name__)
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


def row_key(row):
    """The key of a feed row's fragment: everything the row shows that can change is in it."""
    return row_keys([row])[0]


def row_keys(rows):
    """row_key() of each row, the language looked up once."""
    prefix = f"feedback:row:{get_language()}:"
    crc32 = zlib.crc32
    return [
        f"{prefix}{row.pk}:{row.version}:{int(row.updated_at.timestamp() * 1_000_000)}:"
        f"{crc32(f'{row.category_name}|{row.unit_name}|{row.thumbnail_url}'.encode()):x}"
        for row in rows
    ]


def cached_rows(rows, render):
    """The HTML of each row, in order: from the cache where it holds the row's current fragment,
    else from `render(missing rows)` (a list of HTML, one a row), which is then stored. A cache that
    fails is a cache that is empty: the page is drawn all the same."""
    if seconds() <= 0 or not rows:
        return render(rows)
    keys = row_keys(rows)
    try:
        found = cache.get_many(keys)
    except Exception:  # any backend error (Redis away) only costs the rendering
        logger.warning("feed rows: cache read failed", exc_info=True)
        found = {}
    missing = [(key, row) for key, row in zip(keys, rows, strict=True) if key not in found]
    if missing:
        fresh = dict(zip([key for key, _row in missing], render([row for _key, row in missing]), strict=True))
        try:
            cache.set_many(fresh, ROW_SECONDS)
        except Exception:  # as above
            logger.warning("feed rows: cache write failed", exc_info=True)
        found.update(fresh)
    return [found[key] for key in keys]


def report_body_key(report):
    """The key of a public report's body under its own version: the report's saves, and the names
    of its category, ward and agency (read with it), change it."""
    names = "|".join(
        (report.category.name, report.unit.name if report.unit else "", report.agency.name if report.agency else "")
    )
    shown = zlib.crc32(names.encode())
    stamp = int(report.updated_at.timestamp() * 1_000_000)
    return f"feedback:report-body:{get_language()}:{report.code}:{report.version}:{stamp}:{shown:x}"


def get_report_body(report):
    """The body of this public report at its current version, or None (also when the cache fails)."""
    if seconds() <= 0:
        return None
    try:
        return cache.get(report_body_key(report))
    except Exception:  # a cache that is away is an empty one
        logger.warning("report body: cache read failed", exc_info=True)
        return None


def store_report_body(report, html):
    if seconds() > 0:
        try:
            cache.set(report_body_key(report), html, seconds())
        except Exception:  # as above
            logger.warning("report body: cache write failed", exc_info=True)


def cached_feed_body(context, row_keys, draw):
    """A feed body that shows exactly `context` (filters, option lists, page links, map settings)
    and the rows of `row_keys` (their versions are in them): from the cache, or `draw()`n and
    stored. Survives a failing cache as cached_rows does."""
    if seconds() <= 0:
        return draw()
    shown = [f"{name}={context[name]}" for name in sorted(context) if name not in ("reports", "options")]
    shown += [f"{name}={html}" for name, html in sorted(context["options"].items())]
    digest = hashlib.sha256("\x1f".join([*shown, *row_keys]).encode()).hexdigest()[:32]
    key = f"feedback:feed-body:{get_language()}:{digest}"
    try:
        html = cache.get(key)
    except Exception:  # a cache that is away is an empty one
        logger.warning("feed body: cache read failed", exc_info=True)
        html = None
    if html is None:
        html = draw()
        try:
            cache.set(key, html, BODY_SECONDS)
        except Exception:  # as above
            logger.warning("feed body: cache write failed", exc_info=True)
    return html
