"""The portal's cache backends: a Redis outage costs speed, never a page.

Everything the portal keeps in its cache can be rebuilt: sessions are written through to the
database (cached_db), the page caches are recomputed on a miss.
So when Redis is unreachable, `RedisCache` answers every call as a miss or a no-op (get -> default,
get_many -> {}, set -> nothing, add -> False, incr -> ValueError as for a missing key, delete ->
False) instead of raising, and pages are served from the database meanwhile:

- short socket timeouts (settings: OPTIONS socket_connect_timeout, socket_timeout), so that a Redis
  that does not answer costs a fraction of a second, not a request's whole budget;
- a circuit breaker: after a failure, Redis is skipped for RETRY_SECONDS in this process, so only
  one call in that time pays the timeout;
- one warning a minute per process while it lasts, and one line when it is back (no key, no value:
  keys may name a user);
- keys written or deleted while Redis was away are remembered and deleted from it as soon as it
  answers again: otherwise a session ended meanwhile (its row deleted, its cached copy not) would
  come back to life, and an officer's revoked access would be served from a stale version.

The few keys that must not be lost nor lifted by an outage (allauth's rate limits and locks, the
second factor's used codes, the replay guard of OpenID tokens) go to the cache alias "durable"
(citizens.ratelimit.DatabaseStore) instead, with Redis or without: see that module for why.
"""

import logging
import threading
import time

import redis
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT

log = logging.getLogger(__name__)

DURABLE_ALIAS = "durable"
# allauth's key formats: rate limits and their locks (allauth.core.internal.ratelimit), codes already
# used for the second factor (allauth.mfa.totp), OpenID tokens already seen (socialaccount.jwtkit).
DURABLE_PREFIXES = ("allauth:rl:", "allauth.mfa.totp.used", "jwt:iss=")

