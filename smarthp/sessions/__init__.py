"""Django's database session engines, their one read compiled once and run prepared (smarthp.sql).

Every signed-in request reads its session before anything else; through the ORM that read cost
about as much as the bare one-query page itself (benchmarks/README, "the floor"). Same table, same
rows, same expiry rule as Django's: `SESSION_ENGINE = "smarthp.sessions.db"` or `".cached_db"`.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.models import Session
from django.utils import timezone

from smarthp.sql import Compiled, moment_marker, text_marker


def _live(key, now):
    return Session.objects.filter(session_key=key, expire_date__gt=now).order_by()


_live_row = Compiled(_live, key=text_marker("key"), now=moment_marker())
_KEY_CHARS = frozenset(VALID_KEY_CHARS)


class CompiledRead:
    """Replaces the engines' `_get_session_from_db` (Django's ORM read of the same row, whole:
    cached_db keeps a session in the cache until its `expire_date`)."""

    def _validate_session_key(self, key):
        # A key as Django makes them (32 of VALID_KEY_CHARS; the column holds 40): anything else in
        # a cookie is no session, and never reaches the database (a NUL byte there was a 500).
        return bool(key) and 8 <= len(key) <= 40 and not set(key) - _KEY_CHARS

    def _get_session_from_db(self):
        key = self.session_key
        found = _live_row.instances(key=key, now=timezone.now()) if key else []
        if not found:
            self._session_key = None
            return None
        return found[0]
