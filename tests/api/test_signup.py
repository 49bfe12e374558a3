"""The app signs a citizen up and in through allauth's headless API, with the web's SMS-code rules."""

import pytest

from citizens.models import Consent, OutboundSms, PhoneCode
from tests.api.helpers import API, AUTH, AppClient, last_code

pytestmark = pytest.mark.django_db
PHONE = "+84912345678"


def flows(response):
    return {flow["id"]: flow for flow in response.json()["data"]["flows"]}


def test_a_citizen_signs_up_by_sms_code_and_uses_the_api_with_the_token():
    app = AppClient()
    response = app.post(f"{AUTH}/auth/signup", {"phone": "0912 345 678", "consent_processing": True})
    assert response.status_code == 401  # not signed in yet: the phone must be verified first
    assert flows(response)["verify_phone"]["is_pending"] is True
    assert app.token, "allauth hands the app a session token for the pending flow"
    assert "sessionid" not in response.cookies
    assert OutboundSms.objects.filter(phone=PHONE).count() == 1
    code = last_code(PHONE)
    assert code not in str(PhoneCode.objects.values_list("code_hash", flat=True)[0])  # only its hash is kept

    wrong = "000000" if code != "000000" else "111111"
    response = app.post(f"{AUTH}/auth/phone/verify", {"code": wrong})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Mã xác thực không đúng. Bạn còn 4 lần thử."

    response = app.post(f"{AUTH}/auth/phone/verify", {"code": code})
    assert response.status_code == 200, response.json()
    assert response.json()["meta"]["is_authenticated"] is True

    me = app.get(f"{API}/me/")
    assert me.status_code == 200, me.json()
    assert me.json()["phone"] == PHONE and me.json()["phone_verified"] is True
    assert "sessionid" not in me.cookies
    assert Consent.objects.get(purpose="processing").granted is True

    # The code is single use: a second verification is refused.
    assert app.post(f"{AUTH}/auth/phone/verify", {"code": code}).status_code in (400, 409)


def test_a_citizen_signs_in_by_code_and_a_spent_code_is_refused(alice):
    app = AppClient()
    response = app.post(f"{AUTH}/auth/code/request", {"phone": "0911 000 001"})
    assert response.status_code == 401
    assert flows(response)["login_by_code"]["is_pending"] is True
    response = app.post(f"{AUTH}/auth/code/confirm", {"code": last_code(alice.phone)})
    assert response.status_code == 200, response.json()
    assert app.get(f"{API}/me/").json()["full_name"] == alice.full_name


def test_a_second_code_within_a_minute_is_refused_with_the_webs_message(alice):
    app = AppClient()
    assert app.post(f"{AUTH}/auth/code/request", {"phone": alice.phone}).status_code == 401
    other = AppClient()
    response = other.post(f"{AUTH}/auth/code/request", {"phone": alice.phone})
    assert response.status_code == 400
    assert "60 giây" in response.json()["errors"][0]["message"]
    assert OutboundSms.objects.filter(phone=alice.phone).count() == 1


def test_a_citizen_signs_in_with_a_password_typed_the_vietnamese_way(alice):
    app = AppClient()
    response = app.post(f"{AUTH}/auth/login", {"phone": "0911 000 001", "password": "mật-khẩu-thử-1"})
    assert response.status_code == 200, response.json()
    assert app.get(f"{API}/me/").status_code == 200
    response = AppClient().post(f"{AUTH}/auth/login", {"phone": "0911 000 001", "password": "sai"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Số điện thoại hoặc mật khẩu không đúng."


def test_a_signed_out_token_no_longer_opens_the_api(alice):
    app = AppClient()
    app.post(f"{AUTH}/auth/login", {"phone": alice.phone, "password": "mật-khẩu-thử-1"})
    assert app.get(f"{API}/me/").status_code == 200
    app.send("delete", f"{AUTH}/auth/session")
    response = app.get(f"{API}/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
