"""The officer site's door: /can-bo/."""

import pytest

from government.models import Membership, Role

pytestmark = pytest.mark.django_db

URL = "/can-bo/"


@pytest.fixture
def officer(officer):
    """The shared `officer`, with the TOTP authenticator officers need to enter their site."""
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=officer, type=Authenticator.Type.TOTP, data={"secret": "unused-in-these-tests"})
    return officer


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/") and "next=/can-bo/" in response["Location"]


def test_a_citizen_without_an_agency_role_gets_404(client, alice):
    client.force_login(alice)
    assert client.get(URL).status_code == 404


def test_an_officer_sees_their_role_and_agency(client, officer):
    client.force_login(officer)
    response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Cán bộ xử lý – Sở Xây dựng" in content
    assert "Lê Văn Cường" in content


def test_an_inactive_membership_or_agency_opens_nothing(client, officer, agency):
    client.force_login(officer)
    Membership.objects.filter(user=officer).update(is_active=False)
    assert client.get(URL).status_code == 404
    Membership.objects.filter(user=officer).update(is_active=True)
    agency.is_active = False
    agency.save()
    assert client.get(URL).status_code == 404


def test_a_person_with_two_roles_sees_both(client, officer, agency):
    Membership.objects.create(user=officer, agency=agency, role=Role.LEADER)
    client.force_login(officer)
    content = client.get(URL).content.decode()
    assert "Cán bộ xử lý – Sở Xây dựng" in content and "Lãnh đạo – Sở Xây dựng" in content
