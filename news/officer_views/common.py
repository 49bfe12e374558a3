import functools

from django.http import Http404

from government.access import officer_required
from government.models import Role

from ..desk import utility_agencies


def editor_required(view):
    """Officer pages for editors; anyone else gets a 404."""

    @officer_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not any(m.role == Role.EDITOR for m in request.memberships):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def utility_required(view):
    """Officer pages for utility companies' staff; sets request.companies (theirs only)."""

    @officer_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.companies = utility_agencies(request.memberships)
        if not request.companies:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def form_error(form, exc):
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
