"""The feed's SQL compiled once per filter shape (feedback.compiled) gives what the ORM gives."""

# Fixtures come from tests.feedback.citizen_world, imported by name.
# ruff: noqa: F811

import datetime
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback import compiled, photos, selectors
from feedback.models import Report, ReportPhoto, ReportStatus, visible_reports_q
from tests.feedback.citizen_world import NGO_QUYEN_POINT, file_report, image_bytes, world  # noqa: F401
from tests.helpers import assert_constant_queries

TITLES = ["Ổ gà đường Lạch Tray", "Đèn đường hỏng", "Ngập nước 100% mặt đường", "Cây đổ chắn lối_đi"]
STATUSES = [ReportStatus.IN_PROGRESS, ReportStatus.ANSWERED, ReportStatus.CLOSED, ReportStatus.ASSIGNED]


@pytest.fixture
def reports(world):
    """Sixteen public reports over four titles, categories, wards and statuses, a year and a half
    back, four of them in one microsecond, some with a photo (one of those hidden)."""
    categories = [world.roads, world.electricity, world.ideas, world.roads]
    made = []
    for n in range(16):
        point = NGO_QUYEN_POINT if n % 3 == 0 else None
        report = file_report(
            world.alice if n % 2 else world.bob,
            categories[n % 4],
            title=f"{TITLES[n % 4]} {n}",
            **({"point": point} if point else {}),
            photos=[photos.process(image_bytes())] if n % 5 == 0 else [],
        )
        made.append(report)
    now = timezone.now()
    for n, report in enumerate(made):
        created = now - datetime.timedelta(days=[1, 10, 40, 400][n % 4], minutes=n)
        Report.objects.filter(pk=report.pk).update(status=STATUSES[n // 4], created_at=created)
    same = now - datetime.timedelta(days=20)
    Report.objects.filter(pk__in=[r.pk for r in made[4:8]]).update(created_at=same)
    ReportPhoto.objects.filter(report=made[5]).update(is_hidden=True)
    return made


def orm_rows(filters, position, size, *, any_order):
    """What keyset_page reads through the ORM for the same page."""
    queryset = selectors.filter_reports(selectors.feed_rows_queryset(), filters, any_order=any_order)
    if position is not None:
        at, pk = position.created_at, position.pk
        queryset = queryset.filter(Q(created_at__lte=at), Q(created_at__lt=at) | Q(pk__lt=pk))
    return list(queryset[: size + 1])


def shapes(world):
    yield selectors.FeedFilters()
    for category in (world.infra, world.roads, world.ideas):  # a parent and its two children, leaves
        yield selectors.FeedFilters(category_ids=(category.pk, *category.children.values_list("pk", flat=True)))
    yield selectors.FeedFilters(unit_code=world.lechan.code, status="dang-xu-ly")
    yield selectors.FeedFilters(unit_code=world.ngoquyen.code)
    for status in selectors.STATUS_GROUPS:
        yield selectors.FeedFilters(status=status)
    for period in selectors.PERIOD_DAYS:
        yield selectors.FeedFilters(period=period)
    for query in ("duong", "đèn đường", "duong lach", "100%", "loi_di", "tray o ga", "nothing here"):
        yield selectors.FeedFilters(query=query)
    yield selectors.FeedFilters(
        category_ids=(world.infra.pk, world.roads.pk, world.electricity.pk),
        unit_code=world.lechan.code,
        status="da-tra-loi",
        period="365",
        query="duong",
    )


def test_every_filter_shape_reads_what_the_orm_reads(world, reports):
    checked = 0
    for filters, any_order, size in itertools.product(shapes(world), (False, True), (3, 20)):
        expected = orm_rows(filters, None, size, any_order=any_order)
        assert compiled.feed_rows(filters, None, size, any_order=any_order) == expected, filters
        if expected:  # and from a cursor in the middle (the tied reports included)
            middle = expected[len(expected) // 2]
            position = selectors.Position(middle["created_at"], middle["pk"])
            assert compiled.feed_rows(filters, position, size, any_order=any_order) == orm_rows(
                filters, position, size, any_order=any_order
            ), filters
            checked += 1
    assert checked > 40


def test_the_rows_carry_their_first_public_photo_and_aware_times(world, reports):
    found = {row["pk"]: row for row in compiled.feed_rows(selectors.FeedFilters(), None, 20, any_order=False)}
    assert len(found) == 16
    assert found[reports[0].pk]["first_photo_id"] == reports[0].photos.get().pk
    assert found[reports[5].pk]["first_photo_id"] is None  # its one photo is hidden
    assert all(timezone.is_aware(row["created_at"]) and timezone.is_aware(row["updated_at"]) for row in found.values())
    assert all(row["is_public"] is True for row in found.values())


@pytest.mark.parametrize("narrow", [False, True])
def test_keyset_pages_of_the_compiled_query_walk_every_report_once(world, reports, narrow):
    filters = selectors.FeedFilters(
        category_ids=(world.infra.pk, world.roads.pk, world.electricity.pk) if narrow else ()
    )
    expected = [row["code"] for row in orm_rows(filters, None, 100, any_order=False)]
    seen, cursor = [], None
    while True:
        rows, cursor = selectors.public_feed(filters, cursor, size=3)
        seen += [row.code for row in rows]
        if cursor is None:
            break
    assert seen == expected and len(set(seen)) == len(seen)
    assert len(seen) == (12 if narrow else 16)


def test_a_shape_is_compiled_once_and_then_only_given_its_values(client, world, reports, settings):
    settings.PAKN_PAGE_CACHE_SECONDS = 0
    url = reverse("feedback:feed")
    client.get(url, {"unit": world.lechan.code, "status": "dang-xu-ly"})
    before = compiled.feed_sql.cache_info()
    for unit in (world.lechan.code, world.ngoquyen.code):
        client.get(url, {"unit": unit, "status": "dang-xu-ly"})
    after = compiled.feed_sql.cache_info()
    assert after.misses == before.misses and after.hits >= before.hits + 2


def test_feed_queries_are_constant_for_each_filter(client, world, reports, settings):
    settings.PAKN_PAGE_CACHE_SECONDS = 0

    def grow():
        for n in range(3):
            file_report(world.bob, world.roads, title=f"Đường mới {n}", photos=[photos.process(image_bytes())])

    feed = reverse("feedback:feed")
    for query in (f"unit={world.lechan.code}&status=dang-xu-ly", f"category={world.infra.pk}", "q=duong", "period=7"):
        assert_constant_queries(client, f"{feed}?{query}", grow=grow)


# --- A report's page for a visitor ----------------------------------------------------------------


def orm_report(code):
    queryset = Report.objects.filter(visible_reports_q(None), code=code).select_related(*selectors.REPORT_RELATED)
    return queryset.first()


def names(report):
    return [getattr(related, "name", None) for related in (report.category.parent, report.unit, report.agency)]


def test_a_visitor_gets_the_report_the_orm_gives_with_what_it_was_read_with(world, reports):
    fields = [field.attname for field in Report._meta.concrete_fields]
    for report in reports[:6]:
        with CaptureQueriesContext(connection) as captured:
            found = selectors.report_for(None, report.code)
            shown = [found.category.name, *names(found)]
        assert len(captured.captured_queries) == 1
        expected = orm_report(report.code)
        assert [getattr(found, name) for name in fields] == [getattr(expected, name) for name in fields]
        assert shown == [expected.category.name, *names(expected)]
    assert any(found.category.parent for found in map(orm_report, [r.code for r in reports[:6]]))


def test_a_report_the_public_may_not_see_is_a_404_to_a_visitor(world, reports):
    private = file_report(world.alice, world.roads, is_public=False)
    rejected, merged = reports[0], reports[1]
    Report.objects.filter(pk=rejected.pk).update(status=ReportStatus.REJECTED)
    Report.objects.filter(pk=merged.pk).update(merged_into=reports[2])
    for code in (private.code, rejected.code, merged.code, "PA-2026-999999"):
        with pytest.raises(Http404):
            selectors.report_for(None, code)
        with pytest.raises(Http404):
            selectors.report_for(AnonymousUser(), code)
    assert selectors.report_for(None, reports[2].code).pk == reports[2].pk
    # Its reporter still sees the private one (the ORM's query, with the viewer's rules).
    assert selectors.report_for(world.alice, private.code).pk == private.pk


def test_a_report_without_an_agency_reads_it_as_none(world, reports):
    Report.objects.filter(pk=reports[3].pk).update(agency=None)
    found = selectors.report_for(None, reports[3].code)
    assert found.agency is None and found.category == world.roads and found.category.parent == world.infra


def test_a_visitors_report_query_leaves_the_wards_outline(world, reports):
    with CaptureQueriesContext(connection) as captured:
        found = selectors.report_for(None, reports[0].code)
    assert len(captured.captured_queries) == 1 and "boundary" not in captured.captured_queries[0]["sql"]
    assert found.unit.name == world.ngoquyen.name