# What an unreachable, restarting or overloaded Redis raises (BusyLoadingError is a ConnectionError).
OUTAGE_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class DurableKeysMixin:
    """Sends the keys in DURABLE_PREFIXES to the "durable" cache; every other key stays here."""

    @staticmethod
    def _durable(key):
        return isinstance(key, str) and key.startswith(DURABLE_PREFIXES)

    def _split(self, keys):
        durable = [key for key in keys if self._durable(key)]
        return durable, [key for key in keys if not self._durable(key)]

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self._durable(key):
            return caches[DURABLE_ALIAS].add(key, value, timeout, version=version)
        return super().add(key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        if self._durable(key):
            return caches[DURABLE_ALIAS].get(key, default, version=version)
        return super().get(key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self._durable(key):
            return caches[DURABLE_ALIAS].set(key, value, timeout, version=version)
        return super().set(key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        if self._durable(key):
            return caches[DURABLE_ALIAS].touch(key, timeout, version=version)
        return super().touch(key, timeout, version=version)

    def delete(self, key, version=None):
        if self._durable(key):
            return caches[DURABLE_ALIAS].delete(key, version=version)
        return super().delete(key, version=version)

    def has_key(self, key, version=None):
        if self._durable(key):
            return caches[DURABLE_ALIAS].has_key(key, version=version)
        return super().has_key(key, version=version)

    def incr(self, key, delta=1, version=None):
        if self._durable(key):
            return caches[DURABLE_ALIAS].incr(key, delta, version=version)
        return super().incr(key, delta, version=version)

    def get_many(self, keys, version=None):
        durable, rest = self._split(list(keys))
        found = caches[DURABLE_ALIAS].get_many(durable, version=version) if durable else {}
        return {**found, **(super().get_many(rest, version=version) if rest else {})}

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        durable, rest = self._split(list(data))
        failed = []
        if durable:
            failed += caches[DURABLE_ALIAS].set_many({k: data[k] for k in durable}, timeout, version=version)
        if rest:
            failed += super().set_many({k: data[k] for k in rest}, timeout, version=version) or []
        return failed

    def delete_many(self, keys, version=None):
        durable, rest = self._split(list(keys))
        if durable:
            caches[DURABLE_ALIAS].delete_many(durable, version=version)
        if rest:
            super().delete_many(rest, version=version)


class _Outage:
    """What one process knows about one Redis address; shared by its threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down = False
        self.retry_at = 0.0  # time.monotonic(): until then, calls do not try Redis
        self.warned_at = None
        self.missed = set()  # made keys that may be stale in Redis: deleted once it answers
        self.missed_overflow = False


_outages = {}
_outages_lock = threading.Lock()


def _outage_of(location):
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


class SafeRedisCache(django_redis.RedisCache):
    """Django's RedisCache whose every call survives an unreachable Redis (see the module docstring)."""

    RETRY_SECONDS = 5
    WARN_EVERY_SECONDS = 60
    # Keys remembered for deletion during one outage: a bound on memory. Past it, some cached
    # copies may be served stale until they expire, and the recovery line says so.
    MAX_MISSED = 20_000

    def __init__(self, server, params):
        super().__init__(server, params)
        self._outage = _outage_of(repr(self._servers))

    def _skip(self, made_keys):
        """True while the breaker is open (the call is then not tried); remembers keys written."""
        outage = self._outage
        if not outage.down or time.monotonic() >= outage.retry_at:
            return False
        self._remember(made_keys)
        return True

    def _remember(self, made_keys):
        outage = self._outage
        with outage.lock:
            for key in made_keys:
                if len(outage.missed) >= self.MAX_MISSED:
                    outage.missed_overflow = True
                    break
                outage.missed.add(key)

    def _failed(self, exc, made_keys):
        outage = self._outage
        now = time.monotonic()
        self._remember(made_keys)
        with outage.lock:
            outage.down = True
            outage.retry_at = now + self.RETRY_SECONDS
            warn = outage.warned_at is None or now - outage.warned_at >= self.WARN_EVERY_SECONDS
            if warn:
                outage.warned_at = now
        if warn:
            log.warning(
                "cache: Redis unreachable (%s); serving without it, trying again every %d s",
                type(exc).__name__,
                self.RETRY_SECONDS,
            )

    def _recover(self):
        """First call after the breaker's wait: delete what was missed; raises if Redis is still away."""
        outage = self._outage
        with outage.lock:
            missed, outage.missed = list(outage.missed), set()
            overflow, outage.missed_overflow = outage.missed_overflow, False
        try:
            for start in range(0, len(missed), 500):
                self._cache.delete_many(missed[start : start + 500])
            if not missed:
                self._cache.get_client().ping()
        except OUTAGE_ERRORS:
            with outage.lock:
                outage.missed.update(missed)
                outage.missed_overflow = outage.missed_overflow or overflow
            raise
        with outage.lock:
            outage.down = False
            outage.warned_at = None
        log.warning(
            "cache: Redis answers again; %d keys changed meanwhile were deleted from it%s",
            len(missed),
            " (more were changed than remembered: some may be served stale until they expire)" if overflow else "",
        )

    def _guard(self, call, fallback, made_keys=()):
        """call() against Redis, or `fallback` (a value, or an exception instance to raise) when away."""
        if self._skip(made_keys):
            result = fallback
        else:
            try:
                if self._outage.down:
                    self._recover()
                return call()
            except OUTAGE_ERRORS as exc:
                self._failed(exc, made_keys)
                result = fallback
        if isinstance(result, BaseException):
            raise result
        return result

    def _made(self, keys, version):
        return [self.make_and_validate_key(key, version=version) for key in keys]

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(SafeRedisCache, self).add(key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._guard(lambda: super(SafeRedisCache, self).get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        made = self._made([key], version)
        return self._guard(lambda: super(SafeRedisCache, self).set(key, value, timeout, version), None, made)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(SafeRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        made = self._made([key], version)
        return self._guard(lambda: super(SafeRedisCache, self).delete(key, version), False, made)

    def get_many(self, keys, version=None):
        return self._guard(lambda: super(SafeRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._guard(lambda: super(SafeRedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        made = self._made([key], version)
        missing = ValueError(f"Key '{key}' not found (cache unreachable).")
        return self._guard(lambda: super(SafeRedisCache, self).incr(key, delta, version), missing, made)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        made = self._made(data, version)
        return self._guard(lambda: super(SafeRedisCache, self).set_many(data, timeout, version), list(data), made)

    def delete_many(self, keys, version=None):
        made = self._made(keys, version)
        return self._guard(lambda: super(SafeRedisCache, self).delete_many(keys, version), None, made)

    def clear(self):
        return self._guard(super().clear, False)

    def ping(self):
        """Raise unless Redis answers now (for /healthz: ignores the breaker, keeps the timeouts)."""
        self._cache.get_client().ping()


class RedisCache(DurableKeysMixin, SafeRedisCache):
    """The production cache (REDIS_URL): Redis that survives an outage; rate limits in the database."""


class LocMemCache(DurableKeysMixin, locmem.LocMemCache):
    """The embedded default: a per-process cache; rate limits in the database as in production."""
