"""Who may do what on the officer site, from agency memberships.

Every officer page needs the same access facts: the person's active memberships (agency and role)
and whether they have a TOTP second factor. They are read with the person at the start of every
request (citizens.backends adds `signed_in_annotations()` to its one read of who is signed in), so
they cost no query of their own and are always the rows' own: a revoked role, a deactivated agency
or a removed second factor takes effect on the next request, with nothing to invalidate. A person
read otherwise (the API's token, a test's user object) costs one compiled query (`_read`).
Services check roles against the database again before any write (feedback.officer_access.roles_for).
"""

import functools
import json

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Aggregate, BooleanField, Exists, OuterRef, Subquery, TextField
from django.db.models.functions import JSONArray
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from smarthp.sql import Compiled, id_marker

from .models import Agency, Membership


def memberships_of(user):
    """`user`'s active memberships with their agencies (one query)."""
    if not user.is_authenticated:
        return Membership.objects.none()
    # Not agency__unit: nothing on the officer site shows it, and a ward's boundary is heavy.
    return Membership.objects.active().filter(user=user).select_related("agency")


@functools.cache
def _flags(model):
    return tuple(isinstance(field, BooleanField) for field in model._meta.concrete_fields)


def _values(model, values):
    # A raw cursor's booleans as the ORM gives them (SQLite's are 0 and 1).
    flags = _flags(model)
    return [bool(value) if flag and value is not None else value for flag, value in zip(flags, values, strict=True)]


def _instance(user, membership_values, agency_values):
    membership = Membership.from_db(DEFAULT_DB_ALIAS, _columns(Membership), _values(Membership, membership_values))
    membership.agency = Agency.from_db(DEFAULT_DB_ALIAS, _columns(Agency), _values(Agency, agency_values))
    membership.user = user
    return membership


@functools.cache
def _columns(model):
    return tuple(field.attname for field in model._meta.concrete_fields)


# --- Read with the person ---------------------------------------------------------------------


class _JSONRows(Aggregate):
    """The group's values as one JSON array (PostgreSQL's json_agg, SQLite's json_group_array)."""

    function = "JSON_AGG"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def signed_in_annotations():
    """What citizens.backends reads with the signed-in person for the officer site: their active
    memberships with their agencies (`officer_rows`, a JSON array of each membership's columns then
    its agency's; NULL for someone with none) and whether they have a TOTP factor (`officer_totp`)."""
    from allauth.mfa.models import Authenticator

    rows = Membership.objects.active().filter(user_id=OuterRef("pk")).order_by().values("user_id")
    columns = [*_columns(Membership), *(f"agency__{name}" for name in _columns(Agency))]
    rows = rows.annotate(rows=_JSONRows(JSONArray(*columns))).values("rows")
    totp = Authenticator.objects.filter(user_id=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return {"officer_rows": Subquery(rows), "officer_totp": Exists(totp)}


def _facts(user, rows, totp):
    """(Membership instances with their agencies, has a TOTP factor) from signed_in_annotations()'s
    two values. Without an active membership the second factor does not matter (the officer site is
    a 404) and reads as False."""
    rows = json.loads(rows) if isinstance(rows, str) else rows or []
    width = len(_columns(Membership))
    memberships = [_instance(user, row[:width], row[width:]) for row in sorted(rows, key=lambda row: row[0])]
    return memberships, bool(memberships and totp)


def _alone(user):
    users = get_user_model()._default_manager.filter(pk=user).order_by()
    return users.annotate(**signed_in_annotations()).values_list("officer_rows", "officer_totp")


# For a person not read through citizens.backends: the same subqueries, compiled once (smarthp.sql).
_read_alone = Compiled(_alone, user=id_marker())


def _read(user):
    """The facts of `user` from the database, in one query."""
    found = _read_alone.run(user=user.pk)
    return _facts(user, *(found[0] if found else (None, False)))


def officer_access(request):
    """(active memberships with their agencies, has a TOTP second factor) of the signed-in person:
    as read with them (citizens.backends), else from the database."""
    user = request.user
    if hasattr(user, "officer_totp"):
        return _facts(user, user.officer_rows, user.officer_totp)
    return _read(user)


def officer_required(view):
    """Officer pages: visitors are sent to sign in; signed-in people with no agency role get a 404,
    so the officer site does not confirm to a citizen what lies behind it."""

    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.memberships, second_factor = officer_access(request)
        if not request.memberships:
            raise Http404
        if not second_factor:
            # Officers sign in with a second factor: until they have one, they set it up first.
            # With it, allauth.mfa asks for a TOTP code at every sign-in.
            messages.info(
                request, _("Cán bộ cần bật xác thực hai lớp (ứng dụng tạo mã TOTP) trước khi vào trang cán bộ.")
            )
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('mfa_activate_totp')}?{query}")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped
