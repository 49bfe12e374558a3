"""The kept counts (campaigns.tallies) follow every change a figure depends on, against the
hand-counted ward of tests/campaigns/world.py (Tổ dân phố 1: 4 registered, 3 homes, 1 active)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import figures, services
from campaigns.models import Tally
from citizens.models import Profile
from government.models import ResidentialGroup

pytestmark = pytest.mark.django_db


def group(name, unit):
    return next(row for row in figures.compute_ward(unit).groups if row.name == name)


def test_a_resident_who_moves_group_counts_in_the_new_one_and_leaves_the_old(w, django_capture_on_commit_callbacks):
    assert (group("Tổ dân phố 1", w.lechan).registered, group("Tổ dân phố 2", w.lechan).registered) == (4, 1)
    profile = Profile.objects.get(user=w.r6)
    profile.residential_group = w.g1
    with django_capture_on_commit_callbacks(execute=True):
        profile.save()
    assert (group("Tổ dân phố 1", w.lechan).registered, group("Tổ dân phố 2", w.lechan).registered) == (5, 0)


def test_a_phone_verified_later_counts_at_once(w, django_capture_on_commit_callbacks):
    assert group("Tổ dân phố 1", w.lechan).registered == 4
    w.r5.phone_verified = True
    with django_capture_on_commit_callbacks(execute=True):
        w.r5.save(update_fields=["phone_verified"])
    g1 = group("Tổ dân phố 1", w.lechan)
    assert (g1.registered, g1.covered) == (5, 4)  # r5's "7 Tô Hiệu" is a home of its own


def test_an_erased_account_leaves_the_figures(w, django_capture_on_commit_callbacks):
    assert group("Tổ dân phố 2", w.lechan).registered == 1
    with django_capture_on_commit_callbacks(execute=True):
        w.r6.delete()
    assert group("Tổ dân phố 2", w.lechan).registered == 0


def test_a_sign_in_counts_in_the_30_day_figure(client, w, django_capture_on_commit_callbacks):
    assert group("Tổ dân phố 1", w.lechan).active == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(w.r1)
    assert group("Tổ dân phố 1", w.lechan).active == 2


def test_counts_older_than_a_day_are_recounted_when_read(w):
    figures.compute_ward(w.lechan)
    Tally.objects.update(registered=99, refreshed_at=timezone.now() - dt.timedelta(days=2))
    assert group("Tổ dân phố 1", w.lechan).registered == 4


def test_the_city_recounts_a_unit_whose_group_has_no_count_yet(w):
    figures.city_figures(use_cache=False)
    Tally.objects.filter(unit=w.lechan).delete()
    rows, _at = figures.city_figures(use_cache=False)
    assert next(row for row in rows if row.code == "11383").registered == 5  # g1 4, g2 1


def test_a_roster_imported_replaces_the_homes_of_its_group(w):
    text = "Tổ dân phố,Mã hộ,Số điện thoại\nTổ dân phố 2,H1,0911000106\nTổ dân phố 2,H2,0999000000\n"
    services.import_roster(unit=w.lechan, file=io.BytesIO(text.encode()))
    g2 = group("Tổ dân phố 2", w.lechan)
    assert (g2.roster, g2.covered) == (2, 1)


def test_a_workplace_added_is_counted_from_the_profiles_that_name_it(w):
    place = services.save_workplace(unit=w.lechan, name="TRƯỜNG THCS LÊ CHÂN (cơ sở 2)", kind="school", headcount=4)
    assert Tally.objects.get(key=f"w{place.pk}").registered == 0
    row = next(r for r in figures.compute_ward(w.lechan).workplaces if r.name == "Trường THCS Lê Chân")
    assert row.registered == 1  # r3, "trường THCS Lê Chân"


def test_the_groups_edit_links_are_the_ones_the_url_names(client, w):
    client.force_login(w.staff)
    page = client.get(reverse("campaigns_officer:ward", args=["11383"])).content.decode()
    for row in figures.compute_ward(w.lechan).groups:
        assert f'href="{reverse("campaigns_officer:edit_group", args=["11383", row.pk])}"' in page


def test_a_groups_name_is_escaped_in_the_table(client, w):
    ResidentialGroup.objects.filter(pk=w.g3.pk).update(name="<b>Tổ</b> 3", leader_name="Bà <i>Ba</i>")
    figures.forget_ward("11383")
    client.force_login(w.staff)
    page = client.get(reverse("campaigns_officer:ward", args=["11383"])).content.decode()
    assert "&lt;b&gt;Tổ&lt;/b&gt; 3" in page and "<b>Tổ</b>" not in page
    assert "Tổ trưởng: Bà &lt;i&gt;Ba&lt;/i&gt;" in page


def test_the_city_table_links_each_unit_to_its_page(client, w):
    client.force_login(w.city)
    page = client.get(reverse("campaigns_officer:city")).content.decode()
    assert f'<a href="{reverse("campaigns_officer:ward", args=["11383"])}">Phường Lê Chân</a>' in page


def test_the_command_recounts_every_unit(w):
    from django.core.management import call_command

    Tally.objects.all().delete()
    out = io.StringIO()
    call_command("campaign_tallies", stdout=out)
    assert "đơn vị" in out.getvalue()
    assert Tally.objects.get(unit=w.lechan, key=f"g{w.g1.pk}").registered == 4


def test_a_workplaces_row_links_its_staff_and_its_lists(client, w):
    client.force_login(w.staff)
    page = client.get(reverse("campaigns_officer:ward", args=["11383"])).content.decode()
    people = reverse("campaigns_officer:people", args=["11383"]) + f"?noi-lam-viec={w.school.pk}"
    export = reverse("campaigns_officer:export", args=["11383", "csv"]) + f"?noi-lam-viec={w.school.pk}"
    assert '<tr><th scope="row">Trường THCS Lê Chân</th><td>Trường học</td><td class="num">3</td>' in page
    assert f'<a href="{people}">1</a>' in page
    assert f'<a href="{export}">CSV<span class="visually-hidden"> Trường THCS Lê Chân</span></a>' in page


def test_a_recount_that_fails_never_fails_the_sign_in(client, w, monkeypatch, django_capture_on_commit_callbacks):
    from campaigns import tallies

    def broken(*args, **kwargs):
        raise RuntimeError("recount failed")

    monkeypatch.setattr(tallies, "refresh_people", broken)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.force_login(w.r1)  # r1 names a group: the sign-in asks for a recount
    assert callbacks and client.get("/").status_code == 200


# --- Helpers ------------------------------------------------------------------------------------


def helper_counts(unit):
    return {row.phone: (row.households, row.people) for row in figures.helpers(unit)}


def test_a_referral_code_changed_moves_the_household_to_the_new_helper(w, django_capture_on_commit_callbacks):
    assert helper_counts(w.lechan) == {"+84911000101": (1, 1)}  # r6 typed r1's number
    profile = Profile.objects.get(user=w.r6)
    profile.referral_code = w.r3.phone
    with django_capture_on_commit_callbacks(execute=True):
        profile.save()
    assert helper_counts(w.lechan) == {"+84911000103": (1, 1)}  # r1 has no one left: gone from the list


def test_a_helpers_neighbour_verified_later_counts_and_one_switched_off_leaves(w, django_capture_on_commit_callbacks):
    figures.helpers(w.lechan)
    Profile.objects.filter(user=w.r5).update(referral_code=w.r1.phone)  # r5: unverified, same group as r1
    w.r5.phone_verified = True
    with django_capture_on_commit_callbacks(execute=True):
        w.r5.save(update_fields=["phone_verified"])
    assert helper_counts(w.lechan) == {"+84911000101": (2, 2)}
    w.r6.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        w.r6.save(update_fields=["is_active"])
    assert helper_counts(w.lechan) == {"+84911000101": (1, 1)}


def test_the_helpers_page_reads_the_kept_counts_not_the_residents(client, w):
    client.force_login(w.staff)
    url = reverse("campaigns_officer:helpers", args=["11383"])
    client.get(url)  # keeps the counts
    from tests.helpers import count_queries

    response, queries = count_queries(client, url)
    assert "0911 000 101" in response.content.decode()
    assert not [sql for sql in queries if "citizens_profile" in sql], queries


def test_helpers_kept_more_than_a_day_ago_are_recounted_when_read(w):
    figures.helpers(w.lechan)
    Tally.objects.filter(unit=w.lechan, key__startswith="h").update(
        homes=99, refreshed_at=timezone.now() - dt.timedelta(days=2)
    )
    assert helper_counts(w.lechan) == {"+84911000101": (1, 1)}
