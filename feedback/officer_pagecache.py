"""Short-lived caching of the officer site's list pages (agency queue, 1022 triage and board, figures).

Why: an officer reloads the queue all day long, and most reloads find nothing changed. Serving the
page from the cache keeps it within a small multiple of a bare Django view whatever the size of the
reports table (DESIGN §5); the queries stay bounded when it has to be drawn (tests count them with the
cache off).

What keeps it right:
- access is checked on every request before the cache is asked (the decorator sits inside
  `pakn_required`), and the key holds the session and its CSRF secret: a page is only ever served
  back to the browser that was shown it, with forms whose tokens that browser can use;
- the page is kept with a *generation* per agency in the page's scope (or the city's, for the 1022
  centre), changed whenever a report or an answer of that agency is saved (at once and again on
  commit, so a page drawn during the transaction is not kept), and served only while those are
  still current, so an officer's own action shows on the next load;
- a deadline turns "due soon" or "overdue" with time alone: the key also holds the current
  PAKN_OFFICER_PAGE_CACHE_SECONDS time slot, which bounds how stale a page can be;
- a page with a message to show (after an action) is never served from the cache nor stored.

PAKN_OFFICER_PAGE_CACHE_SECONDS: default 30; 0 turns the cache off.
"""

import functools
import hashlib
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import get_language

CITY = "city"
DEFAULT_SECONDS = 30


def seconds():
    return getattr(settings, "PAKN_OFFICER_PAGE_CACHE_SECONDS", DEFAULT_SECONDS)


def _generation_key(scope):
    return f"feedback:officer-generation:{scope}"


def bump(*agency_ids):
    """Make the cached officer pages of these agencies (and the city-wide ones) stale."""
    keys = [_generation_key(CITY), *(_generation_key(pk) for pk in agency_ids if pk is not None)]
    cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)


def _bump_now_and_on_commit(*agency_ids):
    bump(*agency_ids)
    transaction.on_commit(lambda: bump(*agency_ids))


def report_loaded(sender, instance, **kwargs):
    # The agency a report had when read, so that moving it to another agency refreshes both queues.
    instance._officer_cache_agency_id = instance.__dict__.get("agency_id")


def report_saved(sender, instance, **kwargs):
    _bump_now_and_on_commit(instance.agency_id, getattr(instance, "_officer_cache_agency_id", None))
    instance._officer_cache_agency_id = instance.agency_id


def answer_saved(sender, instance, **kwargs):
    _bump_now_and_on_commit(instance.agency_id)


def generation_keys(scope):
    return [_generation_key(CITY if scope is None else pk) for pk in (scope or [None])]


def cached_page(scope_of):
    """Cache a GET page per browser session. `scope_of(request)` gives the agency ids whose reports
    the page shows, or None for a city-wide page.

    The page is stored with the generations read before it was drawn, under a key that does not
    hold them, so one round trip to the cache fetches both the current generations and the page.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            ttl = seconds()
            if ttl <= 0 or request.method != "GET" or len(messages.get_messages(request)):
                return view(request, *args, **kwargs)
            session = request.session.session_key or ""
            scope_keys = generation_keys(scope_of(request))
            slot = str(int(time.time() // ttl))

            def key():
                parts = [
                    session,
                    # The CSRF secret the page's forms were masked with; after a first render it is the
                    # one the browser was just given, which it sends back next time.
                    request.META.get("CSRF_COOKIE", ""),
                    request.get_full_path(),
                    get_language(),
                    ",".join(scope_keys),
                    slot,
                ]
                return "feedback:officer-page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

            page_key = key()
            found = cache.get_many([*scope_keys, page_key])
            # Read before drawing: a change made meanwhile must not be stored under its new generation.
            generations = ",".join(str(found.get(name, "0")) for name in scope_keys)
            stored = found.get(page_key)
            if stored is not None and stored[0] == generations:
                return HttpResponse(stored[1])
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and session:
                cache.set(key(), (generations, response.content), ttl)
            return response

        return wrapped

    return decorator
