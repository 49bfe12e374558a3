"""Signing up with a phone number and an SMS code (allauth's phone flow, the project's adapter)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from citizens.models import Consent, ConsentPurpose, PhoneCode

from .conftest import PHONE, last_code, last_sms, sign_up, sms_count, start_signup, wrong_code

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_the_signup_page_is_in_vietnamese_with_unticked_consent_boxes(client):
    """The page asks for a mobile number, an optional password and one unticked box per purpose."""
    page = client.get(reverse("account_signup")).content.decode()
    assert "Đăng ký tài khoản" in page
    assert 'type="tel"' in page
    assert "Mật khẩu (không bắt buộc)" in page
    assert page.count('type="checkbox"') == 3  # processing, notices, being named in campaign lists
    assert "checked" not in page


@pytest.mark.parametrize("typed", ["0912 345 678", "+84 912 345 678", "84912345678", "(+84) 912-345-678"])
def test_every_way_of_writing_the_number_makes_one_account_in_e164(client, typed):
    """0912 345 678, +84 912 345 678 and 84912345678 are one number, stored as +84912345678."""
    response = sign_up(client, phone=typed)
    assert response.status_code == 302
    user = User.objects.get()
    assert user.phone == PHONE
    assert user.phone_verified is True
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_after_the_code_the_citizen_is_signed_in_and_sent_to_the_profile_form(client):
    response = sign_up(client, password="mật-khẩu-dài-2025")
    assert response["Location"] == reverse("citizens:profile_edit")
    user = User.objects.get()
    assert user.has_usable_password() and user.check_password("mật-khẩu-dài-2025")


def test_without_a_password_the_account_has_an_unusable_one(client):
    sign_up(client)
    assert not User.objects.get().has_usable_password()


def test_the_sms_holds_a_six_digit_code_and_the_database_only_its_hash(client):
    start_signup(client)
    code = last_code()
    assert len(code) == 6 and code.isdigit()
    row = PhoneCode.objects.get(phone=PHONE)
    assert code not in row.code_hash
    # allauth's session state keeps a reference to the row, not the code.
    assert code not in str(dict(client.session))


def test_each_consent_is_recorded_with_its_time_and_text_version(client):
    sign_up(client, consent_processing="on")
    user = User.objects.get()
    consents = {c.purpose: c for c in Consent.objects.filter(user=user)}
    assert consents[ConsentPurpose.PROCESSING].granted is True
    assert consents[ConsentPurpose.NOTICES].granted is False
    from citizens.consent import CONSENT_TEXTS

    assert all(c.version == CONSENT_TEXTS[c.purpose]["version"] and c.at is not None for c in consents.values())


@pytest.mark.parametrize("typed", ["0123", "0212345678", "091234567", "+1 202 555 0100", "abc"])
def test_a_wrong_number_format_gets_a_clear_message_and_creates_nothing(client, typed):
    response = start_signup(client, phone=typed)
    assert response.status_code == 200
    assert "Số điện thoại di động không hợp lệ" in response.content.decode()
    assert not User.objects.exists()
    assert sms_count() == 0


def test_a_number_already_registered_is_refused_with_a_message(client, alice):
    response = start_signup(client, phone="0911 000 001")
    assert response.status_code == 200
    assert "Số điện thoại này đã được đăng ký" in response.content.decode()
    assert User.objects.count() == 1
    assert sms_count("+84911000001") == 0


def test_a_wrong_code_says_how_many_tries_are_left_and_keeps_the_account_unverified(client):
    start_signup(client)
    response = client.post(reverse("account_verify_phone"), {"code": wrong_code(last_code())})
    assert response.status_code == 200
    assert "Mã xác thực không đúng. Bạn còn 4 lần thử." in response.content.decode()
    assert User.objects.get().phone_verified is False


def test_an_abandoned_signup_does_not_block_the_number(client, rate_clock):
    """Signing up again with a number whose earlier sign-up was never confirmed replaces it."""
    start_signup(client)
    client.post(reverse("account_logout"))  # the "Hủy" button on the code page
    rate_clock.advance(61)
    assert User.objects.pending_signups().count() == 1
    response = sign_up(client)
    assert response.status_code == 302
    assert User.objects.count() == 1
    assert User.objects.get().phone_verified


def test_the_code_page_offers_to_fix_a_mistyped_number(client):
    """The number can be corrected on the code page; the code goes to the corrected number."""
    start_signup(client, phone="0912 345 679")
    response = client.post(reverse("account_verify_phone"), {"action": "change", "phone": "0912 345 678"})
    assert response.status_code == 302
    assert last_sms(PHONE) is not None
    client.post(reverse("account_verify_phone"), {"code": last_code()})
    assert User.objects.get().phone == PHONE
