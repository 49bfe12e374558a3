"""Done when: a new citizen signs up with a helper's code, and the group's figure and the helper's
count move (through the real sign-up and profile pages)."""

import pytest
from django.urls import reverse

from campaigns import figures
from citizens.models import Consent, ConsentPurpose
from tests.citizens.conftest import sign_up

pytestmark = pytest.mark.django_db


def group_row(unit, name):
    return next(row for row in figures.ward_figures(unit).groups if row.name == name)


def test_a_neighbour_signs_up_with_a_helpers_code_and_the_figures_move(client, w, django_capture_on_commit_callbacks):
    before = group_row(w.lechan, "Tổ dân phố 2").covered
    assert figures.helpers(w.lechan)[0].households == 1
    page = client.get(reverse("account_signup")).content.decode()
    assert "Mã giới thiệu (không bắt buộc)" in page
    assert "danh sách cài đặt ứng dụng Smart Hải Phòng" in page  # its own unticked box

    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, phone="0912 777 888", referral_code="0911 000 101", consent_campaign_list="on")
        # The profile form that follows shows the code kept at sign-up; saving it keeps it.
        form = client.get(reverse("citizens:profile_edit")).content.decode()
        assert 'value="+84911000101"' in form
        response = client.post(
            reverse("citizens:profile_edit"),
            {
                "full_name": "Đặng Thị Mới",
                "ward": "11383",
                "residential_group": str(w.g2.pk),
                "street_address": "20 Hàng Kênh",
                "referral_code": "+84911000101",
            },
        )
    assert response.status_code == 302
    consent = Consent.objects.filter(user__phone="+84912777888", purpose=ConsentPurpose.CAMPAIGN_LIST).get()
    assert consent.granted is True and consent.version
    assert group_row(w.lechan, "Tổ dân phố 2").covered == before + 1
    [helper] = figures.helpers(w.lechan)
    assert (helper.phone, helper.households, helper.people) == ("+84911000101", 2, 2)


def test_a_mistyped_referral_code_is_refused_with_a_message(client):
    response = client.post(reverse("account_signup"), {"phone": "0912 777 889", "referral_code": "a!"})
    assert response.status_code == 200
    assert "Mã giới thiệu là số điện thoại của người giới thiệu" in response.content.decode()
