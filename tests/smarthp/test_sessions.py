"""Who is signed in, read in two compiled queries: the session (smarthp.sessions) and the user
(citizens.backends). Same answers as Django's own engine and backends, through HTTP too."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db as django_db
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from citizens.backends import AuthenticationBackend, ModelBackend
from smarthp.sessions import cached_db, db

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[db.SessionStore, cached_db.SessionStore], ids=["db", "cached_db"])
def store(request):
    return request.param


def saved(store, **data):
    session = store()
    session.update(data)
    session.save()
    return session.session_key


def test_a_live_session_reads_what_was_saved_in_one_query(store):
    key = saved(store, answer=42, name="Nguyễn Thị Hoà")

    with CaptureQueriesContext(connection) as queries:
        session = store(key)
        assert session["answer"] == 42
        assert session["name"] == "Nguyễn Thị Hoà"
    assert len(queries) <= 1  # cached_db may answer from the cache
    assert session.session_key == key


def test_an_expired_session_is_empty_and_gets_a_new_key_on_save(store):
    key = saved(store, answer=42)
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    caches[settings.SESSION_CACHE_ALIAS].delete(KEY_PREFIX + key)  # cached_db: the database answers

    session = store(key)
    assert session.load() == {}
    assert session.session_key is None
    session["fresh"] = True
    session.save()
    assert session.session_key not in (None, key)


def test_an_unknown_or_missing_key_reads_nothing(store):
    assert store(None).load() == {}
    assert store("x" * 32).load() == {}
    with CaptureQueriesContext(connection) as queries:
        db.SessionStore(None).load()  # no cookie: nothing to look up (cached_db makes a key first)
    assert len(queries) == 0


def test_the_same_data_as_djangos_own_engine(store):
    key = saved(store, answer=[1, "hai", None])
    assert store(key).load() == django_db.SessionStore(key).load()


def test_the_row_read_carries_its_expiry(store):
    """cached_db keeps a session read from the database in the cache until its expire_date: the
    row read must carry it, or a session would outlive its expiry there."""
    session = store()
    session.set_expiry(300)
    session["answer"] = 42
    session.save()

    row = store(session.session_key)._get_session_from_db()

    assert row.expire_date == Session.objects.get(pk=session.session_key).expire_date
    assert timezone.is_aware(row.expire_date)
    assert 290 <= store(session.session_key).get_expiry_age(expiry=row.expire_date) <= 300


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_get_user_gives_the_row_as_the_orm_gives_it(backend, alice):
    get_user_model().objects.filter(pk=alice.pk).update(last_login=timezone.now(), full_name="Alice Hoà")
    expected = get_user_model().objects.get(pk=alice.pk)

    found = backend().get_user(str(alice.pk))  # the session holds the id as text

    assert found == expected
    for field in get_user_model()._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert timezone.is_aware(found.last_login)
    assert found.is_active is True and found.phone_verified is expected.phone_verified
    assert found._state.adding is False and found._state.db == "default"


def test_get_user_refuses_an_inactive_unknown_or_garbled_id(alice):
    backend = ModelBackend()
    assert backend.get_user(alice.pk + 1000) is None
    assert backend.get_user("1 OR 1=1") is None
    get_user_model().objects.filter(pk=alice.pk).update(is_active=False)
    assert backend.get_user(alice.pk) is None


def test_a_signed_in_page_reads_the_session_and_the_user_once(client, alice):
    client.force_login(alice)
    assert client.session[BACKEND_SESSION_KEY] == "citizens.backends.ModelBackend"

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("citizens:profile"))

    assert response.status_code == 200
    assert response.wsgi_request.user == alice
    sessions = [q for q in queries if "django_session" in q["sql"]]
    users = [q for q in queries if 'FROM "citizens_user"' in q["sql"] and "WHERE" in q["sql"]]
    assert len(sessions) <= 1  # none where Redis holds it (cached_db)
    assert len(users) >= 1


def test_signing_in_through_allauth_keeps_working(client, alice):
    alice.set_password("a-long-passphrase-42")
    alice.save()
    response = client.post(reverse("account_login"), {"login": alice.username, "password": "a-long-passphrase-42"})

    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] in settings.AUTHENTICATION_BACKENDS
    assert client.get(reverse("citizens:profile")).wsgi_request.user == alice


def test_a_session_of_a_backend_no_longer_listed_is_signed_out_not_an_error(client, alice):
    """Sessions signed in before citizens.backends name Django's own backend: their holders sign in
    again, as Django treats any backend the settings no longer list."""
    client.force_login(alice)
    session = client.session
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()

    response = client.get(reverse("citizens:profile"))

    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize("cookie", ["abc\x00defghijkl", "x" * 5000, "' OR 1=1 --xxxxxxx", "ü" * 40, "ABCDEFGH12"])
def test_a_cookie_that_is_no_session_key_is_no_session(client, cookie):
    """Never a query for it (on PostgreSQL a NUL byte in the key was a 500), and the page as for a visitor."""
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("citizens:profile"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert not any("django_session" in query["sql"] for query in queries)


def test_a_key_as_django_makes_them_is_read(store):
    key = saved(store, answer=1)
    assert len(key) == 32 and store(key).session_key == key and store(key)["answer"] == 1
