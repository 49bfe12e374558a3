"""The public feed: newest first, keyset pages, filters, search without diacritics, query budget."""

# Fixtures come from tests.feedback.citizen_world, imported by name.
# ruff: noqa: F811

import datetime
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback import photos, selectors
from feedback.models import Follow, Report, ReportStatus
from tests.feedback.citizen_world import (  # noqa: F401
    NGO_QUYEN_POINT,
    file_report,
    fresh_geo_index,
    image_bytes,
    world,
)
from tests.helpers import assert_constant_queries

FEED = reverse("feedback:feed")


def codes_in(response):
    return re.findall(r'class="report-code">(PA-\d{4}-\d+)<', response.content.decode())


def test_the_feed_lists_public_reports_newest_first(client, world):
    first = file_report(world.alice, world.roads, title="Ổ gà thứ nhất")
    second = file_report(world.bob, world.ideas, title="Góp ý thứ hai")
    private = file_report(world.alice, world.roads, title="Riêng tư", is_public=False)
    response = client.get(FEED)
    assert response.status_code == 200
    assert codes_in(response) == [second.code, first.code]
    html = response.content.decode()
    assert private.code not in html
    # The reporter is never named to the public.
    assert world.alice.full_name not in html and world.alice.phone not in html


def test_reports_not_yet_routed_or_rejected_stay_out_of_the_feed(client, world):
    report = file_report(world.alice, world.roads)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.REJECTED)
    assert codes_in(client.get(FEED)) == []


def test_keyset_pages_walk_every_report_once(client, world):
    reports = [file_report(world.alice, world.roads, title=f"Phản ánh số {n}") for n in range(45)]
    # Several reports share one timestamp: ties are broken by id.
    same = timezone.now() - datetime.timedelta(days=1)
    Report.objects.filter(pk__in=[r.pk for r in reports[10:25]]).update(created_at=same)
    expected = list(Report.objects.order_by("-created_at", "-pk").values_list("code", flat=True))

    seen, url = [], FEED
    while url:
        response = client.get(url)
        page = codes_in(response)
        assert len(page) <= selectors.FEED_PAGE_SIZE
        seen += page
        match = re.search(r'href="([^"]+)" rel="next"', response.content.decode())
        url = match.group(1).replace("&amp;", "&") if match else None
    assert seen == expected
    assert "Về mới nhất" in response.content.decode()


def test_a_bad_cursor_shows_the_first_page(client, world):
    report = file_report(world.alice, world.roads)
    assert codes_in(client.get(FEED, {"truoc": "not-a-cursor!"})) == [report.code]


def test_filters_by_category_ward_status_and_period(client, world):
    road = file_report(world.alice, world.roads)
    power = file_report(world.alice, world.electricity, point=NGO_QUYEN_POINT)
    idea = file_report(world.bob, world.ideas)
    Report.objects.filter(pk=idea.pk).update(
        status=ReportStatus.ANSWERED, created_at=timezone.now() - datetime.timedelta(days=40)
    )

    def codes(**params):
        return set(codes_in(client.get(FEED, params)))

    assert codes(category=world.infra.pk) == {road.code, power.code}  # a category includes its sub-categories
    assert codes(category=world.electricity.pk) == {power.code}
    assert codes(unit=world.ngoquyen.code) == {power.code}
    assert codes(status="da-tra-loi") == {idea.code}
    assert codes(status="dang-xu-ly") == {road.code, power.code}
    assert codes(period="30") == {road.code, power.code}
    assert codes(period="365", status="da-tra-loi") == {idea.code}
    assert codes(category="999999") == {road.code, power.code, idea.code}  # an unknown filter is ignored


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("ha tang", True),
        ("hạ tầng", True),
        ("duong", True),
        ("ĐƯỜNG", True),
        ("ngap ha tang", True),
        ("ha tang xuong cap", False),
        ("cau", False),
    ],
)
def test_search_ignores_diacritics_and_case(client, world, query, found):
    report = file_report(
        world.alice,
        world.roads,
        title="Đường hạ tầng kém",
        description="Mưa là ngập, hạ tầng thoát nước của đường Tô Hiệu không đủ.",
    )
    file_report(world.bob, world.ideas, title="Góp ý trồng cây", description="Đề nghị trồng thêm cây xanh.")
    assert (report.code in codes_in(client.get(FEED, {"q": query}))) is found


