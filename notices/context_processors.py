from django.utils.functional import SimpleLazyObject

from . import selectors


def unread(request):
    """`unread_notices` for the header: counted only when a template shows it (one query)."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"unread_notices": SimpleLazyObject(lambda: selectors.unread_count(user))}
