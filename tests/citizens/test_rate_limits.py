"""The SMS code rules under attack: limits on sending, on guessing, in sequence and in parallel."""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from citizens import codes, sms
from citizens.models import OutboundSms, PhoneCode, SmsDailyCount

from .conftest import PHONE, last_code, sms_count, start_signup, wrong_code

User = get_user_model()


def request_login_code(client, phone="0912345678"):
    return client.post(reverse("account_request_login_code"), {"phone": phone})


def confirm_login_code(client, code):
    return client.post(reverse("account_confirm_login_code"), {"code": code})


@pytest.fixture
def citizen(make_user):
    return make_user(username="an", phone=PHONE, phone_verified=True, full_name="Nguyễn Văn An")


def in_parallel(count, work):
    """Run work(i) in `count` threads released at the same moment; returns the results in order."""
    barrier = threading.Barrier(count)
    results = [None] * count
    errors = []

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # reported below, with the thread's error
            errors.append(exc)
        finally:
            from django.db import connection

            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


# --- Sending ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_resend_within_60_seconds_is_refused_with_a_message(client, citizen):
    request_login_code(client)
    response = client.post(reverse("account_confirm_login_code"), {"action": "resend"}, follow=True)
    assert "Vui lòng đợi 60 giây" in response.content.decode()
    assert sms_count() == 1


@pytest.mark.django_db
def test_after_60_seconds_a_resend_brings_a_new_code_and_the_old_one_dies(client, citizen, rate_clock):
    request_login_code(client)
    first = last_code()
    rate_clock.advance(61)
    client.post(reverse("account_confirm_login_code"), {"action": "resend"})
    assert sms_count() == 2
    second = last_code()
    assert PhoneCode.objects.get(code_hash=codes._digest(PHONE, first)).used_at is not None
    response = confirm_login_code(client, second)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(citizen.pk)


@pytest.mark.django_db
def test_a_number_gets_at_most_3_codes_in_15_minutes_and_10_a_day(client, citizen, rate_clock):
    for _round in range(3):
        assert request_login_code(Client()).status_code == 302
        rate_clock.advance(61)
    response = request_login_code(client)
    assert response.status_code == 200
    assert "tối đa 3 mã trong 15 phút và 10 mã mỗi ngày" in response.content.decode()
    assert sms_count() == 3

    sent = 3
    for _window in range(6):
        rate_clock.advance(15 * 60)
        for _round in range(3):
            if request_login_code(Client()).status_code == 302:
                sent += 1
            rate_clock.advance(61)
    assert sent == 10
    assert sms_count() == 10
    rate_clock.advance(24 * 3600)
    assert request_login_code(Client()).status_code == 302


@pytest.mark.django_db
def test_one_ip_address_gets_at_most_20_codes_an_hour(client, make_user, rate_clock):
    for i in range(21):
        make_user(username=f"u{i}", phone=f"+8491200{i:04d}", phone_verified=True)
    statuses = []
    for i in range(21):
        statuses.append(request_login_code(Client(), f"091200{i:04d}").status_code)
        rate_clock.advance(10)  # within the hour, but below allauth's own 20-a-minute limit on requests
    assert statuses[:20] == [302] * 20
    assert statuses[20] == 200
    assert OutboundSms.objects.count() == 20
    page = request_login_code(Client(), "0912000020").content.decode()
    assert "quá nhiều yêu cầu gửi mã từ mạng của bạn" in page
    rate_clock.advance(3601)
    assert request_login_code(Client(), "0912000020").status_code == 302


@pytest.mark.django_db
def test_the_daily_city_wide_cap_stops_every_message(client, citizen, settings):
    settings.SMS_DAILY_CAP = 2
    SmsDailyCount.objects.create(day=timezone.localdate(), count=2)
    response = request_login_code(client)
    assert response.status_code == 200
    assert "Hôm nay hệ thống đã gửi hết số tin nhắn cho phép" in response.content.decode()
    with pytest.raises(sms.SmsBudgetExhausted):
        sms.send_sms(PHONE, "thử")
    assert sms_count() == 0


