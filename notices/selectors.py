"""Reads of notices, always scoped to the person asking."""

import contextlib

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from smarthp.sql import Compiled, id_marker

from .models import Notice

PAGE_SIZE = 30


def for_user(user, *, before=None, limit=PAGE_SIZE):
    """The user's notices, newest first: at most `limit`, after the notice `before` (an id of the
    user's own; anyone else's is ignored) when given."""
    rows = Notice.objects.filter(user=user)
    if before is not None:
        cursor = rows.filter(pk=before).values_list("created_at", flat=True).first()
        if cursor is not None:
            rows = rows.filter(Q(created_at__lt=cursor) | Q(created_at=cursor, pk__lt=before))
    return list(rows.only("pk", "kind", "text", "url", "created_at", "read_at").order_by("-created_at", "-pk")[:limit])


def _unread(user):
    return Notice.objects.filter(user_id=user, read_at__isnull=True).order_by()


def signed_in_annotations():
    """What citizens.backends reads with the signed-in person for the bell: `unread_notices`."""
    counted = _unread(OuterRef("pk")).values("user_id").annotate(count=Count("pk")).values("count")
    return {"unread_notices": Coalesce(Subquery(counted), 0)}


# For a user that citizens.backends did not read: compiled once (smarthp.sql).
_unread_alone = Compiled(lambda user: _unread(user).values_list("pk"), user=id_marker())


def unread_count(user):
    """How many of the user's notices are unread: for the signed-in person, as counted when they were
    read at the request's start (no query of its own; notices.services drops it when this request
    changes their notices)."""
    if not user.is_authenticated:
        return 0
    loaded = getattr(user, "unread_notices", None)
    return loaded if loaded is not None else _unread_alone.count(user=user.pk)


def forget_loaded_count(user):
    """After a change of `user`'s notices in this request, the count read with them is out of date."""
    with contextlib.suppress(AttributeError):
        del user.unread_notices
