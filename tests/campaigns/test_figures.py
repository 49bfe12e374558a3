"""The figures against the hand-counted ward of tests/campaigns/world.py."""

import io

import pytest

from campaigns import figures, services
from government.services import DataImportError

pytestmark = pytest.mark.django_db


def rows_by_name(data):
    return {row.name: row for row in data.groups}


def test_a_household_with_two_registered_members_counts_once(w):
    g1 = rows_by_name(figures.compute_ward(w.lechan))["Tổ dân phố 1"]
    # r1 and r2 live at "Số 12 Lạch Tray" / "12 Lạch Tray"; r3 at Tô Hiệu; r4 gave no address; r5 unverified.
    assert (g1.registered, g1.covered, g1.active) == (4, 3, 1)
    assert g1.rate == 37.5
    assert g1.gap == 5


def test_a_group_without_households_shows_no_rate(w):
    data = figures.compute_ward(w.lechan)
    g3 = rows_by_name(data)["Tổ dân phố 3"]
    assert g3.rate is None and g3.gap is None and g3.level == "none"
    assert g3.rank == 3  # no rate ranks last


def test_groups_are_ranked_by_rate_and_totals_add_up(w):
    data = figures.compute_ward(w.lechan)
    assert [row.name for row in data.groups] == ["Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 3"]
    assert data.totals == {
        "households": 15,
        "smartphone_households": 12,
        "registered": 5,
        "covered": 4,
        "active": 1,
        "rate": 33.3,
        "level": "1",
    }
    assert data.without_group == 1  # r7


def test_the_roster_decides_and_matches_both_phone_forms(w, make_user):
    make_user(phone="+84912000111", phone_verified=True)  # registered anywhere
    make_user(phone="+84912000222", phone_verified=False)
    csv = (
        "Tổ dân phố,Mã hộ,Chủ hộ,Địa chỉ,Số điện thoại\n"
        "Tổ dân phố 2,H1,Nguyễn A,1 Hàng Kênh,0912 000 111\n"
        "Tổ dân phố 2,H2,Nguyễn B,2 Hàng Kênh,+84912000222; 0912000333\n"
        "Tổ dân phố 2,H3,Nguyễn C,3 Hàng Kênh,84912000111\n"
    )
    result = services.import_roster(unit=w.lechan, file=io.BytesIO(csv.encode()))
    assert result == {"households": 3, "phones": 4, "groups": 1}
    g2 = rows_by_name(figures.compute_ward(w.lechan))["Tổ dân phố 2"]
    assert (g2.roster, g2.covered) == (3, 2)  # H1 (0912…) and H3 (84912…) are the verified +84912000111


def test_a_roster_file_with_errors_writes_nothing_and_names_each_line(w):
    csv = (
        "Tổ dân phố,Mã hộ,Số điện thoại\n"
        "Tổ dân phố 2,H1,0912 000 111\n"
        "Tổ dân phố 9,H2,0912 000 112\n"
        "Tổ dân phố 2,H1,0912 000 113\n"
        "Tổ dân phố 2,H4,12345\n"
    )
    with pytest.raises(DataImportError) as caught:
        services.import_roster(unit=w.lechan, file=io.BytesIO(csv.encode()))
    lines = caught.value.lines()
    assert [line.split(":")[0] for line in lines] == ["Dòng 3", "Dòng 4", "Dòng 5"]
    assert "Tổ dân phố 9" in lines[0] and "trùng với dòng 2" in lines[1] and "12345" in lines[2]
    from campaigns.models import Household

    assert not Household.objects.exists()


def test_staff_count_for_the_workplace_they_name_whatever_the_case(w):
    school = figures.compute_ward(w.lechan).workplaces[0]
    assert (school.name, school.headcount, school.registered, school.gap) == ("Trường THCS Lê Chân", 3, 1, 2)
    assert school.rate == 33.3


def test_helpers_count_the_households_they_reached(w):
    [helper] = figures.helpers(w.lechan)
    assert (helper.phone, helper.name, helper.households, helper.reached_target) == (
        w.r1.phone,
        "Nguyễn Văn Một",  # r1 agreed to be named
        1,
        False,
    )


def test_the_city_sums_every_unit(w):
    rows, _at = figures.city_figures(use_cache=False)
    by_code = {row.code: row for row in rows}
    assert (by_code["11383"].covered, by_code["11383"].smartphone_households, by_code["11383"].rate) == (4, 12, 33.3)
    assert (by_code["11311"].covered, by_code["11311"].rate) == (1, 33.3)


def test_the_deadline_of_the_unit_replaces_the_citys(w):
    import datetime as dt

    from campaigns.models import Audience, Deadline

    Deadline.objects.create(
        campaign=w.campaign, audience=Audience.RESIDENTS, unit=w.lechan, due_on=dt.date(2026, 8, 31)
    )
    campaign = figures.campaign_for("11383")
    assert campaign["deadlines"][Audience.RESIDENTS] == dt.date(2026, 8, 31)
    assert figures.campaign_for("11311")["deadlines"][Audience.RESIDENTS] != dt.date(2026, 8, 31)


def test_a_saved_profile_refreshes_the_cached_figures(w, make_user, django_capture_on_commit_callbacks):
    from tests.campaigns.world import resident

    assert rows_by_name(figures.ward_figures(w.lechan))["Tổ dân phố 2"].covered == 1
    with django_capture_on_commit_callbacks(execute=True):
        resident(make_user, "+84911000301", "Mới Đăng Ký", ward=w.lechan, group=w.g2, street="9 Hàng Kênh")
    assert rows_by_name(figures.ward_figures(w.lechan))["Tổ dân phố 2"].covered == 2