@pytest.mark.django_db(transaction=True)
def test_parallel_requests_for_codes_send_exactly_one(citizen, sqlite_waits_for_locks):
    """Ten requests for a code to one number at the same moment: one SMS, nine refusals.

    A refusal is the form again with a message, or, for a request that passed the form's check but
    lost the race for the last unit, a redirect back to the form with the message.
    """
    responses = in_parallel(10, lambda i: request_login_code(Client()))
    to_code_page = [r for r in responses if r.get("Location") == reverse("account_confirm_login_code")]
    back_to_form = [r for r in responses if r.get("Location") == reverse("account_request_login_code")]
    refused_on_form = [r for r in responses if r.status_code == 200]
    assert len(to_code_page) == 1
    assert len(back_to_form) + len(refused_on_form) == 9
    assert sms_count() == 1
    assert PhoneCode.objects.filter(phone=PHONE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_sends_never_overspend_the_daily_cap(settings, sqlite_waits_for_locks):
    settings.SMS_DAILY_CAP = 5

    def send(i):
        try:
            sms.send_sms(f"+849120000{i:02d}", "thử")
            return True
        except sms.SmsBudgetExhausted:
            return False

    results = in_parallel(12, send)
    assert results.count(True) == 5
    assert OutboundSms.objects.count() == 5
    assert SmsDailyCount.objects.get().count == 5


# --- Guessing -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_five_wrong_codes_kill_the_code_even_the_right_one_then_fails(client, citizen):
    request_login_code(client)
    code = last_code()
    for left in (4, 3, 2, 1):
        response = confirm_login_code(client, wrong_code(code))
        assert f"Bạn còn {left} lần thử" in response.content.decode()
    response = confirm_login_code(client, wrong_code(code))
    # allauth ends the sign-in after the fifth wrong try; the code is dead in the database too.
    assert response.status_code == 302
    assert PhoneCode.objects.get().tries == 5
    result, _left = codes.check(f"pc:{PhoneCode.objects.get().pk}", PHONE, code)
    assert result is codes.Check.TOO_MANY
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_expired_code_is_refused_with_a_message(client, citizen):
    request_login_code(client)
    PhoneCode.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5, seconds=1))
    response = confirm_login_code(client, last_code())
    assert "Mã xác thực đã hết hạn" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_code_works_once(client, citizen):
    request_login_code(client)
    code = last_code()
    reference = f"pc:{PhoneCode.objects.get().pk}"
    assert codes.check(reference, PHONE, code)[0] is codes.Check.OK
    assert codes.check(reference, PHONE, code)[0] is codes.Check.SPENT
    response = confirm_login_code(client, code)
    assert "đã được dùng" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_in_one_session_get_five_tries_at_most(citizen, sqlite_waits_for_locks):
    """Thirty wrong guesses fired at once from one session: five are compared, none signs in."""
    client = Client()
    request_login_code(client)
    code = last_code()
    cookie = client.cookies["sessionid"].value

    def guess(i):
        c = Client()
        c.cookies["sessionid"] = cookie
        return confirm_login_code(c, wrong_code(code))

    in_parallel(30, guess)
    assert not User.objects.filter(last_login__isnull=False).exists()
    assert PhoneCode.objects.get().tries == 5
    assert codes.check(f"pc:{PhoneCode.objects.get().pk}", PHONE, code)[0] is codes.Check.TOO_MANY


@pytest.mark.django_db(transaction=True)
def test_parallel_right_answers_spend_the_code_once(sqlite_waits_for_locks):
    """The right code posted ten times at once is accepted once."""
    reference, code = codes.issue(PHONE)
    results = in_parallel(10, lambda i: codes.check(reference, PHONE, code)[0])
    assert results.count(codes.Check.OK) == 1
    assert set(results) <= {codes.Check.OK, codes.Check.SPENT}
    # A right answer is not a wrong try: the other taps are told the code is spent, not "too many".
    assert PhoneCode.objects.get().tries == 0


@pytest.mark.django_db
def test_the_right_code_after_five_wrong_tries_is_refused():
    reference, code = codes.issue(PHONE)
    for _ in range(5):
        assert codes.check(reference, PHONE, wrong_code(code))[0] is codes.Check.WRONG
    assert codes.check(reference, PHONE, code)[0] is codes.Check.TOO_MANY
    assert PhoneCode.objects.get().used_at is None


@pytest.mark.django_db
def test_sign_up_codes_follow_the_same_rules(client):
    start_signup(client)
    code = last_code()
    for _ in range(5):
        client.post(reverse("account_verify_phone"), {"code": wrong_code(code)})
    assert PhoneCode.objects.get().tries == 5
    assert User.objects.get().phone_verified is False
