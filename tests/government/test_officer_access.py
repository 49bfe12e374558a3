"""The officer site's access facts (memberships, second factor) kept in the session for a minute:
they save two queries a page, and any change of a person's roles or second factor, or of their
agency, takes effect on the very next request."""

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from government import access
from government.models import Agency, AgencyKind, Membership, Role

pytestmark = pytest.mark.django_db

URL = "/can-bo/"
ROLE_LINE = "Cán bộ xử lý – Sở Xây dựng"


@pytest.fixture
def officer(officer):
    Authenticator.objects.create(user=officer, type=Authenticator.Type.TOTP, data={"secret": "unused-in-these-tests"})
    return officer


@pytest.fixture
def signed_in(client, officer):
    """The officer's browser, after a first visit that kept the access facts in its session."""
    client.force_login(officer)
    assert client.get(URL).status_code == 200
    return client


def access_queries(client):
    """The SQL a visit runs on memberships and authenticators."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    tables = ("government_membership", "mfa_authenticator")
    return response, [q["sql"] for q in captured.captured_queries if any(t in q["sql"] for t in tables)]


def test_a_second_visit_reads_the_access_facts_from_the_session(signed_in):
    response, queries = access_queries(signed_in)
    assert queries == []
    assert ROLE_LINE in response.content.decode()


def test_without_a_lifetime_every_visit_reads_the_database(signed_in, settings):
    settings.OFFICER_ACCESS_SECONDS = 0
    response, queries = access_queries(signed_in)
    assert response.status_code == 200 and len(queries) == 1  # memberships and the second factor at once


def test_a_membership_switched_off_closes_the_site_at_once(signed_in, officer):
    membership = Membership.objects.get(user=officer)
    membership.is_active = False
    membership.save()
    assert signed_in.get(URL).status_code == 404


def test_a_deleted_membership_closes_the_site_at_once(signed_in, officer):
    Membership.objects.get(user=officer).delete()
    assert signed_in.get(URL).status_code == 404


def test_memberships_switched_off_in_bulk_close_the_site_at_once(signed_in, officer):
    Membership.objects.filter(user=officer).update(is_active=False)
    assert signed_in.get(URL).status_code == 404


def test_an_agency_switched_off_closes_the_site_to_its_members_at_once(signed_in, agency):
    agency.is_active = False
    agency.save()
    assert signed_in.get(URL).status_code == 404


def test_agencies_switched_off_in_bulk_close_the_site_at_once(signed_in, agency):
    Agency.objects.filter(pk=agency.pk).update(is_active=False)
    assert signed_in.get(URL).status_code == 404


def test_a_renamed_agency_shows_its_new_name_at_once(signed_in, agency):
    agency.name = "Sở Xây dựng Hải Phòng"
    agency.save()
    assert "Cán bộ xử lý – Sở Xây dựng Hải Phòng" in signed_in.get(URL).content.decode()


def test_a_new_role_shows_at_once(signed_in, officer):
    police = Agency.objects.create(name="Công an phường Lê Chân", slug="ca-le-chan", kind=AgencyKind.POLICE)
    Membership.objects.create(user=officer, agency=police, role=Role.LEADER)
    content = signed_in.get(URL).content.decode()
    assert ROLE_LINE in content and "Lãnh đạo – Công an phường Lê Chân" in content


def test_a_citizen_given_a_role_enters_at_once(client, alice, agency):
    Authenticator.objects.create(user=alice, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(alice)
    assert client.get(URL).status_code == 404
    Membership.objects.create(user=alice, agency=agency, role=Role.OFFICER)
    assert client.get(URL).status_code == 200


def test_a_removed_second_factor_is_required_again_at_once(signed_in, officer):
    Authenticator.objects.filter(user=officer).delete()
    response = signed_in.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_activate_totp"))


def test_facts_expire_after_their_lifetime_even_without_a_signal(signed_in, officer, monkeypatch, settings):
    """A change that bypasses the models (raw SQL) still shows once the facts are a minute old."""
    settings.OFFICER_ACCESS_SECONDS = 60
    with connection.cursor() as cursor:
        cursor.execute("UPDATE government_membership SET is_active = %s WHERE user_id = %s", [False, officer.pk])
    assert signed_in.get(URL).status_code == 200  # still within the minute
    now = access.time.time()
    monkeypatch.setattr(access.time, "time", lambda: now + 61)
    assert signed_in.get(URL).status_code == 404


def test_a_change_bumps_the_version_again_when_it_commits(officer, django_capture_on_commit_callbacks):
    """A request that read the old rows while the change was being written cannot keep them under
    the version set at the start of the change."""
    before = access.access_version(officer.pk)
    with django_capture_on_commit_callbacks() as callbacks:
        Membership.objects.filter(user=officer).update(role=Role.LEADER)
        during = access.access_version(officer.pk)
    assert during != before and callbacks
    for callback in callbacks:
        callback()
    assert access.access_version(officer.pk) not in (before, during)


def test_facts_of_another_person_are_never_used(client, officer, make_user, agency):
    """Facts are stamped with the user: a session that somehow holds another person's are read again."""
    citizen = make_user(username="dan")
    client.force_login(officer)
    client.get(URL)
    facts = client.session[access.SESSION_KEY]
    client.force_login(citizen)
    session = client.session
    session[access.SESSION_KEY] = {**facts, "version": access.access_version(citizen.pk)}
    session.save()
    assert client.get(URL).status_code == 404