def test_words_typed_out_of_order_still_find_the_report(client, world):
    report = file_report(
        world.alice, world.roads, title="Ngập nước đường Lạch Tray", description="Mưa là nước lên cao.", address=""
    )
    assert codes_in(client.get(FEED, {"q": "lach tray ngap"})) == [report.code]  # found again in any order
    assert codes_in(client.get(FEED, {"q": "duong lach"})) == [report.code]


def test_the_next_page_of_an_any_order_search_keeps_matching_in_any_order(client, world):
    reports = [
        file_report(world.alice, world.roads, title=f"Tray Lạch số {n}", description="Nước lên cao.", address="")
        for n in range(25)
    ]
    first = client.get(FEED, {"q": "lach tray"})
    assert len(codes_in(first)) == selectors.FEED_PAGE_SIZE
    older = re.search(r'href="([^"]+)" rel="next"', first.content.decode()).group(1).replace("&amp;", "&")
    assert len(codes_in(client.get(older))) == len(reports) - selectors.FEED_PAGE_SIZE


def test_like_wildcards_in_a_search_match_themselves(client, world):
    file_report(world.alice, world.roads, title="Ổ gà lớn")
    assert codes_in(client.get(FEED, {"q": "%"})) == []
    assert codes_in(client.get(FEED, {"q": "o_ga"})) == []
    percent = file_report(world.alice, world.roads, title="Đường dốc 15% rất trơn")
    assert codes_in(client.get(FEED, {"q": "15%"})) == [percent.code]


def test_search_by_tracking_code(client, world):
    report = file_report(world.alice, world.roads)
    file_report(world.alice, world.roads)
    assert codes_in(client.get(FEED, {"q": report.code.lower()})) == [report.code]


def test_the_feed_never_counts_the_whole_table(client, world):
    file_report(world.alice, world.roads)
    with CaptureQueriesContext(connection) as captured:
        client.get(FEED, {"q": "duong", "category": world.infra.pk})
    assert not [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]


def test_the_feed_map_gets_the_listed_pins(client, world):
    report = file_report(world.alice, world.roads)
    html = client.get(FEED).content.decode()
    assert f'data-url="{report.get_absolute_url()}"' in html and 'data-lat="20.840000"' in html
    assert 'data-map="feed"' in html and "leaflet/leaflet.js" in html


# --- Query budget: constant, and at most 8 on citizen pages -----------------------------------
# Counted with the page cache off: what a page costs when its body is not in the cache.


@pytest.fixture
def no_page_cache(settings):
    settings.PAKN_PAGE_CACHE_SECONDS = 0


def grow_reports(world, count=4):
    def grow():
        for n in range(count):
            report = file_report(world.bob, world.roads, title=f"Thêm {n}", photos=[photos.process(image_bytes())])
            Follow.objects.create(user=world.alice, report=report)

    return grow


def test_feed_queries_are_constant(client, world, no_page_cache):
    file_report(world.bob, world.roads, photos=[photos.process(image_bytes())])
    assert_constant_queries(client, FEED, grow=grow_reports(world))
    assert_constant_queries(client, f"{FEED}?q=duong&category={world.infra.pk}&period=30", grow=grow_reports(world))


def test_feed_queries_are_constant_for_a_signed_in_citizen(client, world, no_page_cache):
    client.force_login(world.alice)
    file_report(world.bob, world.roads)
    assert_constant_queries(client, FEED, grow=grow_reports(world))


def test_my_reports_queries_are_constant(client, world, no_page_cache):
    client.force_login(world.alice)
    file_report(world.alice, world.roads)
    Follow.objects.create(user=world.alice, report=file_report(world.bob, world.roads))
    mine = reverse("feedback:mine")
    assert_constant_queries(client, mine, grow=lambda: [file_report(world.alice, world.roads) for _ in range(3)])
    assert_constant_queries(client, mine + "?tab=theo-doi", grow=grow_reports(world))


