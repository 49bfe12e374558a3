from django.http import Http404

from government.access import officer_required
from government.models import Role


def editor_required(view):
    """Editors' pages: signed-in officers holding the editor role; anyone else a 404."""

    @officer_required
    def wrapped(request, *args, **kwargs):
        if not any(membership.role == Role.EDITOR for membership in request.memberships):
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped
