"""The feed's rows are cached one by one, keyed on the report's version (feedback.pagecache):
a report's save re-renders its own row and no other, in the right language, and which reports a
page lists always comes from the database."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from feedback import pagecache, photos, services, views
from feedback.models import Report, ReportStatus
from tests.feedback.citizen_world import (  # noqa: F401
    file_report,
    fresh_geo_index,
    image_bytes,
    world,
)
from tests.helpers import assert_constant_queries

FEED = reverse("feedback:feed")


@pytest.fixture
def rendered(monkeypatch):
    """The codes of the reports whose rows the feed rendered (rather than took from the cache)."""
    codes = []
    render = views._render_rows

    def spy(reports):
        codes.extend(report.code for report in reports)
        return render(reports)

    monkeypatch.setattr(views, "_render_rows", spy)
    return codes


@pytest.fixture
def three(world):  # noqa: F811
    return [file_report(world.bob, world.roads, title=f"Cột đèn số {n} không sáng") for n in range(3)]


def redact_title(world, report, title):  # noqa: F811
    services.redact_report(
        report_id=report.pk,
        actor=world.ward_officer,
        title=title,
        description=report.description,
        expected_version=report.version,
    )


def test_a_saved_report_shows_its_new_title_at_once_and_only_its_row_is_drawn_again(client, world, three, rendered):  # noqa: F811
    """After a report's title is edited, the next feed (cached a moment ago) shows the new title;
    the other rows come from the cache."""
    assert "Cột đèn số 1 không sáng" in client.get(FEED).content.decode()
    assert sorted(rendered) == sorted(report.code for report in three)
    rendered.clear()

    redact_title(world, three[1], "Cột đèn số 1 tắt cả tuần")
    html = client.get(FEED).content.decode()

    assert "Cột đèn số 1 tắt cả tuần" in html and "Cột đèn số 1 không sáng" not in html
    assert rendered == [three[1].code]
    assert all(report.code in html for report in three)


def test_a_new_thumbnail_or_a_hidden_photo_draws_the_row_again(client, world, rendered):  # noqa: F811
    """Hiding the report's only photo takes the thumbnail out of its row at once."""
    report = file_report(world.bob, world.roads, photos=[photos.process(image_bytes())])
    assert 'class="report-thumb"' in client.get(FEED).content.decode()

    services.set_photo_hidden(
        report_id=report.pk,
        actor=world.ward_officer,
        photo_id=report.photos.get().pk,
        hidden=True,
        expected_version=report.version,
    )

    assert 'class="report-thumb"' not in client.get(FEED).content.decode()


def test_each_language_gets_its_own_rows(client, world, three):  # noqa: F811
    """A row rendered in Vietnamese is not served to an English reader, nor the other way round."""
    with translation.override("vi"):
        vietnamese = str(ReportStatus.ASSIGNED.label)
    with translation.override("en"):
        english = str(ReportStatus.ASSIGNED.label)
    assert vietnamese != english

    assert vietnamese in client.get(FEED).content.decode()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(FEED).content.decode()
    assert english in html and vietnamese not in html

    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "vi"
    html = client.get(FEED).content.decode()
    assert vietnamese in html and english not in html


@pytest.mark.parametrize(
    "change",
    [{"is_public": False}, {"status": ReportStatus.REJECTED}],
    ids=["made private", "rejected"],
)
def test_a_report_that_may_no_longer_be_shown_leaves_the_feed_at_once(client, world, three, change):  # noqa: F811
    """Saved private (or rejected), a report drops out of the next feed, cached page or not."""
    assert three[0].code in client.get(FEED).content.decode()
    report = Report.objects.get(pk=three[0].pk)
    for name, value in change.items():
        setattr(report, name, value)
    report.save()

    html = client.get(FEED).content.decode()
    assert three[0].code not in html and three[1].code in html


def test_a_stale_fragment_never_brings_back_a_report_the_feed_no_longer_lists(client, world, three):  # noqa: F811
    """Even when a change bypasses save() (a bulk update: same version, so its row's fragment is
    still in the cache), a page drawn again lists only what the database says is public."""
    assert three[0].code in client.get(FEED).content.decode()
    Report.objects.filter(pk=three[0].pk).update(is_public=False)
    pagecache.bump_generation()

    html = client.get(FEED).content.decode()
    assert three[0].code not in html and three[2].code in html


def test_the_feed_is_drawn_when_the_cache_fails(client, world, three, monkeypatch):  # noqa: F811
    """A cache that raises on reading or writing rows costs the rendering, not the page."""

    def broken(*args, **kwargs):
        raise ConnectionError("cache away")

    monkeypatch.setattr(cache, "get_many", broken)
    monkeypatch.setattr(cache, "set_many", broken)
    response = client.get(FEED)

    assert response.status_code == 200
    assert all(report.code in response.content.decode() for report in three)


class PageMissClient(Client):
    """Every request finds the page cache stale (as after any report's save); rows stay cached."""

    def get(self, *args, **kwargs):
        pagecache.bump_generation()
        return super().get(*args, **kwargs)


def test_a_page_miss_makes_the_same_few_queries_however_many_rows_are_new(world, three):  # noqa: F811
    """Drawn again with some rows cached and others new (with photos), the feed's queries stay
    constant and within the citizen budget."""

    def grow():
        for n in range(4):
            file_report(world.bob, world.roads, title=f"Mới {n}", photos=[photos.process(image_bytes())])

    assert assert_constant_queries(PageMissClient(), FEED, grow=grow) <= 3


# --- A report's page ------------------------------------------------------------------------------


def test_a_report_page_after_another_reports_save_costs_one_query(client, world, three):  # noqa: F811
    """Another report's save makes every cached page stale; a report's page is then drawn from its
    own version's body, after the one query that finds the report and says it may be shown."""
    url = three[0].get_absolute_url()
    client.get(url)
    redact_title(world, three[1], "Cột đèn số 1 tắt cả tuần")

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)

    assert response.status_code == 200 and "Cột đèn số 0 không sáng" in response.content.decode()
    assert len(captured) == 1, [query["sql"] for query in captured.captured_queries]


def test_a_report_page_shows_its_own_change_at_once(client, world, three):  # noqa: F811
    """The report's own save (a new version) draws its page again; made private, it is a 404."""
    url = three[0].get_absolute_url()
    client.get(url)

    redact_title(world, three[0], "Cột đèn số 0 tắt cả tuần")
    assert "Cột đèn số 0 tắt cả tuần" in client.get(url).content.decode()

    report = Report.objects.get(pk=three[0].pk)
    report.is_public = False
    report.save()
    assert client.get(url).status_code == 404


def test_a_list_that_no_save_touched_is_not_drawn_again(client, world, three, monkeypatch):  # noqa: F811
    """When the page cache went stale through a save elsewhere (here: none at all) and this page's
    rows, versions and filters are what they were, its body comes whole from the cache."""
    drawn = []
    render_to_string = views.render_to_string

    def spy(template_name, *args, **kwargs):
        drawn.append(template_name)
        return render_to_string(template_name, *args, **kwargs)

    monkeypatch.setattr(views, "render_to_string", spy)
    client.get(FEED)
    assert "feedback/_feed_body.html" in drawn
    drawn.clear()

    pagecache.bump_generation()
    html = client.get(FEED).content.decode()

    assert drawn == [] and all(report.code in html for report in three)
