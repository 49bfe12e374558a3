"""Personal data (Luật Bảo vệ dữ liệu cá nhân): consent per purpose, export, erasure."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.urls import reverse

from citizens import services
from citizens.models import Consent, ConsentPurpose, Profile
from citizens.signals import account_erasing, personal_data_requested

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "mật-khẩu-thử-1"


@pytest.fixture
def signed_in(client, alice):
    client.post(reverse("account_login"), {"login": "0911000001", "password": PASSWORD})
    assert client.session.get("_auth_user_id") == str(alice.pk)
    return client


@pytest.fixture
def report_of(ward):
    """report_of(user): a PAKN report filed by `user`, with their contact details copied onto it."""
    from feedback.models import Category, Report

    category = Category.objects.create(name="Sự cố hạ tầng kỹ thuật", slug="ha-tang")

    def make(user):
        return Report.objects.create(
            code=f"PA-2025-{Report.objects.count() + 1:06d}",
            category=category,
            title="Đèn đường hỏng",
            description="Đèn trước số 12 Lạch Tray không sáng.",
            unit=ward,
            reporter=user,
            contact_name=user.full_name,
            contact_phone=user.phone,
        )

    return make


# --- Consent ------------------------------------------------------------------------------------


def test_changing_a_consent_adds_a_row_and_keeps_the_history(signed_in, alice):
    services.record_consents(user=alice, decisions={ConsentPurpose.PROCESSING: True, ConsentPurpose.NOTICES: False})
    signed_in.post(reverse("citizens:privacy"), {"consent_processing": "on", "consent_notices": "on"})
    rows = list(Consent.objects.filter(user=alice).order_by("at", "id"))
    assert [(r.purpose, r.granted) for r in rows] == [
        ("processing", True),
        ("notices", False),
        ("notices", True),  # only the change is recorded
    ]
    assert services.has_consent(alice, ConsentPurpose.NOTICES)
    signed_in.post(reverse("citizens:privacy"), {"consent_notices": "on"})  # processing withdrawn
    assert not services.has_consent(alice, ConsentPurpose.PROCESSING)
    page = signed_in.get(reverse("citizens:privacy")).content.decode()
    assert "Lịch sử lựa chọn" in page and "2025-07-01" in page


# --- Export -------------------------------------------------------------------------------------


def test_the_export_is_a_json_download_of_everything_about_the_citizen(signed_in, alice, ward):
    services.update_profile(user=alice, full_name="Nguyễn Thị Lan", ward=ward, citizen_id="031185012345")
    services.record_consent(user=alice, purpose=ConsentPurpose.PROCESSING, granted=True)
    EmailAddress.objects.create(user=alice, email="lan@example.vn", verified=True, primary=True)
    response = signed_in.get(reverse("citizens:export"))
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="du-lieu-ca-nhan-')
    data = json.loads(response.content)
    assert data["account"]["phone"] == "+84911000001"
    assert data["profile"]["citizen_id"] == "031185012345"
    assert data["profile"]["ward"] == {"code": "11383", "name": "Phường Lê Chân"}
    assert data["consents"][0]["purpose"] == "processing" and data["consents"][0]["version"] == "2025-07-01"
    assert data["email_addresses"] == [{"email": "lan@example.vn", "verified": True, "primary": True}]
    assert len(data["sessions"]) == 1


def test_the_export_holds_only_the_citizens_own_data(signed_in, bob):
    services.update_profile(user=bob, full_name="Trần Văn Bình", citizen_id="031085099999")
    body = signed_in.get(reverse("citizens:export")).content.decode()
    assert "Trần Văn Bình" not in body and "031085099999" not in body and "+84911000002" not in body


def test_other_apps_add_their_sections_to_the_export(alice):
    def reports_section(sender, user, **kwargs):
        return {"reports": [{"owner": user.pk}]}

    personal_data_requested.connect(reports_section)
    try:
        assert services.export_user_data(alice)["reports"] == [{"owner": alice.pk}]
    finally:
        personal_data_requested.disconnect(reports_section)


# --- Erasure ------------------------------------------------------------------------------------


def test_erasing_the_account_removes_personal_data_and_keeps_reports_anonymised(signed_in, alice, bob, report_of):
    services.update_profile(user=alice, full_name="Nguyễn Thị Lan", citizen_id="031185012345")
    services.record_consent(user=alice, purpose=ConsentPurpose.PROCESSING, granted=True)
    hers, his = report_of(alice), report_of(bob)

    def scrub(sender, user, **kwargs):  # what the feedback app does with its copies
        user.reports.update(contact_name="", contact_phone="")

    account_erasing.connect(scrub)
    try:
        response = signed_in.post(reverse("citizens:erase"), {"confirm": "on", "password": PASSWORD})
    finally:
        account_erasing.disconnect(scrub)
    assert response["Location"] == "/"
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not Profile.objects.filter(citizen_id="031185012345").exists()
    assert not Consent.objects.exists()
    assert not UserSession.objects.filter(user_id=alice.pk).exists()
    hers.refresh_from_db()
    assert hers.reporter is None and hers.contact_name == "" and hers.contact_phone == ""
    assert hers.title == "Đèn đường hỏng"  # the report itself stays
    his.refresh_from_db()
    assert his.reporter == bob and his.contact_phone == bob.phone
    assert signed_in.session.get("_auth_user_id") is None
    # The number is free again.
    assert User.objects.holding_phone("+84911000001").count() == 0


def test_erasure_needs_the_box_ticked_and_the_password(signed_in, alice):
    response = signed_in.post(reverse("citizens:erase"), {"password": PASSWORD})
    assert "Hãy đánh dấu ô xác nhận để xóa tài khoản." in response.content.decode()
    response = signed_in.post(reverse("citizens:erase"), {"confirm": "on", "password": "sai"})
    assert "Mật khẩu không đúng." in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()


def test_if_an_app_fails_to_erase_its_part_nothing_is_erased(alice):
    def broken(sender, user, **kwargs):
        raise RuntimeError("feedback could not scrub")

    services.update_profile(user=alice, full_name="Nguyễn Thị Lan", citizen_id="031185012345")
    account_erasing.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            services.erase_account(user=alice)
    finally:
        account_erasing.disconnect(broken)
    assert User.objects.filter(pk=alice.pk).exists()
    assert Profile.objects.get(user=alice).citizen_id == "031185012345"


def test_an_officer_cannot_erase_their_own_account(client, officer):
    client.force_login(officer)
    page = client.get(reverse("citizens:erase")).content.decode()
    assert "do quản trị viên quản lý" in page
    client.post(reverse("citizens:erase"), {"confirm": "on", "password": PASSWORD})
    assert User.objects.filter(pk=officer.pk).exists()
    with pytest.raises(services.ErasureRefused):
        services.erase_account(user=officer)


# --- Sessions -----------------------------------------------------------------------------------


def test_sessions_are_listed_and_the_others_can_be_signed_out(client, alice):
    from django.test import Client

    phone = Client(HTTP_USER_AGENT="Điện thoại Android")
    phone.post(reverse("account_login"), {"login": "0911000001", "password": PASSWORD})
    laptop = Client(HTTP_USER_AGENT="Máy tính Firefox")
    laptop.post(reverse("account_login"), {"login": "0911000001", "password": PASSWORD})
    page = phone.get(reverse("usersessions_list")).content.decode()
    assert "Điện thoại Android" in page and "Máy tính Firefox" in page and "thiết bị này" in page
    phone.post(reverse("usersessions_list"))
    assert laptop.get(reverse("citizens:profile")).status_code == 302  # signed out
    assert phone.get(reverse("citizens:profile")).status_code == 200


# --- Housekeeping -------------------------------------------------------------------------------


def test_unverified_signups_older_than_an_hour_are_removed(make_user, alice):
    import datetime

    from django.utils import timezone

    old = make_user(username="old", phone="+84912000001", phone_verified=False)
    fresh = make_user(username="fresh", phone="+84912000002", phone_verified=False)
    User.objects.filter(pk=old.pk).update(date_joined=timezone.now() - datetime.timedelta(hours=2))
    result = services.purge_stale_account_data()
    assert result["signups"] == 1
    assert not User.objects.filter(pk=old.pk).exists()
    assert User.objects.filter(pk__in=[fresh.pk, alice.pk]).count() == 2