def _queries_of(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_after_the_cache_is_emptied_the_facts_are_checked_not_written_again(signed_in, officer):
    """The cache lost the version: the rows are read again and, being what the session says, the
    session is not written and the next request needs neither."""
    from django.core.cache import cache

    cache.clear()
    first = _queries_of(signed_in)
    assert any("government_membership" in sql for sql in first)
    assert not any(sql.startswith("UPDATE") and "django_session" in sql for sql in first)
    second = _queries_of(signed_in)
    assert not any("government_membership" in sql or "mfa_authenticator" in sql for sql in second)


def test_after_the_cache_is_emptied_a_change_still_shows_at_once(signed_in, officer, agency):
    from django.core.cache import cache

    cache.clear()
    with connection.cursor() as cursor:  # no signal: only the rows tell
        cursor.execute("UPDATE government_membership SET is_active = %s WHERE user_id = %s", [False, officer.pk])
    assert signed_in.get(URL).status_code == 404
    with connection.cursor() as cursor:
        cursor.execute("UPDATE government_membership SET is_active = %s WHERE user_id = %s", [True, officer.pk])
    cache.clear()
    assert signed_in.get(URL).status_code == 200


def test_after_the_cache_is_emptied_a_removed_second_factor_is_required_again(signed_in, officer):
    from django.core.cache import cache

    cache.clear()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM mfa_authenticator WHERE user_id = %s", [officer.pk])
    response = signed_in.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_activate_totp"))


def test_a_change_made_while_the_facts_are_checked_is_not_overwritten(signed_in, officer, monkeypatch):
    """The version a change sets while a request compares the rows wins: the next request reads
    again under it."""
    from django.core.cache import cache

    cache.clear()
    original = access._read

    def meanwhile(user):
        found = original(user)
        access.bump_access(user.pk)  # a change of this person's roles, just then
        return found

    monkeypatch.setattr(access, "_read", meanwhile)
    assert signed_in.get(URL).status_code == 200
    monkeypatch.setattr(access, "_read", original)
    assert cache.get(access._version_key(officer.pk)) != signed_in.session[access.SESSION_KEY]["version"]
    assert any("government_membership" in sql for sql in _queries_of(signed_in))


def test_the_compiled_reads_give_what_the_orm_gives(officer, agency, make_user):
    """access._read (one query compiled once) against memberships_of() and allauth's authenticators."""
    other = Agency.objects.create(name="UBND Phường Lê Chân", slug="ubnd-le-chan", kind=AgencyKind.WARD_COMMITTEE)
    Membership.objects.create(user=officer, agency=other, role=Role.LEADER)
    Membership.objects.create(user=officer, agency=other, role=Role.EDITOR, is_active=False)
    closed = Agency.objects.create(name="Đã giải thể", slug="closed", kind=AgencyKind.DEPARTMENT, is_active=False)
    Membership.objects.create(user=officer, agency=closed, role=Role.OFFICER)
    citizen = make_user(username="citizen")

    for person in (officer, citizen):
        memberships, second_factor = access._read(person)
        expected = sorted(access.memberships_of(person), key=lambda m: m.pk)
        assert [(m.pk, m.role, m.is_active, m.agency.name, m.agency.is_active) for m in memberships] == [
            (m.pk, m.role, m.is_active, m.agency.name, m.agency.is_active) for m in expected
        ]
        assert all(m.is_active is True and m.agency.is_active is True for m in memberships)
        has_totp = Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
        assert second_factor is (has_totp and bool(expected))
    assert len(access._read(officer)[0]) == 2 and access._read(officer)[1] is True
    assert access._read(citizen) == ([], False)
    Authenticator.objects.filter(user=officer).delete()
    assert access._read(officer)[1] is False
    with CaptureQueriesContext(connection) as queries:
        access._read(officer)
    assert len(queries) == 1
