"""The news list's SQL, compiled once per filter shape (news.selectors._page_sql): every shape gives
what the queryset of the models' rules gives, page after page, in one query whatever the rows."""

# Fixtures come from tests.news.world, imported by name.
# ruff: noqa: F811

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news import selectors
from tests.news.world import publish, world  # noqa: F401

pytestmark = pytest.mark.django_db

TITLES = ["Khám sức khỏe miễn phí", "Đường Lạch Tray thông xe", "Giảm 50% phí_gửi xe", "Tiêm chủng mở rộng"]
QUERIES = ["", "khám", "MIỄN phí khám", "50%", "phí_gửi", "đường lạch tray", "không có tin này", "a b c d e f g"]


@pytest.fixture
def articles(world):
    start = timezone.now() - datetime.timedelta(days=2)
    same = start + datetime.timedelta(hours=1)  # ties on the publish time, as the keyset must handle
    made = []
    for number in range(48):
        made.append(
            publish(
                world,
                f"{TITLES[number % 4]} {number}",
                ward=[None, world.lechan, world.ngoquyen][number % 3],
                category=["thoi-su", "y-te"][number % 2],
                at=same if number % 5 == 0 else start + datetime.timedelta(minutes=number),
            )
        )
    publish(world, "Khám sức khỏe hẹn giờ", at=timezone.now() + datetime.timedelta(hours=3))
    return made


def _walk(filters, page):
    seen, cursor = [], None
    while True:
        rows, cursor = page(filters, cursor)
        seen.append([row["pk"] if isinstance(row, dict) else row.pk for row in rows])
        if not cursor:
            return seen


@pytest.fixture
def prefix(monkeypatch):
    """A search's first look covers this many newest articles (news.selectors.SEARCH_PREFIX)."""

    def use(size):
        monkeypatch.setattr(selectors, "SEARCH_PREFIX", size)
        selectors._page_sql.cache_clear()

    yield use
    selectors._page_sql.cache_clear()


@pytest.mark.parametrize("size", [2000, 30, 3])
@pytest.mark.parametrize("query", QUERIES)
def test_every_filter_shape_walks_as_the_queryset_does(world, articles, query, size, prefix):
    """Search words (diacritics, case, % and _ taken literally), a category, a ward, the older
    pages, a search's first look at the newest articles larger or smaller than the table: the
    compiled SQL gives the ORM's rows and cursors."""
    prefix(size)
    for category, ward in itertools.product(["", "y-te"], ["", world.lechan.code]):
        filters = selectors.Filters(query=query, category=category, ward=ward)
        compiled = _walk(filters, selectors.article_rows)
        assert compiled == _walk(filters, selectors.article_page), filters
        if not (query or category or ward):
            assert [len(page) for page in compiled] == [20, 20, 8]  # the 48 due, not the one to come


def test_rows_carry_the_values_the_list_shows(world, articles):
    rows, _cursor = selectors.article_rows(selectors.Filters(query="50%", ward=world.ngoquyen.code))
    found = {article.pk: article for article in articles}
    for row in rows:
        article = found[row["pk"]]
        assert row["title"] == article.title and row["published_at"] == article.published_at
        assert row["is_citywide"] is False and row["category_label"] in ("Thời sự", "Y tế, giáo dục")
    assert rows and all("50%" in row["title"] for row in rows)


def test_each_shape_is_one_query_and_compiled_once(world, articles, prefix):
    prefix(25)
    filters = selectors.Filters(category="y-te", ward=world.lechan.code)
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            selectors.article_rows(filters)
        assert len(queries) == 1
    # A search whose first look at the 25 newest finds more than a page: one query; else two.
    _rows, cursor = selectors.article_rows(selectors.Filters(query="viết"))  # every body: three pages
    with CaptureQueriesContext(connection) as queries:
        rows, _cursor = selectors.article_rows(selectors.Filters(query="viết"), cursor)
    assert len(queries) == 1 and len(rows) == 20
    with CaptureQueriesContext(connection) as queries:
        rows, _cursor = selectors.article_rows(selectors.Filters(query="50%"))
    assert len(queries) == 2 and len(rows) == 12
    info = selectors._page_sql.cache_info()
    # (category, ward) once and twice again; (one word, first look), (one word, older, first look),
    # (one word, first look) again for "50%", then (one word) for its whole search.
    assert info.currsize == 4 and info.hits == 3


def test_the_list_page_stays_one_query_with_every_filter(world, articles, client):
    from tests.helpers import assert_constant_queries

    def more():
        for number in range(25):
            publish(world, f"Khám bệnh thêm {number}", ward=world.lechan, category="y-te")

    params = {"q": "khám", "chuyen-muc": "y-te", "phuong": world.lechan.code}
    url = "/tin-tuc/?" + "&".join(f"{key}={value}" for key, value in params.items())
    # Two: the first look at the 2,000 newest finds nothing (the table holds fewer), then the whole.
    assert assert_constant_queries(client, url, grow=more) == 2


@pytest.fixture
def same_language():
    from django.utils import translation

    language = translation.get_language()
    yield
    translation.activate(language)  # a request in English leaves English active in this thread


def test_the_filters_keep_what_was_asked_escaped_in_either_language(world, articles, client, same_language):
    """The filters are drawn once per language ({% drawn %}); the query, the chosen category and
    ward are put in on each visit, the query escaped."""
    from django.conf import settings

    params = {"q": '"><script>x', "chuyen-muc": "y-te", "phuong": world.lechan.code}
    page = client.get("/tin-tuc/", params).content.decode()
    assert 'name="q" value="&quot;&gt;&lt;script&gt;x"' in page and "<script>x" not in page
    assert '<option value="y-te" selected>' in page and f'<option value="{world.lechan.code}" selected>' in page
    assert "<h1>Tin tức: Phường Lê Chân</h1>" in page and "Gõ có dấu hoặc không dấu" in page
    assert f'href="/tin-tuc/phuong/{world.lechan.code}/rss/">RSS của Phường Lê Chân</a>' in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/tin-tuc/", {"q": "khám"}).content.decode()
    assert "Type with or without accents" in english and 'value="khám"' in english
    assert "Phường Lê Chân</h1>" not in english and '/rss/">RSS của' not in english
