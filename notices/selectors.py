"""Reads of notices, always scoped to the person asking."""

from django.db.models import Q

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


def unread_count(user):
    if not user.is_authenticated:
        return 0
    return Notice.objects.filter(user=user, read_at__isnull=True).count()
