"""Reads of notices, always scoped to the person asking."""

from django.core.cache import cache
from django.db.models import Q

from smarthp.sql import Compiled, id_marker

from .models import Notice

PAGE_SIZE = 30
# The bell on every signed-in page: its count is kept a minute and dropped whenever the person's
# notices change (notices.services, the only writer of notices), so a page costs one query fewer.
# The minute bounds what a count read during another request's change could leave stale.
UNREAD_KEY = "notices:unread:%s"
UNREAD_SECONDS = 60


def for_user(user, *, before=None, limit=PAGE_SIZE):
    """The user's notices, newest first: at most `limit`, after the notice `before` (an id of the
    user's own; anyone else's is ignored) when given."""
    rows = Notice.objects.filter(user=user)
    if before is not None:
        cursor = rows.filter(pk=before).values_list("created_at", flat=True).first()
        if cursor is not None:
            rows = rows.filter(Q(created_at__lt=cursor) | Q(created_at=cursor, pk__lt=before))
    return list(rows.only("pk", "kind", "text", "url", "created_at", "read_at").order_by("-created_at", "-pk")[:limit])


# Its SQL compiled once (smarthp.sql): the count is read on every signed-in page the minute is out.
_unread = Compiled(
    lambda user: Notice.objects.filter(user_id=user, read_at__isnull=True).order_by().values_list("pk"),
    user=id_marker(),
)


def unread_count(user):
    if not user.is_authenticated:
        return 0
    key = UNREAD_KEY % user.pk
    count = cache.get(key)
    if count is None:
        count = _unread.count(user=user.pk)
        cache.set(key, count, UNREAD_SECONDS)
    return count


def forget_unread(user_ids):
    """Drop the kept counts of these people (their notices changed)."""
    keys = [UNREAD_KEY % pk for pk in user_ids if pk is not None]
    for start in range(0, len(keys), 1000):
        cache.delete_many(keys[start : start + 1000])
