"""Cập nhật thông tin cá nhân: the profile form, its code formats, the ward and residential group."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from citizens import services, validators
from citizens.models import Profile
from government.models import ResidentialGroup

pytestmark = pytest.mark.django_db
User = get_user_model()

VALID = {
    "full_name": "Nguyễn Văn An",
    "gender": "male",
    "date_of_birth": "1985-03-14",
    "street_address": "Số 12 Lạch Tray",
    "workplace_name": "Công ty Cảng Hải Phòng",
    "workplace_address": "8A Trần Phú, Ngô Quyền",
    "referral_code": "0911 000 001",
    "evn_customer_code": "pa03hp0012345",
    "social_insurance_number": "3120012345",
    "tax_code": "0100109106",
    "health_insurance_number": "GD4313120012345",
    # 031: Hải Phòng; 0: a man born in the 1900s; 85: 1985.
    "citizen_id": "031 085 012 345",
}


@pytest.fixture
def signed_in(client, alice):
    client.force_login(alice)
    return client


def post(client, ward=None, group=None, **changes):
    data = {**VALID, "ward": ward.code if ward else "", "residential_group": group.pk if group else "", **changes}
    return client.post(reverse("citizens:profile_edit"), data)


def test_a_complete_profile_is_saved_normalised(signed_in, alice, ward):
    group = ward.residential_groups.first()
    response = post(signed_in, ward, group)
    assert response.status_code == 302 and response["Location"] == reverse("citizens:profile")
    alice.refresh_from_db()
    profile = alice.profile
    assert alice.full_name == "Nguyễn Văn An"
    assert (profile.ward, profile.residential_group) == (ward, group)
    assert profile.date_of_birth == datetime.date(1985, 3, 14)
    assert profile.citizen_id == "031085012345"
    assert profile.evn_customer_code == "PA03HP0012345"
    assert profile.referral_code == "+84911000001"
    page = signed_in.get(reverse("citizens:profile")).content.decode()
    assert "Tổ dân phố 1, Phường Lê Chân" in page


def test_everything_is_optional(signed_in, alice):
    response = signed_in.post(reverse("citizens:profile_edit"), {})
    assert response.status_code == 302
    assert Profile.objects.get(user=alice).citizen_id is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("citizen_id", "03108501234", "Số CCCD (căn cước) gồm đúng 12 chữ số"),
        ("citizen_id", "999085012345", "không phải mã tỉnh"),
        ("social_insurance_number", "31200123", "Mã số BHXH gồm đúng 10 chữ số"),
        ("tax_code", "0100109107", "chữ số kiểm tra"),
        ("tax_code", "01001091", "Mã số thuế gồm 10 chữ số"),
        ("health_insurance_number", "GD9313120012345", "Mã thẻ BHYT gồm 15 ký tự"),
        ("evn_customer_code", "12345", "Mã khách hàng điện gồm 13 ký tự"),
        ("referral_code", "a!", "Mã giới thiệu"),
        ("date_of_birth", "2999-01-01", "Ngày sinh không thể ở tương lai"),
    ],
)
def test_a_code_that_does_not_fit_its_format_gets_a_clear_message_and_nothing_is_saved(
    signed_in, alice, field, value, message
):
    response = post(signed_in, **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Profile.objects.filter(user=alice).exists()
    alice.refresh_from_db()
    assert alice.full_name == "Nguyễn Thị Lan"


def test_the_citizen_id_must_agree_with_the_birth_year_and_gender(signed_in):
    page = post(signed_in, date_of_birth="2001-01-01").content.decode()
    assert "không khớp với năm sinh 2001" in page
    page = post(signed_in, gender="female").content.decode()
    assert "không khớp với giới tính" in page


def test_the_health_insurance_card_must_end_with_the_social_insurance_number(signed_in):
    page = post(signed_in, social_insurance_number="3120099999").content.decode()
    assert "10 chữ số cuối của mã thẻ BHYT phải trùng với mã số BHXH" in page


def test_a_citizen_id_already_used_by_another_account_is_refused(signed_in, bob):
    Profile.objects.create(user=bob, citizen_id="031085012345")
    response = post(signed_in)
    assert "Số CCCD này đã được dùng cho một tài khoản khác" in response.content.decode()


def test_the_service_refuses_a_duplicate_citizen_id_that_slipped_past_the_form(alice, bob):
    """Two people saving the same number at once: the unique index decides, with the same message."""
    Profile.objects.create(user=bob, citizen_id="031085012345")
    with pytest.raises(ValidationError) as caught:
        services.update_profile(user=alice, full_name="A", citizen_id="031085012345")
    assert "citizen_id" in caught.value.message_dict
    assert not Profile.objects.filter(user=alice).exists()


def test_the_ward_list_offers_the_units_grouped_by_kind(signed_in, ward):
    page = signed_in.get(reverse("citizens:profile_edit")).content.decode()
    assert '<optgroup label="Phường">' in page
    assert '<option value="11383">Phường Lê Chân</option>' in page
    assert "data-groups-url" in page


def test_a_group_from_another_ward_is_refused_and_the_list_then_offers_the_right_groups(
    signed_in, alice, ward, other_ward
):
    """Without JavaScript the group list may be stale: the form refuses the mismatch and re-lists."""
    wrong_group = other_ward.residential_groups.get()
    response = post(signed_in, ward, wrong_group)
    page = response.content.decode()
    assert "không thuộc phường, xã đã chọn" in page
    assert "Tổ dân phố 1" in page and "Tổ dân phố 2" in page
    assert not Profile.objects.filter(user=alice).exists()


def test_the_group_list_endpoint_returns_a_wards_groups(signed_in, ward, other_ward):
    data = signed_in.get(reverse("citizens:residential_groups"), {"ward": ward.code}).json()
    assert [g["name"] for g in data["groups"]] == ["Tổ dân phố 1", "Tổ dân phố 2"]
    assert signed_in.get(reverse("citizens:residential_groups"), {"ward": "00000"}).json()["groups"] == []


def test_the_profile_pages_need_a_signed_in_citizen(client):
    for name in ("citizens:profile", "citizens:profile_edit", "citizens:residential_groups"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_the_profile_page_stays_within_the_query_budget(signed_in, alice, ward):
    from tests.helpers import assert_constant_queries

    def grow():
        start = ResidentialGroup.objects.count()
        for i in range(5):
            ResidentialGroup.objects.create(unit=ward, name=f"Tổ {start + i + 10}")

    services.update_profile(user=alice, full_name="A", ward=ward, residential_group=ward.residential_groups.first())
    assert_constant_queries(signed_in, reverse("citizens:profile"), grow=grow)
    assert_constant_queries(signed_in, reverse("citizens:profile_edit"), grow=grow)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0100109106", "0100109106"), ("0300588569", "0300588569"), ("0100109106-001", "0100109106-001")],
)
def test_real_tax_codes_pass_their_check_digit(value, expected):
    assert validators.validate_tax_code(value) == expected


def test_a_cccd_of_a_woman_born_in_2003():
    number = validators.validate_citizen_id("031303000123")
    assert validators.cccd_birth_facts(number) == (2000, True, 3)
    assert validators.check_citizen_id_against(number, date_of_birth=datetime.date(2003, 5, 1), gender="female") == []
