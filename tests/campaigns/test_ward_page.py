"""The ward page drawn from one statement: its queries stay the same however many groups,
workplaces, weeks, jobs and residents there are; the rows memoised by what they show still move
with every registration; jobs, links and languages; nothing for a unit that does not exist."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from campaigns.models import ExportJob, ExportKind, JobStatus, Snapshot, Workplace, WorkplaceKind
from campaigns.officer_views.rows import index_url, unit_links
from government.models import ResidentialGroup
from tests.campaigns.test_pages import OFFICER_MAX, WARD_PAGE_QUERIES
from tests.campaigns.world import resident
from tests.helpers import assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db


def ward_url(code="11383"):
    return reverse("campaigns_officer:ward", args=[code])


def page(client, user, code="11383", status=200):
    client.force_login(user)
    response = client.get(ward_url(code))
    assert response.status_code == status
    return response.content.decode()


def test_the_ward_page_runs_the_same_queries_as_groups_workplaces_weeks_jobs_and_residents_grow(
    client, w, make_user, settings
):
    settings.CAMPAIGN_FIGURES_SECONDS = 0
    client.force_login(w.staff)
    counter = iter(range(700, 800))
    this_week = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())

    def grow():
        number = next(counter)
        group = ResidentialGroup.objects.create(unit=w.lechan, name=f"Tổ dân phố {number}", smartphone_households=4)
        Workplace.objects.create(unit=w.lechan, name=f"Trường {number}", kind=WorkplaceKind.SCHOOL, headcount=9)
        Snapshot.objects.create(unit=w.lechan, week=this_week - dt.timedelta(weeks=number - 690), covered=number)
        ExportJob.objects.create(
            user=w.staff, unit=w.lechan, kind=ExportKind.WARD_LIST, fmt="csv", label=f"Lần {number}"
        )
        for person in range(3):
            resident(
                make_user,
                f"+849110{number:03d}{person:02d}",
                f"Người {number} {person}",
                ward=w.lechan,
                group=group,
                street=f"{person} Lạch Tray",
                named=True,
            )

    grow()  # new groups and workplaces are counted on the first read after them (their kept counts)
    client.get(ward_url())
    queries = assert_constant_queries(client, ward_url(), grow=lambda: (grow(), client.get(ward_url())))
    assert queries <= WARD_PAGE_QUERIES <= OFFICER_MAX


def test_the_ward_page_reads_its_figures_in_one_statement(client, w):
    page(client, w.staff)
    _response, queries = count_queries(client, ward_url())
    own = [sql for sql in queries if "campaigns_" in sql or "government_residentialgroup" in sql]
    assert len(own) == 1, "\n".join(own)


def test_a_registration_shows_at_once_on_a_page_whose_rows_were_drawn_before(
    client, w, make_user, django_capture_on_commit_callbacks
):
    before = page(client, w.staff)
    assert f'<tr id="to-{w.g2.pk}"><td>2</td>' in before  # 25 %, second
    with django_capture_on_commit_callbacks(execute=True):
        resident(make_user, "+84911000951", "Người Mới", ward=w.lechan, group=w.g2, street="8 Hàng Kênh")
    after = page(client, w.staff)
    people = f"{reverse('campaigns_officer:people', args=['11383'])}?to={w.g2.pk}"
    assert (
        f'<td class="num"><a href="{people}">2</a></td><td class="num"><span class="rate rate-2">50,0%</span>' in after
    )
    assert f'<tr id="to-{w.g2.pk}"><td>1</td>' in after  # now first


def test_the_rows_are_drawn_in_the_viewers_language(client, w):
    client.force_login(w.staff)
    with translation.override("en"):
        english = client.get(ward_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    vietnamese = page(client, w.staff)
    assert "37,5%" in vietnamese and "Sửa số liệu" in vietnamese
    assert "37.5%" in english and "Sửa số liệu" not in english


def test_ward_staff_see_their_export_jobs_linked_and_no_one_elses(client, w):
    mine = ExportJob.objects.create(
        user=w.staff, unit=w.lechan, kind=ExportKind.WARD_LIST, fmt="xlsx", label="Cả phường", status=JobStatus.RUNNING
    )
    mine.total, mine.done = 10, 4
    mine.save()
    ExportJob.objects.create(user=w.leader, unit=w.lechan, kind=ExportKind.WARD_LIST, fmt="csv", label="Của lãnh đạo")
    text = page(client, w.staff)
    link = reverse("campaigns_officer:job", args=["11383", mine.pk])
    assert f'<li><a href="{link}">Cả phường (XLSX)</a> – Đang tạo 40%</li>' in text
    assert "Của lãnh đạo" not in text
    assert "Danh sách đang tạo, đã tạo" not in page(client, w.leader)  # figures only: no lists, no jobs


def test_the_links_built_once_are_the_ones_the_url_names(w):
    links = unit_links("11383")
    assert links["ward"] == reverse("campaigns_officer:ward", args=["11383"])
    assert links["people"] == reverse("campaigns_officer:people", args=["11383"])
    assert links["xlsx"] == reverse("campaigns_officer:export", args=["11383", "xlsx"])
    assert links["csv"] == reverse("campaigns_officer:export", args=["11383", "csv"])
    assert f"{links['ward']}tai-ve/7/" == reverse("campaigns_officer:job", args=["11383", 7])
    assert index_url() == reverse("campaigns_officer:index")


def test_the_leader_sees_figures_without_links_and_city_staff_without_lists(client, w):
    people = reverse("campaigns_officer:people", args=["11383"])
    leader = page(client, w.leader)
    assert "37,5%" in leader and people not in leader and "Sửa số liệu" not in leader
    assert reverse("campaigns_officer:log", args=["11383"]) in leader
    city = page(client, w.city)
    assert "37,5%" in city and people not in city
    assert reverse("campaigns_officer:city") in city  # "← Toàn thành phố"


def test_a_unit_that_does_not_exist_is_404_for_city_staff_too(client, w):
    page(client, w.city, code="99999", status=404)
