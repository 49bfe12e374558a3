"""The ward and city pages' one-query reads (campaigns.reads), the campaign memoised under a
version, and the chart drawn in Python."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from campaigns import drawing, figures, reads, services, tallies
from campaigns.models import Audience, Campaign, Deadline, ExportJob, ExportKind, Snapshot, Tally
from government.models import ResidentialGroup
from tests.campaigns.world import resident
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def ward_page(client, user, code="11383"):
    client.force_login(user)
    return client.get(reverse("campaigns_officer:ward", args=[code])).content.decode()


def _ward_rows(code="11383", **kwargs):
    today = timezone.localdate()
    values = {"today": today, "week": figures.week_start(today), "cutoff": timezone.now() - dt.timedelta(days=1)}
    return reads.ward_rows(code, **{**values, **kwargs})


def _by_kind(rows):
    found = {}
    for row in rows:
        found.setdefault(row[0], []).append(dict(zip(reads.WARD_COLUMNS, row, strict=True)))
    return found


def test_the_ward_rows_give_the_unit_campaign_groups_workplaces_no_group_count_weeks_and_jobs(
    w, django_assert_num_queries
):
    figures.compute_ward(w.lechan)  # keeps the counts
    today = timezone.localdate()
    this_week = figures.week_start(today)
    for weeks_ago, covered in ((1, 3), (2, 2), (13, 1)):
        Snapshot.objects.create(unit=w.lechan, week=this_week - dt.timedelta(weeks=weeks_ago), covered=covered)
    Snapshot.objects.create(unit=w.lechan, week=this_week, covered=9)  # this week: drawn live, not read
    Snapshot.objects.create(unit=w.ngoquyen, week=this_week - dt.timedelta(weeks=1), covered=7)
    job = ExportJob.objects.create(
        user=w.staff, unit=w.lechan, kind=ExportKind.WARD_LIST, fmt="xlsx", label="Cả phường"
    )
    ExportJob.objects.create(user=w.leader, unit=w.lechan, kind=ExportKind.WARD_LIST, fmt="csv", label="Không phải")
    with django_assert_num_queries(1):
        found = _by_kind(_ward_rows(user_id=w.staff.pk))
    assert [(row["name"], row["text"]) for row in found["u"]] == [("Phường Lê Chân", "phuong")]
    assert {(row["name"], row["text"], row["day2"]) for row in found["c"]} == {
        ("Chiến dịch 2026", Audience.RESIDENTS, today + dt.timedelta(days=20)),
        ("Chiến dịch 2026", Audience.STAFF, today + dt.timedelta(days=5)),
    }
    assert [row["name"] for row in found["g"]] == ["Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 3"]
    g1 = found["g"][0]
    assert (g1["number"], g1["number2"], g1["registered"], g1["covered"], g1["active"], g1["stale"]) == (
        10,
        8,
        4,
        3,
        1,
        0,
    )
    assert found["n"][0]["registered"] == 1  # r7 named the ward, no group
    [school] = found["w"]
    assert (school["name"], school["number"], school["text"], school["registered"]) == (
        "Trường THCS Lê Chân",
        3,
        "school",
        1,
    )
    # The unit's last snapshots before this week (at most 11): not this week's, not Ngô Quyền's.
    assert sorted((row["day"], row["number"]) for row in found["s"]) == [
        (this_week - dt.timedelta(weeks=13), 1),
        (this_week - dt.timedelta(weeks=2), 2),
        (this_week - dt.timedelta(weeks=1), 3),
    ]
    assert [row["number"] for row in _by_kind(_ward_rows(weeks=1))["s"]] == [3]
    [mine] = found["j"]
    assert (mine["id"], mine["name"], mine["text"], mine["text2"]) == (job.pk, "Cả phường", "xlsx", "queued")
    assert mine["moment"].tzinfo is not None
    assert "j" not in _by_kind(_ward_rows())  # no user, no jobs


def test_the_ward_rows_flag_a_missing_or_old_count_as_stale(w):
    figures.compute_ward(w.lechan)
    Tally.objects.filter(unit=w.lechan, key=f"g{w.g1.pk}").update(refreshed_at=timezone.now() - dt.timedelta(days=2))
    Tally.objects.filter(unit=w.lechan, key=f"w{w.school.pk}").delete()
    stale = {
        (row["kind"], row["name"]) for row in _by_kind(_ward_rows())["g"] + _by_kind(_ward_rows())["w"] if row["stale"]
    }
    assert stale == {("g", "Tổ dân phố 1"), ("w", "Trường THCS Lê Chân")}


def test_a_unit_that_does_not_exist_reads_nothing_and_counts_nothing(w):
    assert figures.read_ward("99999") is None
    assert not Tally.objects.filter(unit_id="99999").exists()


def test_the_ward_is_read_in_one_query_when_its_counts_are_fresh(w, django_assert_num_queries):
    figures.read_ward("11383")
    with django_assert_num_queries(1):
        found = figures.read_ward("11383", user_id=w.staff.pk)
    assert found.unit == ("11383", "Phường Lê Chân", "phuong")
    assert found.figures.campaign["deadlines"][Audience.STAFF] == timezone.localdate() + dt.timedelta(days=5)
    assert found.figures.totals["registered"] == 5


def test_a_group_without_a_count_yet_is_counted_before_the_page_shows(w):
    figures.compute_ward(w.lechan)
    Tally.objects.filter(unit=w.lechan, key=f"g{w.g2.pk}").delete()
    row = next(r for r in figures.compute_ward(w.lechan).groups if r.pk == w.g2.pk)
    assert (row.registered, row.covered) == (1, 1)


def test_the_no_group_count_missing_is_recounted_too(w):
    figures.compute_ward(w.lechan)
    Tally.objects.filter(unit=w.lechan, key="none").delete()
    assert figures.compute_ward(w.lechan).without_group == 1


def test_the_campaign_comes_with_the_deadlines_that_apply_in_one_query(w, django_assert_num_queries):
    Deadline.objects.create(campaign=w.campaign, audience=Audience.STAFF, unit=w.ngoquyen, due_on=dt.date(2026, 7, 1))
    with django_assert_num_queries(1):
        rows = reads.campaign_rows("11383", timezone.localdate())
    campaign = figures.campaign_from_rows(rows)
    assert campaign["name"] == "Chiến dịch 2026"
    assert campaign["deadlines"][Audience.STAFF] == timezone.localdate() + dt.timedelta(days=5)  # not Ngô Quyền's
    assert figures.campaign_from_rows(reads.campaign_rows("11311", timezone.localdate()))["deadlines"][
        Audience.STAFF
    ] == dt.date(2026, 7, 1)


def test_a_campaign_without_deadlines_and_none_in_force(w):
    Deadline.objects.all().delete()
    assert figures.campaign_for("11383")["deadlines"] == {}
    assert figures.campaign_for("11383", dt.date(2025, 12, 31)) is None  # before it starts


def test_the_campaign_is_memoised_until_a_campaign_or_deadline_changes(w, django_assert_num_queries):
    figures.campaign_for("11383")
    with django_assert_num_queries(0):
        assert figures.campaign_for("11383")["name"] == "Chiến dịch 2026"
    Deadline.objects.filter(campaign=w.campaign, audience=Audience.RESIDENTS).update(due_on=dt.date(2027, 1, 1))
    assert figures.campaign_for("11383")["deadlines"][Audience.RESIDENTS] != dt.date(2027, 1, 1)  # update(): no signal
    deadline = Deadline.objects.get(campaign=w.campaign, audience=Audience.RESIDENTS)
    deadline.save()
    assert figures.campaign_for("11383")["deadlines"][Audience.RESIDENTS] == dt.date(2027, 1, 1)
    w.campaign.name = "Chiến dịch 2026 (sửa)"
    w.campaign.save()
    assert figures.campaign_for("11383")["name"] == "Chiến dịch 2026 (sửa)"
    w.campaign.units.add(w.ngoquyen)  # now Ngô Quyền's only
    assert figures.campaign_for("11383") is None
    w.campaign.delete()
    assert figures.campaign_for("11311") is None


def test_a_memo_without_its_version_in_the_cache_is_not_used(w):
    figures.campaign_for("11383")
    cache.delete(reads.CAMPAIGN_VERSION_KEY)
    Campaign.objects.filter(pk=w.campaign.pk).update(name="Đổi ngoài ORM")
    assert figures.campaign_for("11383")["name"] == "Đổi ngoài ORM"


def test_a_new_deadline_shows_at_once_on_a_ward_page_whose_figures_are_cached(client, w, settings):
    settings.CAMPAIGN_FIGURES_SECONDS = 300
    assert "Hộ gia đình: còn 20 ngày" in ward_page(client, w.staff)
    Deadline.objects.create(
        campaign=w.campaign,
        audience=Audience.RESIDENTS,
        unit=w.lechan,
        due_on=timezone.localdate() + dt.timedelta(days=40),
    )
    page = ward_page(client, w.staff)
    assert "Hộ gia đình: còn 40 ngày" in page
    assert "còn 20 ngày" not in page


def test_the_cached_ward_figures_still_move_with_a_registration(
    w, make_user, settings, django_capture_on_commit_callbacks
):
    settings.CAMPAIGN_FIGURES_SECONDS = 300
    before = figures.ward_figures(w.lechan).totals["registered"]
    with django_capture_on_commit_callbacks(execute=True):
        resident(make_user, "+84911000901", "Mới Đăng Ký", ward=w.lechan, group=w.g3)
    assert figures.ward_figures(w.lechan).totals["registered"] == before + 1


def test_the_ward_page_stays_in_the_officer_budget_with_the_cache_emptied(client, w, make_user, settings):
    """DESIGN §5: at most 15 queries on an officer page, here with nothing cached (as the
    benchmark's --cold), the same whatever the number of groups and residents."""
    client.force_login(w.staff)
    url = reverse("campaigns_officer:ward", args=["11383"])
    count_queries(client, url)
    cache.clear()
    _response, before = count_queries(client, url)
    for number in range(3):
        resident(make_user, f"+849110008{number:02d}", f"Người {number}", ward=w.lechan, group=w.g1, named=True)
    cache.clear()
    _response, after = count_queries(client, url)
    assert len(before) == len(after) <= 15, "\n".join(after)


def _city(cutoff_days=1):
    return {row[0]: row for row in reads.city_rows(timezone.now() - dt.timedelta(days=cutoff_days))}


def test_the_city_rows_read_each_units_total_of_its_groups(w):
    figures.city_figures(use_cache=False)  # counts every unit with groups
    found = _city()
    assert found["11383"][3:] == (3, 12, 5, 4, 0)  # groups, smartphone households, registered, covered, stale
    assert found["11311"][3:] == (1, 3, 1, 1, 0)


def test_a_units_total_is_stale_when_missing_old_or_a_group_is_not_counted(w):
    assert _city()["11383"][7] == 1  # groups, never counted
    tallies.refresh_unit("11383")
    assert _city()["11383"][7] == 0
    Tally.objects.filter(unit=w.lechan, key=f"g{w.g1.pk}").update(refreshed_at=timezone.now() - dt.timedelta(days=2))
    tallies.refresh_total("11383")
    assert _city()["11383"][7] == 1  # its oldest count is two days old
    tallies.refresh_unit("11383")
    ResidentialGroup.objects.create(unit=w.lechan, name="Tổ dân phố 4", smartphone_households=5)
    tallies.refresh_total("11383")  # as the group's signal does after the commit
    assert _city()["11383"][3:] == (4, 17, 5, 4, 1)  # the new group not counted yet
    figures.city_figures(use_cache=False)
    assert _city()["11383"][7] == 0


def test_the_total_sums_only_the_units_own_groups_counts(w):
    tallies.refresh_unit("11383")
    # A profile naming Ngô Quyền's group under Lê Chân is counted there, not in Lê Chân's total.
    Tally.objects.create(
        unit=w.lechan, key=f"g{w.nq1.pk}", group=w.nq1, registered=9, covered=9, refreshed_at=timezone.now()
    )
    tallies.refresh_total("11383")
    assert _city()["11383"][5:7] == (5, 4)


def test_a_registration_and_a_survey_move_the_city_figures(w, make_user, django_capture_on_commit_callbacks):
    figures.city_figures(use_cache=False)
    with django_capture_on_commit_callbacks(execute=True):
        resident(make_user, "+84911000931", "Người Mới", ward=w.lechan, group=w.g3, street="9 Lạch Tray")
    assert _city()["11383"][5:7] == (6, 5)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_group_survey(
            group_id=w.g3.pk, unit=w.lechan, households=6, smartphone_households=4, surveyed_on=None, leader_name=""
        )
    assert _city()["11383"][4] == 16
    rows, _at = figures.city_figures()
    assert next(row for row in rows if row.code == "11383").smartphone_households == 16


# --- The chart ---------------------------------------------------------------------------------


def _old_template_chart(chart):
    # The template the chart had, kept here to check the Python drawing gives the same markup.
    source = (
        '{% load i18n %}{% if chart %}<figure class="chart"><figcaption id="chart-weekly-title">{% if chart.use_rate %}'
        '{% translate "Tỷ lệ hộ đã có người đăng ký theo tuần (%)" %}{% else %}'
        '{% translate "Số hộ đã có người đăng ký theo tuần" %}{% endif %}</figcaption>'
        '<svg viewBox="0 0 {{ chart.width }} {{ chart.height }}" role="img" aria-labelledby="chart-weekly-title" '
        'class="week-chart" preserveAspectRatio="xMinYMin meet">{% for tick in chart.axis %}<line x1="{{ chart.left }}"'
        ' x2="{{ chart.width }}" y1="{{ tick.y|stringformat:\'s\' }}" y2="{{ tick.y|stringformat:\'s\' }}" '
        'class="chart-grid"></line><text x="{{ chart.left|add:\'-6\' }}" y="{{ tick.y|stringformat:\'s\' }}" '
        'class="chart-axis" text-anchor="end" dominant-baseline="middle">{{ tick.label }}</text>{% endfor %}'
        "{% for bar in chart.bars %}<g><title>{% blocktranslate with week=bar.label covered=bar.covered %}Tuần từ "
        "{{ week }}: {{ covered }} hộ{% endblocktranslate %}{% if bar.rate is not None %} "
        "({{ bar.rate|floatformat:1 }}%){% endif %}</title><rect x=\"{{ bar.x|stringformat:'s' }}\" "
        "y=\"{{ bar.y|stringformat:'s' }}\" width=\"{{ bar.width|stringformat:'s' }}\" "
        'height="{{ bar.height|stringformat:\'s\' }}" class="bar-level-{{ bar.level }}"></rect><text '
        'x="{{ bar.label_x|stringformat:\'s\' }}" y="{{ chart.label_y }}" text-anchor="middle" class="chart-axis">'
        "{{ bar.label }}</text></g>{% endfor %}</svg></figure>{% endif %}"
    )
    return Template(source).render(Context({"chart": chart}))


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("with_rate", [True, False])
def test_the_chart_drawn_in_python_is_the_templates(language, with_rate):
    start = dt.date(2026, 1, 5)
    points = [(start + dt.timedelta(weeks=n), 7 * n, round(3.7 * n, 1) if with_rate else None) for n in range(12)]
    chart = drawing.weekly_chart(points)
    with translation.override(language):
        drawn, expected = drawing.weekly_chart_html(chart), _old_template_chart(chart)
    assert "".join(drawn.split()) == "".join(expected.split())
    assert drawn.count("<rect") == 12


def test_the_chart_caption_and_titles_are_translated_and_a_missing_chart_draws_nothing():
    chart = drawing.weekly_chart([(dt.date(2026, 1, 5), 3, 37.5)])
    with translation.override("en"):
        drawn = drawing.weekly_chart_html(chart)
    assert "Share of households with a registered member, by week (%)" in drawn
    assert "(37.5%)" in drawn
    with translation.override("vi"):
        assert "Tuần từ 05/01: 3 hộ (37,5%)" in drawing.weekly_chart_html(chart)
    assert drawing.weekly_chart_html(None) == ""


def test_the_ward_page_shows_the_chart(client, w):
    page = ward_page(client, w.staff)
    assert '<svg viewBox="0 0 640 220" role="img" aria-labelledby="chart-weekly-title"' in page
    assert "Tỷ lệ hộ đã có người đăng ký theo tuần (%)" in page


# --- The countdowns ------------------------------------------------------------------------------

OLD_COUNTDOWN = (  # the template the countdown had (templates/campaigns/_countdown.html)
    '{% load i18n %}{% if countdown %}<p class="countdown{% if countdown.days_left < 0 %} overdue{% endif %}">'
    "{% if countdown.days_left > 0 %}{% blocktranslate count days=countdown.days_left with who=countdown.label "
    'due=countdown.due_on|date:"d/m/Y" %}{{ who }}: còn {{ days }} ngày đến hạn {{ due }}{% plural %}{{ who }}: '
    "còn {{ days }} ngày đến hạn {{ due }}{% endblocktranslate %}{% elif countdown.days_left == 0 %}"
    "{% blocktranslate with who=countdown.label %}{{ who }}: hôm nay là hạn cuối{% endblocktranslate %}{% else %}"
    '{% blocktranslate with who=countdown.label due=countdown.due_on|date:"d/m/Y" %}{{ who }}: đã quá hạn '
    "{{ due }}{% endblocktranslate %}{% endif %}</p>{% endif %}"
)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("days_left", [20, 1, 0, -3])
def test_the_countdown_drawn_in_python_is_the_templates(language, days_left):
    from campaigns.officer_views.rows import countdown

    found = figures.Countdown(Audience.RESIDENTS, Audience.RESIDENTS.label, dt.date(2026, 6, 30), days_left)
    with translation.override(language):
        assert str(countdown(found)) == Template(OLD_COUNTDOWN).render(Context({"countdown": found}))
    assert countdown(None) == ""


def test_the_english_countdown_says_days_in_the_plural():
    from campaigns.officer_views.rows import countdown

    found = figures.Countdown(Audience.STAFF, Audience.STAFF.label, dt.date(2026, 6, 30), 5)
    with translation.override("en"):
        assert "5 days left until the 30/06/2026 deadline" in countdown(found)
