"""The citizens app's demo data and its pages in the administration."""

import pytest
from django.contrib.auth import get_user_model

from citizens import demo as citizens_demo
from citizens import sms
from citizens.models import Consent, Profile
from government import demo as government_demo

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_the_demo_citizen_gets_a_profile_and_consents_and_a_second_load_changes_nothing():
    government_demo.load()
    citizens_demo.load()
    citizens_demo.load()
    citizen = User.objects.get(phone=citizens_demo.DEMO_CITIZEN_PHONE)
    profile = Profile.objects.get(user=citizen)
    assert profile.ward.code == "11383" and profile.residential_group.name == "Tổ dân phố 2"
    assert Consent.objects.filter(user=citizen).count() == 2


def test_the_demo_citizen_signs_in_with_the_documented_number_and_password(client):
    government_demo.load()
    response = client.post("/accounts/login/", {"login": "0912345678", "password": government_demo.DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(phone="+84912345678").pk)


def test_administrators_manage_accounts_and_see_sms_delivery_but_not_its_text(admin_client, alice):
    sms.send_sms(alice.phone, "Ma xac thuc 654321")
    assert admin_client.get("/quan-tri/citizens/user/").status_code == 200
    assert admin_client.get(f"/quan-tri/citizens/user/{alice.pk}/change/").status_code == 200
    assert admin_client.get("/quan-tri/citizens/user/add/").status_code == 200
    page = admin_client.get("/quan-tri/citizens/outboundsms/").content.decode()
    assert "+84911000001" in page and "654321" not in page


def test_an_administrator_creates_an_officer_account(admin_client):
    """Officer accounts come from the administration; the officer then signs in with the user name."""
    response = admin_client.post(
        "/quan-tri/citizens/user/add/",
        {
            "username": "canbo.moi",
            "full_name": "Đinh Văn Mới",
            "email": "moi@example.vn",
            "usable_password": "true",
            "password1": "mat-khau-rat-dai-2025",
            "password2": "mat-khau-rat-dai-2025",
        },
    )
    assert response.status_code == 302
    officer = User.objects.get(username="canbo.moi")
    assert officer.full_name == "Đinh Văn Mới" and officer.phone is None
    assert officer.check_password("mat-khau-rat-dai-2025")


def test_a_demo_officer_signs_in_with_the_code_that_demo_code_prints(client):
    """The demo officers' second factor is the published demo secret: `demo_code` gives a code
    that the TOTP step accepts, and the officer lands on the officer site."""
    from io import StringIO

    from django.core.management import call_command

    government_demo.load()
    citizens_demo.load()
    response = client.post("/accounts/login/", {"login": "canbo.lechan", "password": government_demo.DEMO_PASSWORD})
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
    out = StringIO()
    call_command("demo_code", stdout=out)
    response = client.post("/accounts/2fa/authenticate/", {"code": out.getvalue().strip()})
    assert response.status_code == 302
    assert client.get("/can-bo/").status_code == 200
