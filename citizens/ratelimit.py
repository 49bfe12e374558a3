"""Where allauth's rate limits are counted: in the database, not in Redis.

allauth counts every limit in ACCOUNT_RATE_LIMITS (wrong passwords and wrong second-factor codes per
account and per IP address, sign-ins per IP, the SMS-code limits of citizens.limits) through the
default cache: a list of hit times per key, read and written under a lock taken with `cache.add`.
With the counters in Redis, a Redis outage would either lift every limit (if a failed read counted
as "no hits") or refuse every sign-in (allauth cannot take its lock, and refuses). Neither is
acceptable for limits that guard accounts and the SMS budget, so the portal's cache backends
(smarthp.cache) send allauth's keys to this store instead: a cache backend on one table, which
keeps allauth's own sliding windows exactly, on SQLite and PostgreSQL alike.

Why a cache backend rather than counters of our own: allauth calls its rate limits from a dozen
places (login, login_failed, the second factor, sign-up, password reset, phone change, and the
SMS codes); keeping its storage and swapping only where it lives covers them all, and a new
allauth version with a new limit is covered too. The price is a few indexed queries per limit on the
requests that count (form posts), none on pages that only read.

Parallel safety: `add` is an INSERT on the primary key (only one request can insert a key; a stale
entry is taken over by a conditional UPDATE that only one request can win), which is what allauth's
lock needs; the list itself is then read and written while the lock is held.
"""

import random
from datetime import timedelta

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone


class DatabaseStore(BaseCache):
    """A cache backend on citizens.RateLimitEntry for the few keys that must survive a Redis outage.

    Values must be JSON (allauth stores lists of floats, True and short strings). Expired entries
    read as absent; one write in OPTIONS["PURGE_EVERY"] (default 200) that creates a row also deletes
    the expired ones, so the table stays as small as the traffic of the last day.
    """

    def __init__(self, location, params):
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self._purge_every = int(options.get("PURGE_EVERY", 200))

    @property
    def _entries(self):
        from .models import RateLimitEntry

        return RateLimitEntry.objects

    def _expires(self, timeout):
        if timeout == DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        if timeout is None:
            return None
        return timezone.now() + timedelta(seconds=timeout)

    def _live(self, key):
        return self._entries.filter(Q(expires__isnull=True) | Q(expires__gt=timezone.now()), key=key)

    def _insert(self, key, value, expires):
        try:
            with transaction.atomic():
                self._entries.create(key=key, value=value, expires=expires)
        except IntegrityError:
            return False
        if self._purge_every and random.randrange(self._purge_every) == 0:
            self.purge_expired()
        return True

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        expires = self._expires(timeout)
        if self._insert(key, value, expires):
            return True
        # The key exists: take it over only if it has expired. One UPDATE with the condition in its
        # WHERE clause, so two requests that both saw it expired cannot both win.
        stale = self._entries.filter(key=key, expires__lte=timezone.now())
        return stale.update(value=value, expires=expires) == 1

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        values = list(self._live(key).values_list("value", flat=True)[:1])
        return values[0] if values else default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        if timeout is not None and timeout != DEFAULT_TIMEOUT and timeout <= 0:
            self._entries.filter(key=key).delete()
            return
        expires = self._expires(timeout)
        if self._entries.filter(key=key).update(value=value, expires=expires):
            return
        if not self._insert(key, value, expires):
            self._entries.filter(key=key).update(value=value, expires=expires)  # inserted meanwhile

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._live(key).update(expires=self._expires(timeout)) == 1

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        deleted, _ = self._entries.filter(key=key).delete()
        return deleted > 0

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return self._live(key).exists()

    def clear(self):
        self._entries.all().delete()

    def purge_expired(self):
        """Delete the entries whose time is up; returns how many."""
        deleted, _ = self._entries.filter(expires__lte=timezone.now()).delete()
        return deleted
