"""Signing in (phone or e-mail + password, or a code by SMS), forgotten password, changing the
password and the phone number, signing out."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from citizens.models import PhoneCode

from .conftest import PHONE, last_code, sms_count, wrong_code

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "mật-khẩu-thử-1"


@pytest.fixture
def citizen(make_user):
    return make_user(username="an", phone=PHONE, phone_verified=True, full_name="Nguyễn Văn An")


def login(client, login, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def signed_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize("typed", ["0912345678", "0912 345 678", "+84912345678", "84912345678"])
def test_a_citizen_signs_in_with_the_phone_however_it_is_written(client, citizen, typed):
    response = login(client, typed)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_as(client) == str(citizen.pk)


def test_a_citizen_who_added_an_email_signs_in_with_it(client, citizen):
    EmailAddress.objects.create(user=citizen, email="an@example.vn", verified=True, primary=True)
    assert login(client, "an@example.vn").status_code == 302
    assert signed_in_as(client) == str(citizen.pk)


def test_a_wrong_password_gets_a_vietnamese_message(client, citizen):
    response = login(client, "0912345678", "sai-mật-khẩu")
    assert response.status_code == 200
    assert "Số điện thoại hoặc mật khẩu không đúng." in response.content.decode()
    assert signed_in_as(client) is None


def test_a_mistyped_number_is_called_a_wrong_number_not_a_wrong_user_name(client, citizen):
    response = login(client, "0912 345")
    assert "Số điện thoại di động không hợp lệ" in response.content.decode()


def test_five_wrong_passwords_lock_the_account_for_a_while_however_the_number_is_typed(client, citizen):
    """Failures count per account: writing the number five different ways does not get more tries."""
    for typed in ["0912345678", "0912 345 678", "+84912345678", "84912345678", "0912.345.678"]:
        login(client, typed, "sai-mật-khẩu")
    response = login(client, "0912345678")
    assert "Bạn đã nhập sai quá nhiều lần" in response.content.decode()
    assert signed_in_as(client) is None


def test_failures_on_one_account_do_not_lock_another(client, citizen, bob):
    for _ in range(5):
        login(client, "0912345678", "sai-mật-khẩu")
    assert login(client, "0911000002").status_code == 302
    assert signed_in_as(client) == str(bob.pk)


def test_sign_in_by_sms_code(client, citizen):
    response = client.post(reverse("account_request_login_code"), {"phone": "0912 345 678"})
    assert response["Location"] == reverse("account_confirm_login_code")
    page = client.get(response["Location"]).content.decode()
    assert "0912 345 678" in page and "Nhập mã đăng nhập" in page
    response = client.post(reverse("account_confirm_login_code"), {"code": last_code()})
    assert response.status_code == 302
    assert signed_in_as(client) == str(citizen.pk)


def test_a_code_for_an_unknown_number_is_refused_and_nothing_is_sent(client):
    response = client.post(reverse("account_request_login_code"), {"phone": "0912 345 678"})
    assert "Số điện thoại này chưa đăng ký tài khoản" in response.content.decode()
    assert sms_count() == 0


def test_a_pending_signup_cannot_sign_in_by_code(client, make_user):
    """A number whose sign-up was never confirmed has no account yet."""
    make_user(username="cho", phone=PHONE, phone_verified=False)
    response = client.post(reverse("account_request_login_code"), {"phone": "0912345678"})
    assert "chưa đăng ký tài khoản" in response.content.decode()


def test_signing_in_with_a_password_before_the_number_is_confirmed_asks_for_the_code(client, make_user):
    user = make_user(username="cho", phone=PHONE, phone_verified=False)
    User.objects.filter(pk=user.pk).update(last_login="2025-01-01T00:00:00Z")  # not a pending sign-up
    response = login(client, "0912345678")
    assert response["Location"] == reverse("account_verify_phone")
    assert signed_in_as(client) is None
    client.post(reverse("account_verify_phone"), {"code": last_code()})
    assert signed_in_as(client) == str(user.pk)
    user.refresh_from_db()
    assert user.phone_verified


# --- Forgotten password ---------------------------------------------------------------------------


def test_forgotten_password_code_by_sms_then_a_new_password(client, citizen):
    page = client.get(reverse("account_reset_password")).content.decode()
    assert "Quên mật khẩu" in page
    response = client.post(reverse("account_reset_password"), {"phone": "0912 345 678"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_confirm_login_code"))
    response = client.post(response["Location"], {"code": last_code()})
    assert response["Location"] == reverse("citizens:new_password")
    response = client.post(
        reverse("citizens:new_password"), {"password1": "mật-khẩu-mới-2025", "password2": "mật-khẩu-mới-2025"}
    )
    assert response["Location"] == reverse("citizens:profile")
    citizen.refresh_from_db()
    assert citizen.check_password("mật-khẩu-mới-2025")
    client.post(reverse("account_logout"))
    assert login(client, "0912345678", "mật-khẩu-mới-2025").status_code == 302


def test_forgotten_password_for_an_unknown_number_says_so(client):
    response = client.post(reverse("account_reset_password"), {"phone": "0912 345 678"})
    assert "chưa đăng ký tài khoản" in response.content.decode()
    assert sms_count() == 0


def test_forgotten_password_with_a_wrong_code_sets_nothing(client, citizen):
    client.post(reverse("account_reset_password"), {"phone": "0912345678"})
    response = client.post(reverse("account_confirm_login_code"), {"code": wrong_code(last_code())})
    assert "Mã xác thực không đúng" in response.content.decode()
    response = client.get(reverse("citizens:new_password"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_the_new_password_page_needs_a_fresh_sms_sign_in(client, citizen):
    """Signed in with a password, the page sends the citizen to the ordinary change (old password asked)."""
    login(client, "0912345678")
    response = client.get(reverse("citizens:new_password"))
    assert response["Location"] == reverse("account_change_password")


def test_the_two_new_passwords_must_match(client, citizen):
    client.post(reverse("account_reset_password"), {"phone": "0912345678"})
    client.post(reverse("account_confirm_login_code"), {"code": last_code()})
    response = client.post(reverse("citizens:new_password"), {"password1": "mật-khẩu-mới-2025", "password2": "khác"})
    assert "Hai lần nhập mật khẩu không giống nhau." in response.content.decode()


# --- Changing the password and the phone ------------------------------------------------------------


def test_change_password_asks_for_the_current_one(client, citizen):
    login(client, "0912345678")
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "sai", "password1": "mật-khẩu-mới-2025", "password2": "mật-khẩu-mới-2025"},
    )
    assert "Mật khẩu hiện tại không đúng." in response.content.decode()
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "mật-khẩu-mới-2025", "password2": "mật-khẩu-mới-2025"},
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password("mật-khẩu-mới-2025")


def test_the_new_phone_replaces_the_old_only_once_its_code_is_confirmed(client, citizen):
    login(client, "0912345678")
    response = client.post(reverse("account_change_phone"), {"phone": "0987 654 321"})
    assert response["Location"] == reverse("account_verify_phone")
    citizen.refresh_from_db()
    assert citizen.phone == PHONE  # not yet
    new_code = last_code("+84987654321")
    response = client.post(reverse("account_verify_phone"), {"code": wrong_code(new_code)})
    citizen.refresh_from_db()
    assert citizen.phone == PHONE
    client.post(reverse("account_verify_phone"), {"code": new_code})
    citizen.refresh_from_db()
    assert citizen.phone == "+84987654321" and citizen.phone_verified
    client.post(reverse("account_logout"))
    assert login(client, "0987654321").status_code == 302


def test_a_new_phone_already_registered_is_refused(client, citizen, alice):
    login(client, "0912345678")
    response = client.post(reverse("account_change_phone"), {"phone": "0911 000 001"})
    assert "Số điện thoại này đã được đăng ký" in response.content.decode()
    assert not PhoneCode.objects.filter(phone=alice.phone).exists()


def test_the_same_number_is_not_a_change(client, citizen):
    login(client, "0912345678")
    response = client.post(reverse("account_change_phone"), {"phone": "0912 345 678"})
    assert "Số mới phải khác số hiện tại." in response.content.decode()


def test_signing_out(client, citizen):
    login(client, "0912345678")
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert signed_in_as(client) is None


def test_the_account_pages_speak_vietnamese(client, citizen):
    login(client, "0912345678")
    pages = {
        reverse("account_login"): None,
        reverse("citizens:profile"): "Tài khoản cá nhân",
        reverse("account_change_password"): "Đổi mật khẩu",
        reverse("account_change_phone"): "Đổi số điện thoại",
        reverse("account_email"): "Địa chỉ email",
        reverse("usersessions_list"): "Phiên đăng nhập",
        reverse("mfa_index"): "Xác thực hai lớp",
    }
    for url, title in pages.items():
        response = client.get(url)
        if title:
            assert response.status_code == 200, url
            assert title in response.content.decode(), url
