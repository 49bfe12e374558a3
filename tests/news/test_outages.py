"""Outages: the companies' own entries (TT 22/2020 rules), CSV import (all or nothing, lines named),
the day-before warning by ward or by the substation/street saved with an EVN customer code."""

# Fixtures come from tests.news.world, imported by name.
# ruff: noqa: F811, E501

import datetime

import pytest
from django.utils import timezone

from citizens.models import OutboundSms
from news import services
from news.models import Delivery, Outage, OutageFollow, OutageKind, UtilityKind
from notices.models import Notice
from tests.news.world import citizen, outage, world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_an_outage_that_ends_before_it_starts_is_refused(world):
    start = timezone.now() + datetime.timedelta(days=6)
    with pytest.raises(services.NewsError) as caught:
        services.save_outage(
            staff=world.power, company_id=world.power_company.pk, kind=OutageKind.PLANNED, utility=UtilityKind.POWER,
            area="Phố Lạch Tray", ward_codes=[world.lechan.code], starts_at=start,
            ends_at=start - datetime.timedelta(hours=1), reason="Bảo dưỡng",
        )  # fmt: skip
    assert "sau thời điểm bắt đầu" in caught.value.message
    assert not Outage.objects.exists()


def test_a_planned_outage_needs_five_days_notice_an_emergency_does_not(world):
    with pytest.raises(services.NewsError) as caught:
        outage(world, days=2)
    assert "5 ngày" in caught.value.message
    assert outage(world, days=0.1, kind=OutageKind.EMERGENCY).pk
    assert outage(world, days=5.1).pk


def test_staff_enter_outages_for_their_own_company_only(world):
    with pytest.raises(services.NewsError):
        outage(world, staff=world.water, company=world.power_company)
    with pytest.raises(services.NewsError):
        outage(world, staff=world.lan)
    assert not Outage.objects.exists()


def test_another_companys_outage_is_a_404_on_the_officer_site(world, client):
    mine = outage(world)
    client.force_login(world.water)
    assert client.get(f"/can-bo/tin-tuc/cat-dien-nuoc/{mine.pk}/").status_code == 404
    assert client.post(f"/can-bo/tin-tuc/cat-dien-nuoc/{mine.pk}/huy/").status_code == 404
    client.force_login(world.lan)
    assert client.get("/can-bo/tin-tuc/cat-dien-nuoc/").status_code == 404
    client.force_login(world.power)
    assert client.get(f"/can-bo/tin-tuc/cat-dien-nuoc/{mine.pk}/").status_code == 200
    assert Outage.objects.get().cancelled_at is None


CSV_HEADER = "loai,dich_vu,tu,den,khu_vuc,phuong,tram_duong,ly_do\n"


def _when(days, hour):
    return (
        (timezone.localtime() + datetime.timedelta(days=days)).replace(hour=hour, minute=0).strftime("%d/%m/%Y %H:%M")
    )


def test_a_csv_import_is_all_or_nothing_and_names_the_bad_lines(world):
    good = f"ke-hoach,dien,{_when(7, 8)},{_when(7, 12)},Phố Lạch Tray,11383,TBA Lạch Tray 3;Phố Lạch Tray,Bảo dưỡng\n"
    ends_first = f"ke-hoach,dien,{_when(8, 12)},{_when(8, 8)},Phố Hàng Kênh,11383,,Bảo dưỡng\n"
    no_ward = f"su-co,dien,{_when(1, 8)},{_when(1, 9)},Phố X,,,Sự cố\n"
    with pytest.raises(services.NewsError) as caught:
        services.import_outages(
            staff=world.power, company_id=world.power_company.pk, data=CSV_HEADER + good + ends_first + no_ward
        )
    assert (
        "Dòng 3" in caught.value.message and "Dòng 4" in caught.value.message and "Dòng 2" not in caught.value.message
    )
    assert not Outage.objects.exists()

    created = services.import_outages(
        staff=world.power, company_id=world.power_company.pk, data=(CSV_HEADER + good).encode()
    )
    assert len(created) == 1 and created[0].place_list() == ["TBA Lạch Tray 3", "Phố Lạch Tray"]


def test_a_file_that_is_not_the_csv_is_refused(world, client):
    with pytest.raises(services.NewsError):
        services.import_outages(staff=world.power, company_id=world.power_company.pk, data=b"\xff\xfe\x00garbage")
    with pytest.raises(services.NewsError):
        services.import_outages(staff=world.power, company_id=world.power_company.pk, data="a,b\n1,2\n")


def test_the_day_before_warning_reaches_the_ward_and_the_followed_substation_once(
    world, make_user, django_capture_on_commit_callbacks
):
    # Chi lives in Ngô Quyền but follows the substation named in the outage (her EVN code's).
    chi = citizen(make_user, "chi", "+84911000019", world.ngoquyen, evn="PH02000999999")
    services.save_outage_follow(user=chi, substation="tba lach tray 3", street="")
    item = outage(world, places="TBA Lạch Tray 3\nPhố Hàng Kênh")

    assert services.warn_due_outages() == 0  # six days ahead: not yet
    local_start, warn = timezone.localtime(item.starts_at), timezone.localtime(item.warn_at)
    assert warn.date() == local_start.date() - datetime.timedelta(days=1) and (warn.hour, warn.minute) == (7, 0)
    day_before = item.warn_at + datetime.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.warn_due_outages(at=day_before) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.warn_due_outages(at=day_before) == 0
        services.deliver(Delivery.objects.get().pk)  # delivered already: nothing more

    told = set(Notice.objects.from_source(item).values_list("user_id", flat=True))
    assert told == {world.lan.pk, chi.pk}  # minh did not consent; hoa's ward and substation are elsewhere
    assert set(OutboundSms.objects.values_list("phone", flat=True)) == {world.lan.phone, chi.phone}


def test_following_needs_an_evn_code_in_the_profile(world, client):
    with pytest.raises(services.NewsError):
        services.save_outage_follow(user=world.minh, substation="TBA 1", street="")
    client.force_login(world.lan)
    page = client.get("/tin-tuc/cat-dien-nuoc/theo-doi/").content.decode()
    assert "PH01000123456" in page and "không tra cứu được mã khách hàng" in page
    response = client.post("/tin-tuc/cat-dien-nuoc/theo-doi/", {"substation": "TBA Lạch Tray 3", "street": ""})
    assert response.status_code == 302
    assert OutageFollow.objects.get(user=world.lan).substation_key == "tba lach tray 3"


def test_staff_enter_an_outage_through_the_page(world, client):
    client.force_login(world.power)
    start = timezone.localtime() + datetime.timedelta(days=6)
    data = {
        "company": world.power_company.pk, "utility": "dien", "kind": "planned",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "ends_at": (start - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "area": "Phố Lạch Tray", "wards": [world.lechan.code], "places": "", "reason": "Bảo dưỡng",
    }  # fmt: skip
    page = client.post("/can-bo/tin-tuc/cat-dien-nuoc/moi/", data)
    assert page.status_code == 200 and "sau thời điểm bắt đầu" in page.content.decode()
    data["ends_at"] = (start + datetime.timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")
    assert client.post("/can-bo/tin-tuc/cat-dien-nuoc/moi/", data).status_code == 302
    assert Outage.objects.get().company == world.power_company