def test_report_page_queries_are_constant(client, world, no_page_cache):
    report = file_report(world.alice, world.roads, photos=[photos.process(image_bytes())])
    url = report.get_absolute_url()

    def grow():
        from feedback import services

        for n in range(3):
            services.log_event(report, "note", message=f"Bước {n}", is_public=True)
        photos.save_photos(report, [photos.process(image_bytes()) for _ in range(2)])

    assert_constant_queries(client, url, grow=grow)
    client.force_login(world.bob)
    assert_constant_queries(client, url, grow=grow)


# --- The page cache -----------------------------------------------------------------------------


def report_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [q["sql"] for q in captured.captured_queries if "feedback_report" in q["sql"]]


def test_the_feed_is_served_from_the_cache_until_a_report_changes(client, world):
    first = file_report(world.alice, world.roads, title="Ổ gà thứ nhất")
    client.get(FEED)
    response, queries = report_queries(client, FEED)
    assert queries == [] and codes_in(response) == [first.code]
    second = file_report(world.bob, world.roads, title="Ổ gà thứ hai")  # saved: the cached pages are stale
    response, queries = report_queries(client, FEED)
    assert queries and codes_in(response) == [second.code, first.code]
    Report.objects.get(pk=first.pk).save()  # e.g. an officer redacted its title
    assert report_queries(client, FEED)[1]


def test_a_cached_report_page_follows_every_change_of_the_report(client, world):
    from feedback import services
    from feedback.models import EventKind, ReportPhoto

    report = file_report(world.alice, world.roads, photos=[photos.process(image_bytes())])
    url = report.get_absolute_url()
    assert "Đã chuyển cơ quan xử lý" in client.get(url).content.decode()
    assert report_queries(client, url)[1] == []  # a public report's cached page needs no query at all
    with transaction.atomic():
        services.set_status(
            services.lock_report(report.pk), ReportStatus.IN_PROGRESS, kind=EventKind.ACCEPTED, actor=world.ward_officer
        )
    assert "Đang xử lý" in client.get(url).content.decode()
    photo = report.photos.get()
    thumbnail = reverse("feedback:thumbnail", args=[report.code, photo.pk])
    assert thumbnail in client.get(url).content.decode()
    ReportPhoto.objects.filter(pk=photo.pk).update(is_hidden=True)
    Report.objects.get(pk=report.pk).save()  # hiding a photo saves its report (the officer side does)
    assert thumbnail not in client.get(url).content.decode()


def test_private_reports_and_the_reporters_own_view_are_never_cached(client, world):
    from feedback.models import ReportPhoto

    private = file_report(world.alice, world.roads, is_public=False)
    client.force_login(world.ward_officer)
    client.get(private.get_absolute_url())
    assert report_queries(client, private.get_absolute_url())[1]  # looked up (and checked) every time
    client.logout()
    assert client.get(private.get_absolute_url()).status_code == 404

    public = file_report(world.alice, world.roads, photos=[photos.process(image_bytes())])
    photo = public.photos.get()
    ReportPhoto.objects.filter(pk=photo.pk).update(is_hidden=True)
    client.get(public.get_absolute_url())  # a visitor's view is cached, without the hidden photo
    client.force_login(world.alice)
    page = client.get(public.get_absolute_url()).content.decode()
    assert reverse("feedback:thumbnail", args=[public.code, photo.pk]) in page  # she sees her own photo
    assert "Theo dõi phản ánh này" not in page


def test_a_row_names_its_category_and_ward_even_when_the_category_was_retired(client, world, no_page_cache):
    """Rows take the names of categories and wards from memory (the active categories, the geo
    index); a report whose category was since retired still shows that category's name."""
    from feedback.selectors import forget_categories

    report = file_report(world.alice, world.roads, title="Ổ gà thứ nhất")
    world.roads.name = "Giao thông (cũ)"
    world.roads.is_active = False
    world.roads.save()
    forget_categories()
    html = client.get(FEED).content.decode()
    assert report.code in html
    assert f"Giao thông (cũ) · {report.unit.name}" in html
