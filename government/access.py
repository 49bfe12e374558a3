"""Who may do what on the officer site, from agency memberships.

Every officer page needs the same access facts: the person's active memberships (agency and role)
and whether they have a TOTP second factor. Reading them from the database costs two queries on
every request, as much as the rest of a cached page, so `officer_required` keeps them in the
session for OFFICER_ACCESS_SECONDS (default 60; 0 reads them from the database every time), stamped
with the user's *access version*: a random number in the shared cache that changes whenever one of
the user's memberships or authenticators is saved or deleted, or an agency they belong to changes
(government.signals, and MembershipQuerySet.update()). Facts carrying another version are read again
from the database, so a revoked role or a removed second factor takes effect on the next request.

The version is read before the database, and changed both at once and again when the transaction
commits: a request that read the old rows while the change was being written cannot keep them
under the new number. Writes that bypass models and querysets (raw SQL, bulk_create) must call
`bump_access(user_id, ...)` themselves; if they forget, the lifetime still bounds the staleness.
Services check roles against the database again before any write (feedback.officer_access.roles_for).
A cache that lost the version (emptied, restarted, unreachable) costs the two queries, not a session
write: facts the rows confirm keep their version (`_adopt`).
"""

import functools
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import BooleanField, Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from smarthp.sql import Compiled, id_marker

from .models import Agency, Membership

SESSION_KEY = "_officer_access"
DEFAULT_ACCESS_SECONDS = 60


def memberships_of(user):
    """`user`'s active memberships with their agencies (one query)."""
    if not user.is_authenticated:
        return Membership.objects.none()
    # Not agency__unit: nothing on the officer site shows it, and a ward's boundary is heavy.
    return Membership.objects.active().filter(user=user).select_related("agency")


def _active_rows(user):
    from allauth.mfa.models import Authenticator

    columns = [*_columns(Membership), *(f"agency__{name}" for name in _columns(Agency))]
    # Whether the person has a TOTP factor, on every row: one round trip for both facts.
    totp = Exists(Authenticator.objects.filter(user_id=OuterRef("user_id"), type=Authenticator.Type.TOTP))
    return (
        Membership.objects.active()
        .filter(user_id=user)
        .annotate(totp=totp)
        .order_by("pk")
        .values_list(*columns, "totp")
    )


# The read of every officer page whose facts are not kept: compiled once (smarthp.sql).
_active = Compiled(_active_rows, user=id_marker())


def _read(user):
    """(active memberships with their agencies, has a TOTP factor) from the database, in one query
    compiled once: memberships_of() and allauth.mfa's TOTP authenticator. Without an active
    membership the second factor does not matter (the officer site is a 404) and reads as False."""
    width = len(_columns(Membership))
    rows = _active.run(user=user.pk)
    memberships = [_instance(user, row[:width], row[width:-1]) for row in rows]
    return memberships, bool(rows and rows[0][-1])


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


# --- Access version -----------------------------------------------------------------------------


def access_seconds():
    return getattr(settings, "OFFICER_ACCESS_SECONDS", DEFAULT_ACCESS_SECONDS)


def _version_key(user_id):
    return f"government:officer-access:{user_id}"


def _bump(user_ids):
    cache.set_many({_version_key(pk): uuid.uuid4().hex for pk in user_ids}, timeout=None)


def bump_access(*user_ids):
    """Make the access facts kept in these users' sessions stale, now and again on commit."""
    user_ids = {pk for pk in user_ids if pk is not None}
    if not user_ids:
        return
    _bump(user_ids)
    transaction.on_commit(lambda: _bump(user_ids))


def access_version(user_id):
    """The user's current access version; a new one when the cache has none (first visit, eviction)."""
    key = _version_key(user_id)
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(key, version, timeout=None):
            # Another request (or a change) got there first: use theirs, so that both agree.
            version = cache.get(key) or version
    return version


# --- Access facts -------------------------------------------------------------------------------


# The session keeps every column of a membership and of its agency (a few short strings), so that
# the instances rebuilt from it behave exactly like rows read from the database: no deferred field
# that would quietly cost a query. The values are kept in the order of the model's columns.


@functools.cache
def _columns(model):
    return tuple(field.attname for field in model._meta.concrete_fields)


@functools.cache
def _shape():
    """The columns the facts were written with: facts from before a change of the models are not used."""
    return ",".join([*_columns(Membership), "/", *_columns(Agency)])


def _facts(user, version, memberships, second_factor):
    return {
        "user": user.pk,
        "version": version,
        "shape": _shape(),
        "at": int(time.time()),
        "totp": second_factor,
        "memberships": [
            [
                [getattr(membership, name) for name in _columns(Membership)],
                [getattr(membership.agency, name) for name in _columns(Agency)],
            ]
            for membership in memberships
        ],
    }


def _rebuild(user, facts):
    """Membership instances (with their agencies) from the session's facts, as from the database."""
    return [_instance(user, membership, agency) for membership, agency in facts["memberships"]]


def _usable(facts, user, version, lifetime):
    return (
        isinstance(facts, dict)
        and facts.get("user") == user.pk
        and facts.get("version") == version
        and facts.get("shape") == _shape()
        and 0 <= time.time() - facts.get("at", 0) < lifetime
    )


def officer_access(request):
    """(active memberships, has a TOTP second factor) of the signed-in user: from the session when
    still current (see the module docstring), otherwise from the database (then kept)."""
    user = request.user
    lifetime = access_seconds()
    if lifetime <= 0:
        return _read(user)
    facts = request.session.get(SESSION_KEY)
    kept = cache.get(_version_key(user.pk))
    if kept is not None and _usable(facts, user, kept, lifetime):
        return _rebuild(user, facts), facts["totp"]
    if kept is None and _usable(facts, user, facts.get("version") if isinstance(facts, dict) else None, lifetime):
        adopted = _adopt(user, facts)
        if adopted is not None:
            return adopted
    version = access_version(user.pk)  # before the database, see the module docstring
    memberships, second_factor = _read(user)
    request.session[SESSION_KEY] = _facts(user, version, memberships, second_factor)
    return memberships, second_factor


def _adopt(user, facts):
    """The cache lost the user's access version (evicted, restarted, emptied, unreachable) while
    their session still holds facts: read the rows, and if the facts say the same, this request has
    what it needs, the session is not written (three statements on every officer's every request
    after the cache is emptied) and the facts' version becomes the current one again. If a change
    set a version meanwhile, `cache.add` keeps it and the next request reads again under it."""
    memberships, second_factor = _read(user)
    now = _facts(user, facts["version"], memberships, second_factor)
    if now["memberships"] != facts["memberships"] or now["totp"] != facts["totp"]:
        return None
    cache.add(_version_key(user.pk), facts["version"], timeout=None)
    return memberships, second_factor


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
