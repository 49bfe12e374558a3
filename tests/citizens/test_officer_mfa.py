"""Officers: accounts made by administrators, password plus a TOTP second factor, landing on /can-bo/."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "mật-khẩu-thử-1"
OFFICE = reverse("government:officer_home")


def totp_now(secret, steps_ago=0):
    """The code an authenticator app shows now (or `steps_ago` 30-second steps ago)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 - steps_ago))


def password_step(client, login="officer", password=PASSWORD):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def signed_in(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def officer_with_totp(officer):
    secret = generate_totp_secret()
    TOTP.activate(officer, secret)
    officer.totp_secret = secret
    return officer


def test_an_officer_without_a_second_factor_is_sent_to_set_one_up(client, officer):
    response = password_step(client)
    assert response["Location"] == OFFICE  # officers land on the officer site
    response = client.get(OFFICE)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_activate_totp')}?next=%2Fcan-bo%2F"


def test_setting_up_totp_then_entering_the_officer_site(client, officer):
    password_step(client)
    # allauth asks for the password again before a second factor is added.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert "Xác nhận lại" in client.get(response["Location"]).content.decode()
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    assert "Bật xác thực hai lớp" in page and "data:image/svg+xml;base64," in page
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000" if totp_now(secret) != "000000" else "1"})
    assert "Mã không đúng." in response.content.decode()
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_now(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    page = client.get(response["Location"]).content.decode()
    assert "Mã khôi phục" in page and "Tiếp tục đến trang cán bộ" in page
    assert client.get(OFFICE).status_code == 200


def test_signing_in_an_officer_takes_the_totp_code(client, officer_with_totp):
    response = password_step(client)
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in(client) is None  # the password alone does not sign in
    assert client.get(OFFICE).status_code == 302
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Tài khoản của bạn được bảo vệ bằng xác thực hai lớp" in page
    response = client.post(reverse("mfa_authenticate"), {"code": "12345"})
    assert "Mã không đúng." in response.content.decode()
    assert signed_in(client) is None
    response = client.post(reverse("mfa_authenticate"), {"code": totp_now(officer_with_totp.totp_secret)})
    assert response["Location"] == OFFICE
    assert signed_in(client) == str(officer_with_totp.pk)
    assert client.get(OFFICE).status_code == 200


def test_a_code_that_just_turned_still_passes_but_not_an_older_one(client, officer_with_totp):
    """An officer who read the code just before it changed has one more step to type it."""
    password_step(client)
    old = totp_now(officer_with_totp.totp_secret, steps_ago=2)
    if old not in {totp_now(officer_with_totp.totp_secret, steps_ago=n) for n in (-1, 0, 1)}:
        client.post(reverse("mfa_authenticate"), {"code": old})
        assert signed_in(client) is None
    client.post(reverse("mfa_authenticate"), {"code": totp_now(officer_with_totp.totp_secret, steps_ago=1)})
    assert signed_in(client) == str(officer_with_totp.pk)


def test_a_recovery_code_also_passes_the_second_step(client, officer_with_totp):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes.activate(officer_with_totp).generate_codes()
    password_step(client)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response["Location"] == OFFICE


def test_signing_in_by_sms_code_still_takes_the_second_factor(client, officer_with_totp):
    from .conftest import last_code

    officer_with_totp.phone, officer_with_totp.phone_verified = "+84912345678", True
    officer_with_totp.save()
    client.post(reverse("account_request_login_code"), {"phone": "0912345678"})
    response = client.post(reverse("account_confirm_login_code"), {"code": last_code()})
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in(client) is None


def test_password_guessing_on_an_officer_account_is_throttled(client, officer_with_totp):
    for _ in range(5):
        response = password_step(client, password="đoán-sai")
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    response = password_step(client)  # the right password, too late
    assert "Bạn đã nhập sai quá nhiều lần" in response.content.decode()
    assert client.session.get("account_login") is None


def test_totp_guessing_is_throttled(client, officer_with_totp):
    password_step(client)
    for _ in range(5):
        client.post(reverse("mfa_authenticate"), {"code": "000001"})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_now(officer_with_totp.totp_secret)})
    assert "Bạn đã nhập sai quá nhiều lần" in response.content.decode()
    assert signed_in(client) is None


def test_an_officer_cannot_switch_the_second_factor_off(client, officer_with_totp):
    password_step(client)
    client.post(reverse("mfa_authenticate"), {"code": totp_now(officer_with_totp.totp_secret)})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(reverse("mfa_deactivate_totp"))
    assert "Tài khoản cán bộ bắt buộc dùng xác thực hai lớp" in response.content.decode()
    assert Authenticator.objects.filter(user=officer_with_totp, type=Authenticator.Type.TOTP).exists()


def test_a_citizen_gets_a_404_on_the_officer_site_whatever_they_set_up(client, alice):
    TOTP.activate(alice, generate_totp_secret())
    client.force_login(alice)
    assert client.get(OFFICE).status_code == 404


def test_the_admin_sign_in_goes_through_allauth_and_its_second_factor(client):
    response = client.get("/quan-tri/login/?next=/quan-tri/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
