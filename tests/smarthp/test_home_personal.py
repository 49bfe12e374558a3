"""The personal home page: for a signed-in citizen, what is for them today (reports that moved,
notices and outages of their ward); for a visitor, the city's latest news and notices. Within the
citizen page budgets: at most 8 queries, constant as rows grow, under 100 KB."""

# Fixtures come from tests.news.world, imported by name.
# ruff: noqa: F811, E501

import datetime

import pytest
from django.utils import timezone

from benchmarks.weight import BUDGET_KB, measure
from feedback.models import Category, EventKind, Report, ReportEvent, ReportStatus
from news import services
from tests.helpers import assert_constant_queries
from tests.news.world import outage, publish, world  # noqa: F401

pytestmark = pytest.mark.django_db


def notice(world, title, ward, urgent=False):
    return services.publish_notice(
        editor=world.editor, title=title, body="Nội dung", ward_codes=[ward.code], is_urgent=urgent
    )


def test_a_citizen_sees_their_wards_notices_and_outages_and_the_citys_news(world, client):
    publish(world, "Tin thành phố hôm nay")
    notice(world, "Thông báo khẩn Lê Chân", world.lechan, urgent=True)
    notice(world, "Thông báo Ngô Quyền", world.ngoquyen)
    outage(world, ward=world.lechan)
    outage(world, ward=world.ngoquyen, hours=2)

    client.force_login(world.lan)
    page = client.get("/").content.decode()
    assert "Hôm nay cho bạn" in page
    assert "Tin thành phố hôm nay" in page
    assert "Thông báo khẩn Lê Chân" in page and "Thông báo Ngô Quyền" not in page
    assert "Cắt điện" in page and "Theo phường, xã trong hồ sơ của bạn" in page
    assert page.count('class="outage-planned"') == 1


def test_a_visitor_sees_the_citys_latest_news_and_notices(world, client):
    publish(world, "Tin thành phố hôm nay")
    notice(world, "Thông báo Ngô Quyền", world.ngoquyen)
    page = client.get("/").content.decode()
    assert "Tin mới của thành phố" in page and "Tin thành phố hôm nay" in page
    assert "Thông báo Ngô Quyền" in page and "Phường Ngô Quyền" in page
    assert "Hôm nay cho bạn" not in page


def test_a_citizen_without_a_ward_is_asked_for_it(world, client, make_user):
    client.force_login(make_user(username="no-ward"))
    assert "Cho biết phường, xã bạn sống" in client.get("/").content.decode()


def test_my_reports_that_moved_show_on_my_home_page(world, client):
    category = Category.objects.create(name="Đường, hè phố", slug="duong")
    mine = Report.objects.create(
        code="PA-2026-000001", category=category, title="Ổ gà Lạch Tray", description="x" * 30,
        reporter=world.lan, unit=world.lechan, status=ReportStatus.IN_PROGRESS,
    )  # fmt: skip
    ReportEvent.objects.create(report=mine, kind=EventKind.SUBMITTED, actor=world.lan)
    client.force_login(world.lan)
    assert "Ổ gà Lạch Tray" not in client.get("/").content.decode()  # only my own step so far
    ReportEvent.objects.create(report=mine, kind=EventKind.ACCEPTED, actor=world.editor)
    page = client.get("/").content.decode()
    assert "Phản ánh của tôi có tiến triển" in page and "Ổ gà Lạch Tray" in page and "Cơ quan nhận xử lý" in page
    assert '<a href="/phan-anh/PA-2026-000001/">Ổ gà Lạch Tray</a>' in page


def test_the_personal_home_page_stays_within_8_queries_as_rows_grow(world, client, settings):
    """Cache off: the worst case, every panel read from the database."""
    settings.NEWS_CACHE_SECONDS = 0
    client.force_login(world.lan)
    category = Category.objects.create(name="Đường, hè phố", slug="duong")
    counter = iter(range(2, 100))

    def grow():
        for number in range(3):
            publish(world, f"Tin {number}")
            notice(world, f"Thông báo {number}", world.lechan)
            outage(world, ward=world.lechan, hours=number + 1)
            report = Report.objects.create(
                code=f"PA-2026-{next(counter):06d}", category=category, title=f"Phản ánh {number}", description="x" * 30,
                reporter=world.lan, unit=world.lechan, status=ReportStatus.IN_PROGRESS,
            )  # fmt: skip
            ReportEvent.objects.create(report=report, kind=EventKind.ACCEPTED, actor=world.editor)

    grow()
    assert_constant_queries(client, "/", grow=grow)


def test_the_visitors_home_page_stays_within_budget(world, client, settings):
    settings.NEWS_CACHE_SECONDS = 0

    def grow():
        for number in range(3):
            publish(world, f"Tin {number}")
            notice(world, f"Thông báo {number}", world.ngoquyen)

    grow()
    assert_constant_queries(client, "/", grow=grow)


def test_the_personal_home_page_weighs_under_100_kb(world, client):
    for number in range(5):
        publish(world, f"Tin thành phố số {number} " + "dài " * 20)
        notice(world, f"Thông báo số {number}", world.lechan)
        outage(world, ward=world.lechan, hours=number + 1)
    client.force_login(world.lan)
    result = measure(client, "/")
    assert result["gzip"] < BUDGET_KB * 1024, result["items"]


def test_a_scheduled_article_reaches_the_home_page_only_when_due(world, client, settings):
    settings.NEWS_CACHE_SECONDS = 0
    publish(world, "Tin hẹn giờ", at=timezone.now() + datetime.timedelta(hours=1))
    assert "Tin hẹn giờ" not in client.get("/").content.decode()


def test_a_citizen_with_a_ward_and_a_group_costs_8_queries_with_nothing_cached(world, client, settings):
    """Every panel with something to show (news, the group's install progress, the bell) and an
    empty cache: the profile is read once for all panels, the group's figure from its kept count."""
    from django.core.cache import cache

    from citizens.models import Profile
    from government.models import ResidentialGroup
    from tests.helpers import count_queries

    settings.NEWS_CACHE_SECONDS = 0
    group = ResidentialGroup.objects.create(unit=world.lechan, name="Tổ dân phố số 2", smartphone_households=60)
    profile = Profile.objects.get(user=world.lan)
    profile.residential_group, profile.street_address = group, "12 Lạch Tray"
    profile.save()  # as the profile page saves it: the group's kept count follows
    notice(world, "Thông báo Lê Chân", world.lechan)
    client.force_login(world.lan)
    client.get("/")  # per-process caches (site, translations)
    cache.clear()
    response, queries = count_queries(client, "/")
    page = response.content.decode()
    assert "Tổ dân phố số 2" in page and "/ 60" in page and "Thông báo Lê Chân" in page
    assert len(queries) <= 8, "\n".join(sql[:120] for sql in queries)
