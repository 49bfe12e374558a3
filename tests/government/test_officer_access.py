"""The officer site's access facts (memberships, second factor), read with the signed-in person
(citizens.backends): no query of their own, and any change of a person's roles or second factor,
or of their agency, takes effect on the very next request, however it was made."""

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citizens.backends import ModelBackend
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
    """The officer's browser, after a first visit."""
    client.force_login(officer)
    assert client.get(URL).status_code == 200
    return client


def access_queries(client):
    """The SQL a visit runs on memberships and authenticators, but for the read of who is signed in."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    tables = ("government_membership", "mfa_authenticator")
    queries = [q["sql"] for q in captured.captured_queries if 'FROM "citizens_user"' not in q["sql"]]
    return response, [sql for sql in queries if any(t in sql for t in tables)]


def test_the_facts_come_with_the_person_and_cost_no_query_of_their_own(signed_in):
    response, queries = access_queries(signed_in)
    assert queries == []
    assert ROLE_LINE in response.content.decode()
    with CaptureQueriesContext(connection) as captured:
        signed_in.get(URL)
    reads_of_the_user = [q["sql"] for q in captured.captured_queries if 'FROM "citizens_user"' in q["sql"]]
    assert len(reads_of_the_user) == 1 and "government_membership" in reads_of_the_user[0]


def test_a_person_read_elsewhere_costs_one_query(officer, agency):
    """A user object that citizens.backends did not read (the API's token, a script): one read."""
    request = RequestFactory().get(URL)
    request.user = officer
    with CaptureQueriesContext(connection) as captured:
        memberships, second_factor = access.officer_access(request)
    assert len(captured) == 1
    assert [m.agency.name for m in memberships] == ["Sở Xây dựng"] and second_factor is True


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


def test_a_change_made_in_raw_sql_shows_at_once(signed_in, officer):
    """Nothing is kept to invalidate: a change that bypasses the models shows on the next request."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE government_membership SET is_active = %s WHERE user_id = %s", [False, officer.pk])
    assert signed_in.get(URL).status_code == 404


def test_the_facts_are_those_of_the_person_signed_in(client, officer, make_user):
    citizen = make_user(username="dan")
    client.force_login(officer)
    assert client.get(URL).status_code == 200
    client.force_login(citizen)
    assert client.get(URL).status_code == 404


def test_a_second_factor_removed_in_raw_sql_is_required_again(signed_in, officer):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM mfa_authenticator WHERE user_id = %s", [officer.pk])
    response = signed_in.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_activate_totp"))


def _read_with_the_person(person):
    """The facts as an officer page gets them: read with the person by citizens.backends."""
    request = RequestFactory().get(URL)
    request.user = ModelBackend().get_user(person.pk)
    return access.officer_access(request)


@pytest.mark.parametrize("read", [access._read, _read_with_the_person], ids=["alone", "with the person"])
def test_both_reads_give_what_the_orm_gives(read, officer, agency, make_user):
    """Each way of reading the facts against memberships_of() and allauth's authenticators."""
    other = Agency.objects.create(name="UBND Phường Lê Chân", slug="ubnd-le-chan", kind=AgencyKind.WARD_COMMITTEE)
    Membership.objects.create(user=officer, agency=other, role=Role.LEADER)
    Membership.objects.create(user=officer, agency=other, role=Role.EDITOR, is_active=False)
    closed = Agency.objects.create(name="Đã giải thể", slug="closed", kind=AgencyKind.DEPARTMENT, is_active=False)
    Membership.objects.create(user=officer, agency=closed, role=Role.OFFICER)
    citizen = make_user(username="citizen")

    for person in (officer, citizen):
        memberships, second_factor = read(person)
        expected = sorted(access.memberships_of(person), key=lambda m: m.pk)
        assert [(m.pk, m.role, m.is_active, m.agency.name, m.agency.is_active) for m in memberships] == [
            (m.pk, m.role, m.is_active, m.agency.name, m.agency.is_active) for m in expected
        ]
        assert all(m.is_active is True and m.agency.is_active is True for m in memberships)
        has_totp = Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
        assert second_factor is (has_totp and bool(expected))
        assert all(m.user_id == person.pk and m.agency_id == m.agency.pk for m in memberships)
        # Every column, of the membership and of its agency, as the ORM gives it (a type JSON does
        # not carry, such as a date, would show here).
        for got, want in zip(memberships, expected, strict=True):
            for model_object, orm_object in ((got, want), (got.agency, want.agency)):
                for field in type(orm_object)._meta.concrete_fields:
                    assert getattr(model_object, field.attname) == getattr(orm_object, field.attname), field.name
                    assert type(getattr(model_object, field.attname)) is type(getattr(orm_object, field.attname))
    assert len(read(officer)[0]) == 2 and read(officer)[1] is True
    assert read(citizen) == ([], False)
    Authenticator.objects.filter(user=officer).delete()
    assert read(officer)[1] is False
    with CaptureQueriesContext(connection) as queries:
        read(officer)
    assert len(queries) == 1
