"""The campaign's pages through HTTP: who sees what, and what the pages say."""

import pytest
from django.urls import reverse

from tests.campaigns.world import resident
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db

OFFICER_MAX = 15
# With the officer chrome's facts cached (session, user: 2): the ward page reads everything it shows
# (the unit, the campaign, groups, workplaces and their counts, the chart's weeks, the officer's
# export jobs) in one statement (campaigns.reads.ward_rows); the city page its 114 units' totals
# in one (the boundaries' version is read at most once a second). Nothing cached, as the
# benchmark's --cold: 4 and 4 (the chrome's facts, then the page's one).
WARD_PAGE_QUERIES = 3
CITY_PAGE_QUERIES = 3


def signed_in(client, user):
    client.force_login(user)
    return client


def ward_url(code="11383"):
    return reverse("campaigns_officer:ward", args=[code])


def test_ward_staff_see_each_groups_rate_with_links_to_the_people(client, w):
    response = signed_in(client, w.staff).get(ward_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "37,5%" in page or "37.5%" in page
    assert 'title="Chưa có số hộ có điện thoại thông minh">—' in page  # Tổ dân phố 3
    assert f"{reverse('campaigns_officer:people', args=['11383'])}?to={w.g1.pk}" in page
    assert "Cách tính các số liệu" in page
    assert "Hộ gia đình: còn 20 ngày" in page  # the residents' deadline
    assert "Cán bộ, công chức, viên chức, người lao động: còn 5 ngày" in page


def test_the_index_takes_ward_staff_to_their_ward_and_city_staff_to_the_city(client, w):
    assert signed_in(client, w.staff).get(reverse("campaigns_officer:index")).url == ward_url()
    assert signed_in(client, w.city).get(reverse("campaigns_officer:index")).url == reverse("campaigns_officer:city")


@pytest.mark.parametrize("who", ["other_staff", "officer"])
def test_everyone_but_the_wards_staff_and_the_city_gets_404(client, w, who):
    signed_in(client, getattr(w, who))
    for url in (
        ward_url(),
        reverse("campaigns_officer:people", args=["11383"]) + f"?to={w.g1.pk}",
        reverse("campaigns_officer:export", args=["11383", "xlsx"]) + f"?to={w.g1.pk}",
        reverse("campaigns_officer:edit_group", args=["11383", w.g1.pk]),
        reverse("campaigns_officer:monthly", args=["11383"]),
        reverse("campaigns_officer:log", args=["11383"]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_citizen_gets_404(client, w):
    assert signed_in(client, w.r1).get(ward_url()).status_code == 404
    assert client.get(reverse("campaigns_officer:city")).status_code == 404


def test_city_staff_see_figures_but_never_names(client, w):
    signed_in(client, w.city)
    page = client.get(ward_url()).content.decode()
    assert "37,5%" in page or "37.5%" in page
    assert reverse("campaigns_officer:people", args=["11383"]) not in page
    assert client.get(reverse("campaigns_officer:people", args=["11383"]) + f"?to={w.g1.pk}").status_code == 404
    assert client.get(reverse("campaigns_officer:export", args=["11383", "csv"]) + f"?to={w.g1.pk}").status_code == 404
    assert client.get(reverse("campaigns_officer:summary", args=["11383"])).status_code == 200


def test_the_city_page_lists_every_unit_sorted_by_the_query(client, w):
    signed_in(client, w.city)
    page = client.get(reverse("campaigns_officer:city") + "?sap-xep=ten").content.decode()
    assert page.index("Phường Lê Chân") < page.index("Phường Ngô Quyền")
    page = client.get(reverse("campaigns_officer:city") + "?sap-xep=ten&chieu=nguoc").content.decode()
    assert page.index('id="u-11311"') < page.index('id="u-11383"')
    assert signed_in(client, w.staff).get(reverse("campaigns_officer:city")).status_code == 404


def test_the_people_page_names_only_those_who_agreed(client, w):
    page = signed_in(client, w.staff).get(reverse("campaigns_officer:people", args=["11383"]) + f"?to={w.g1.pk}")
    text = page.content.decode()
    assert "Nguyễn Văn Một" in text and "Lê Văn Ba" in text and "Phạm Thị Bốn" in text
    assert "Trần Thị Hai" not in text and "Chưa Xác Minh" not in text
    assert "và 1 người đã đăng ký khác chưa đồng ý công khai tên" in text


def test_ward_staff_edit_a_groups_survey_and_bad_figures_are_refused(client, w):
    signed_in(client, w.staff)
    url = reverse("campaigns_officer:edit_group", args=["11383", w.g3.pk])
    response = client.post(url, {"households": "5", "smartphone_households": "9", "surveyed_on": "2026-11-30"})
    assert response.status_code == 200
    assert "không thể lớn hơn tổng số hộ" in response.content.decode()
    w.g3.refresh_from_db()
    assert w.g3.smartphone_households is None
    response = client.post(
        url, {"households": "5", "smartphone_households": "4", "surveyed_on": "2026-11-30", "leader_name": "Bà Tư"}
    )
    assert response.status_code == 302
    w.g3.refresh_from_db()
    assert (w.g3.households, w.g3.smartphone_households, w.g3.leader_name) == (5, 4, "Bà Tư")


def test_a_group_csv_with_errors_is_refused_line_by_line(client, w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    signed_in(client, w.staff)
    upload = SimpleUploadedFile("to.csv", "Tên,Số hộ\nTổ dân phố 4,abc\nTổ dân phố 5,7\n".encode(), "text/csv")
    response = client.post(reverse("campaigns_officer:import_groups", args=["11383"]), {"file": upload})
    assert "Dòng 2" in response.content.decode()
    assert not w.lechan.residential_groups.filter(name="Tổ dân phố 5").exists()


def test_the_ward_page_runs_constant_queries(client, w, make_user, settings):
    settings.CAMPAIGN_FIGURES_SECONDS = 0
    signed_in(client, w.staff)
    counter = iter(range(400, 500))

    def grow():
        for group in (w.g1, w.g2, w.g3):
            for _n in range(3):
                number = next(counter)
                resident(
                    make_user,
                    f"+8491100{number:04d}",
                    f"Người {number}",
                    ward=w.lechan,
                    group=group,
                    street=f"{number} Lạch Tray",
                    named=True,
                )

    assert assert_constant_queries(client, ward_url(), grow=grow, max_queries=WARD_PAGE_QUERIES) <= OFFICER_MAX


def test_the_city_page_runs_constant_queries(client, w, make_user, settings):
    settings.CAMPAIGN_CITY_SECONDS = 0
    signed_in(client, w.city)

    def grow():
        for number in range(600, 605):
            resident(
                make_user,
                f"+8491100{number:04d}",
                f"Người {number}",
                ward=w.ngoquyen,
                group=w.nq1,
                street=f"{number} Máy Tơ",
            )

    assert_constant_queries(client, reverse("campaigns_officer:city"), grow=grow, max_queries=CITY_PAGE_QUERIES)


def test_the_home_panel_shows_the_groups_progress_and_the_referral_code(client, w, django_assert_max_num_queries):
    signed_in(client, w.r1)
    client.get("/")
    page = client.get("/").content.decode()
    assert "Tổ dân phố 1: 3 / 8 hộ" in page
    assert "0911 000 101" in page


def test_the_desk_offers_the_campaign_to_ward_staff(client, w):
    page = signed_in(client, w.staff).get(reverse("government:officer_home")).content.decode()
    assert reverse("campaigns_officer:ward", args=["11383"]) in page
    page = signed_in(client, w.city).get(reverse("government:officer_home")).content.decode()
    assert reverse("campaigns_officer:city") in page
