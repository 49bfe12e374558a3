"""Client keys of Open311's write side: issued by an administrator (the admin page or
`manage.py issue_open311_key`), shown once, kept as a hash, revocable, each with its own rate limit.

Every write to the key table goes through this module.
"""

import hashlib
import secrets

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from ..models import Open311Key

KEY_PREFIX = "hp311_"
# The last use is written at most this often per key: a busy client must not turn every POST into
# an UPDATE of the same row.
LAST_USED_EVERY = 60  # seconds


def _hash(raw_key):
    return hashlib.sha256(raw_key.encode()).hexdigest()


def issue_key(*, client_name, contact="", requests_per_minute=30, issued_by=None, instance=None):
    """A new key for a client app. Returns (key row, the key itself): the caller shows the key once;
    only its hash is stored. `instance`: an unsaved Open311Key to fill (the admin's form object)."""
    raw_key = KEY_PREFIX + secrets.token_urlsafe(32)
    key = instance if instance is not None else Open311Key()
    key.client_name = client_name.strip()
    key.contact = (contact or "").strip()
    key.requests_per_minute = requests_per_minute
    key.prefix = raw_key[: len(KEY_PREFIX) + 6]
    key.key_hash = _hash(raw_key)
    key.created_by = issued_by
    key.save(force_insert=True)
    return key, raw_key


def revoke_keys(queryset):
    """Revoke the keys of `queryset` that are still active, at once. Returns how many were revoked."""
    return queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def find_key(raw_key):
    """The key row for the key a client sent (active or revoked), or None. One query; the last use
    is recorded by a conditional UPDATE at most once a minute."""
    if not raw_key or not isinstance(raw_key, str) or len(raw_key) > 200:
        return None
    key = Open311Key.objects.filter(key_hash=_hash(raw_key.strip())).first()
    if key is not None and key.is_active:
        moment = timezone.now()
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=moment - timezone.timedelta(seconds=LAST_USED_EVERY))
        Open311Key.objects.filter(stale, pk=key.pk).update(last_used_at=moment)
    return key


def over_limit(key):
    """Count one request against the key's limit for the current minute; True when it is spent.

    A fixed window per minute in the shared cache (Redis in production), so every web process
    counts against the same figure."""
    window = int(timezone.now().timestamp() // 60)
    name = f"open311:key:{key.pk}:{window}"
    cache.add(name, 0, timeout=120)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=120)
        count = 1
    return count > key.requests_per_minute
