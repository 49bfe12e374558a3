"""Reads of news, notices, schedules and outages.

Articles are public once published and due (`Article.objects.public()`); drafts are seen by editors
only. Outages on the officer site are scoped to the companies the person works for: another
company's outage is a 404. Lists page by keyset on (published_at, id), newest first: no COUNT(*),
no OFFSET, so a page costs the same at 100,000 articles as at ten.

What the home page shows of a ward (its notices, outages ahead, schedules) and of the city (the
latest news) is the same for everyone there, so it is kept in the cache for NEWS_CACHE_SECONDS
under a generation that every save of news bumps (news.apps): a change shows on the next visit.
"""

import base64
import binascii
import datetime
import functools
import uuid
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from government.models import AdministrativeUnit
from smarthp.sql import Compiled, Statement, aware, id_marker, like, moment_marker, prepared_cursor, text_marker
from smarthp.text import search_key

from .models import Article, ArticleCategory, ArticleStatus, Outage, Schedule, ScheduleKind, WardNotice

PAGE_SIZE = 20
MAX_SEARCH_WORDS = 6
# A search looks through this many of the newest public articles first (see _compiled_page).
SEARCH_PREFIX = 2000
LIST_FIELDS = ("pk", "title", "summary", "category", "published_at", "thumbnail", "is_citywide")
GENERATION_KEY = "news:generation"


# --- Cache generation ---------------------------------------------------------------------------


def cache_seconds():
    return getattr(settings, "NEWS_CACHE_SECONDS", 60)


def bump_generation(**kwargs):
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def cached(name, compute):
    ttl = cache_seconds()
    if ttl <= 0:
        return compute()
    generation = cache.get(GENERATION_KEY) or "0"
    key = f"news:{name}:{generation}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, ttl)
    return value


# --- Articles -----------------------------------------------------------------------------------


def make_cursor(article):
    """The keyset position after `article` (a model or a row of values)."""
    published_at, pk = (
        (article["published_at"], article["pk"]) if isinstance(article, dict) else (article.published_at, article.pk)
    )
    raw = f"{int(published_at.timestamp() * 1_000_000)}.{pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def parse_cursor(value):
    if not value or len(value) > 48:
        return None
    try:
        micros, pk = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode().split(".")
        return datetime.datetime.fromtimestamp(int(micros) / 1_000_000, tz=datetime.UTC), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError, OverflowError, OSError):
        return None


@dataclass(frozen=True)
class Filters:
    query: str = ""
    category: str = ""
    ward: str = ""


def filters_from(params):
    query = " ".join(str(params.get("q", "")).replace("\x00", "")[:100].split())
    category = params.get("chuyen-muc", "")
    ward = str(params.get("phuong", ""))[:5]
    return Filters(
        query=query,
        category=category if category in ArticleCategory.values else "",
        ward=ward if ward.isdigit() else "",
    )


def _public_articles(filters, position, *, now=None, words=None):
    """Public articles matching `filters`, older than `position` ((time, id) or None), newest first.
    `words`: the search's words as they are (_page_sql's stand-ins), else folded from the query."""
    rows = Article.objects.public(now)
    if filters.category:
        rows = rows.filter(category=filters.category)
    if filters.ward:
        rows = rows.only_ward(filters.ward)
    if words is None:
        words = search_key(filters.query).split()[:MAX_SEARCH_WORDS]
    for word in words:
        rows = rows.filter(search_key__contains=word)
    if position is not None:
        at, pk = position
        rows = rows.filter(published_at__lte=at).exclude(published_at=at, pk__gte=pk)
    return rows.order_by("-published_at", "-pk")


def article_page(filters, cursor=None, size=PAGE_SIZE):
    """(articles, next cursor or None): public articles, newest first, matching `filters`."""
    articles = list(_public_articles(filters, parse_cursor(cursor)).only(*LIST_FIELDS)[: size + 1])
    more = len(articles) > size
    articles = articles[:size]
    return articles, (make_cursor(articles[-1]) if more and articles else None)


def article_rows(filters, cursor=None, size=PAGE_SIZE):
    """article_page as the news list shows it: plain values (no model instances), with each
    article's address, its thumbnail's, its category's name and its time as the page writes it."""
    position = parse_cursor(cursor)
    if size == PAGE_SIZE:
        found = _compiled_page(filters, position)
    else:
        found = list(_public_articles(filters, position).values(*LIST_FIELDS)[: size + 1])
    more = len(found) > size
    found = found[:size]
    labels = {value: str(label) for value, label in ArticleCategory.choices}
    article_url = reverse("news:article", args=[0]).removesuffix("0/")  # one reverse, not forty
    rows = []
    for row in found:
        local = timezone.localtime(row["published_at"])
        rows.append(
            {
                **row,
                "url": f"{article_url}{row['pk']}/",
                "thumbnail_url": f"{article_url}{row['pk']}/anh-nho/" if row["thumbnail"] else "",
                "category_label": labels.get(row["category"], row["category"]),
                "iso_time": local.isoformat(),
                "time": local.strftime("%d/%m/%Y %H:%M"),
            }
        )
    last = found[-1] if more and found else None
    return rows, (make_cursor(last) if last else None)


ARTICLE_FIELDS = (
    "pk", "title", "summary", "body", "category", "is_citywide", "picture", "picture_caption", "author_name",
    "status", "published_at", "correction", "corrected_at", "wards__code",
)  # fmt: skip


# The article page's query is the same for every article: compiled once (smarthp.sql), the id its
# one value. A row per ward (one or two).
_article = Compiled(lambda pk: Article.objects.filter(pk=pk).values_list(*ARTICLE_FIELDS).order_by(), pk=id_marker())


@dataclass(frozen=True)
class _Shape:
    """What a list page's SQL depends on, apart from the values: which filters, how many words."""

    category: bool
    ward: bool
    words: int
    position: bool
    prefix: bool = False  # only the SEARCH_PREFIX newest public articles (after the position)


@functools.cache
def _page_sql(shape, vendor):
    """The Statement (smarthp.sql) of the list's page of this shape, for this database `vendor`.

    A list page's SQL is the same for every visit of its shape (a search of two words in a
    category, the second page of the whole list…): the ORM compiles it once per process (1 ms of
    CPU a request), from _public_articles itself with markers for the values (the time now, the
    cursor's time and id, the category, the ward, each word). There are 2 x 2 x 7 x 2 shapes, and a
    search's prefix of the newest articles (_compiled_page)."""
    words = [text_marker(f"word{index}") for index in range(shape.words)]
    markers = {"now": moment_marker(0), **{f"word{index}": word for index, word in enumerate(words)}}
    filters = Filters(query=" ".join(words))
    if shape.category:
        filters = replace(filters, category=markers.setdefault("category", text_marker("category")))
    if shape.ward:
        filters = replace(filters, ward=markers.setdefault("ward", text_marker("ward")))
    position = None
    if shape.position:
        position = markers.setdefault("at", moment_marker(1)), markers.setdefault("pk", id_marker())
    rows = _public_articles(filters, position, now=markers["now"], words=words)
    if shape.prefix:
        newest = _public_articles(Filters(), position, now=markers["now"]).values("published_at")
        rows = rows.filter(published_at__gte=Subquery(newest[SEARCH_PREFIX - 1 : SEARCH_PREFIX]))
    return Statement.of(rows.values_list(*LIST_FIELDS)[: PAGE_SIZE + 1], markers)


def _compiled_page(filters, position):
    """The rows of the list's page (LIST_FIELDS as dicts, PAGE_SIZE + 1 at most) by _page_sql.

    A search first looks through the SEARCH_PREFIX newest public articles (after the position):
    PostgreSQL cannot estimate LIKE '%word%' on the long search keys, guesses a handful of rows and
    scans the whole table (300-600 ms at 100,000 articles) where walking the newest finds a page of
    a common word in a few hundred rows. When the prefix holds more than a page, those are the
    newest matches of all (every article outside it is older); else the whole table is searched."""
    words = search_key(filters.query).split()[:MAX_SEARCH_WORDS]
    shape = _Shape(category=bool(filters.category), ward=bool(filters.ward), words=len(words), position=bool(position))
    if words:
        found = _run_page(replace(shape, prefix=True), filters, position, words)
        if len(found) > PAGE_SIZE:
            return found
    return _run_page(shape, filters, position, words)


def _run_page(shape, filters, position, words):
    from django.db import connection

    at, pk = position or (None, None)
    values = {
        "now": timezone.now(),
        "at": at,
        "pk": pk,
        "category": filters.category,
        "ward": filters.ward,
        **{f"word{index}": like(word) for index, word in enumerate(words)},
    }
    found = [dict(zip(LIST_FIELDS, row, strict=True)) for row in _page_sql(shape, connection.vendor).run(values)]
    for row in found:
        row["published_at"] = aware(row["published_at"])
        row["is_citywide"] = bool(row["is_citywide"])
    return found


def article_for(user, pk):
    """A public article, or any article for an editor (a draft's preview), as the page shows it: a
    dict of ARTICLE_FIELDS (without the wards) with `is_public`, `category_label` and `wards`
    ([{"code", "name"}] in alphabetical order, names from the boundaries index in memory). Else Http404."""

    from government import geo

    found = [dict(zip(ARTICLE_FIELDS, values, strict=True)) for values in _article.run(pk=pk)]
    if not found:
        raise Http404
    article = found[0]
    article["published_at"], article["corrected_at"] = aware(article["published_at"]), aware(article["corrected_at"])
    article["is_citywide"] = bool(article["is_citywide"])
    published = article["published_at"]
    article["is_public"] = article["status"] == ArticleStatus.PUBLISHED and published and published <= timezone.now()
    if not article["is_public"]:
        from .services import is_editor

        if not is_editor(user):
            raise Http404
    article["category_label"] = dict(ArticleCategory.choices).get(article["category"], article["category"])
    codes = {row["wards__code"] for row in found if row["wards__code"]}
    article["wards"] = [{"code": code, "name": name} for code, name in geo.units_choices() if code in codes]
    return article


def latest_city_news(limit=5):
    """The latest public articles, kept in the cache (see the module docstring)."""

    def compute():
        return [
            {
                "pk": a.pk,
                "title": a.title,
                "summary": a.summary,
                "published_at": a.published_at,
                "url": a.get_absolute_url(),
                "short_time": _short(a.published_at, "%d/%m %H:%M"),
            }
            for a in Article.objects.public()
            .only("pk", "title", "summary", "published_at")
            .order_by("-published_at", "-pk")[:limit]
        ]

    return cached(f"city-news:{limit}", compute)


def feed_articles(ward_code=None, limit=30):
    rows = Article.objects.public().defer("search_key").order_by("-published_at", "-pk")
    if ward_code:
        rows = rows.only_ward(ward_code)
    return list(rows[:limit])


# --- Notices, schedules and outages of a ward ---------------------------------------------------


def _notice_row(notice, names=None):
    return {
        "pk": notice.pk,
        "title": notice.title,
        "body": notice.body,
        "is_urgent": notice.is_urgent,
        "published_at": notice.published_at,
        "url": notice.get_absolute_url(),
        "wards": names or [],
    }


def _outage_row(outage):
    return {
        "pk": outage.pk,
        "company": outage.company.name,
        "utility": outage.utility,
        "utility_label": outage.get_utility_display(),
        "kind": outage.kind,
        "kind_label": outage.get_kind_display(),
        "area": outage.area,
        "starts_at": outage.starts_at,
        "ends_at": outage.ends_at,
        "reason": outage.reason,
        "url": outage.get_absolute_url(),
    }


def notices_for_ward(ward_code, limit=10):
    return list(WardNotice.objects.current().for_ward(ward_code).defer("body")[:limit])


def outages_ahead(ward_code=None, limit=20, now=None):
    rows = (
        Outage.objects.ahead(now)
        .select_related("company")
        .only("pk", "utility", "kind", "area", "starts_at", "ends_at", "reason", "places", "company__name")
    )
    if ward_code:
        rows = rows.for_ward(ward_code)
    return list(rows.order_by("starts_at", "pk")[:limit])


def schedules_ahead(ward_code=None, limit=20, now=None):
    rows = Schedule.objects.filter(ends_at__gt=now or timezone.now()).select_related("ward")
    if ward_code:
        rows = rows.filter(ward_id=ward_code)
    return list(rows.order_by("starts_at", "pk")[:limit])


# The home page's one query for a ward: each arm keeps its own order and limit, so each is a
# subquery. Written out rather than built by the ORM (four annotated querysets cost the page more
# to compile than to run); the conditions are those of WardNotice.objects.current(),
# Outage.objects.ahead(), Schedule ends ahead and Article.objects.public(), and
# tests/news/test_notices.py checks the home page against them. Plain SQL that SQLite runs too.
WARD_SUMMARY_SQL = """
SELECT * FROM (
    SELECT 'n' AS kind, n.id AS pk, n.title AS title, n.published_at AS t1, CAST(NULL AS TIMESTAMPTZ) AS t2,
           '' AS text1, '' AS text2, n.is_urgent AS flag
    FROM news_wardnotice n JOIN news_wardnotice_wards w ON w.wardnotice_id = n.id
    WHERE w.administrativeunit_id = %s AND n.published_at <= %s AND (n.expires_at IS NULL OR n.expires_at > %s)
    ORDER BY n.is_urgent DESC, n.published_at DESC, n.id DESC LIMIT 5
) AS n_part
UNION ALL SELECT * FROM (
    SELECT 'o', o.id, o.area, o.starts_at, o.ends_at, c.name, o.utility, o.kind = 'emergency'
    FROM news_outage o JOIN news_outage_wards w ON w.outage_id = o.id JOIN government_agency c ON c.id = o.company_id
    WHERE w.administrativeunit_id = %s AND o.cancelled_at IS NULL AND o.ends_at > %s
    ORDER BY o.starts_at, o.id LIMIT 5
) AS o_part
UNION ALL SELECT * FROM (
    SELECT 's', s.id, s.title, s.starts_at, s.ends_at, s.place, s.kind, FALSE
    FROM news_schedule s WHERE s.ward_id = %s AND s.ends_at > %s
    ORDER BY s.starts_at, s.id LIMIT 3
) AS s_part
UNION ALL SELECT * FROM (
    SELECT 'a', a.id, a.title, a.published_at, CAST(NULL AS TIMESTAMPTZ), a.summary, '', FALSE
    FROM news_article a WHERE a.status = 'published' AND a.published_at <= %s
    ORDER BY a.published_at DESC, a.id DESC LIMIT 3
) AS a_part
"""


def ward_summary(ward_code):
    """What the home page shows a citizen of this ward: current notices, outages ahead, the next
    reception schedules, and the city's latest news. One query (WARD_SUMMARY_SQL), kept in the cache."""
    from django.db import connection

    def compute():
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        params = [ward_code, now, now, ward_code, now, ward_code, now, now]
        with prepared_cursor() as cursor:  # planned once per connection: planning cost more than running
            cursor.execute(WARD_SUMMARY_SQL, params)
            rows = cursor.fetchall()
        summary = {"notices": [], "outages": [], "schedules": [], "articles": []}
        labels = dict(ScheduleKind.choices)
        urls = {
            name: reverse(f"news:{name}", args=[0]).removesuffix("0/") for name in ("notice", "outage", "article")
        }  # one reverse each, not one per row
        for kind, pk, title, t1, t2, text1, text2, flag in rows:
            t1, t2 = aware(t1), aware(t2)
            if kind == "n":
                summary["notices"].append(
                    {"pk": pk, "title": title, "is_urgent": bool(flag), "published_at": t1,
                     "url": f"{urls['notice']}{pk}/", "short_time": _short(t1, "%d/%m %H:%M")}
                )  # fmt: skip
            elif kind == "o":
                summary["outages"].append(
                    {"pk": pk, "area": title, "starts_at": t1, "ends_at": t2, "company": text1, "utility": text2,
                     "kind": "emergency" if flag else "planned", "url": f"{urls['outage']}{pk}/",
                     "short_area": Truncator(title).chars(120),
                     "short_time": f"{_short(t1, '%H:%M %d/%m')} – {_short(t2, '%H:%M %d/%m')}"}
                )  # fmt: skip
            elif kind == "s":
                summary["schedules"].append(
                    {"pk": pk, "title": title, "starts_at": t1, "place": text1, "kind_label": labels.get(text2, ""),
                     "short_time": _short(t1, "%H:%M %d/%m")}
                )  # fmt: skip
            else:
                summary["articles"].append(
                    {"pk": pk, "title": title, "summary": text1, "published_at": t1,
                     "url": f"{urls['article']}{pk}/", "short_time": _short(t1, "%d/%m %H:%M")}
                )  # fmt: skip
        return summary

    return cached(f"ward:{ward_code}", compute)


def _short(value, pattern):
    """A time as the home page writes it, in the city's time: kept in the cache with the rows, so
    the template does not format twenty dates on every visit."""
    return timezone.localtime(value).strftime(pattern) if value else ""


def city_notices(limit=3):
    """The latest current notices of any ward, with their wards' names (for visitors)."""

    def compute():
        notices = list(
            WardNotice.objects.current()
            .prefetch_related(Prefetch("wards", AdministrativeUnit.objects.only("code", "name")))
            .order_by("-published_at", "-pk")[:limit]
        )
        return [_notice_row(n, [w.name for w in n.wards.all()]) for n in notices]

    return cached(f"city-notices:{limit}", compute)


# --- The officer side ---------------------------------------------------------------------------


def company_outages(agency_ids, *, include_past=False):
    rows = (
        Outage.objects.filter(company_id__in=agency_ids)
        .select_related("company")
        .prefetch_related(Prefetch("wards", AdministrativeUnit.objects.only("code", "name")))
    )
    if not include_past:
        rows = rows.filter(ends_at__gt=timezone.now())
    return list(rows.order_by("starts_at", "pk")[:200])


def outage_for_staff(agency_ids, pk):
    outage = Outage.objects.filter(pk=pk, company_id__in=agency_ids).select_related("company").first()
    if outage is None:
        raise Http404
    return outage


def editor_articles(status=None, limit=100):
    rows = Article.objects.defer("body", "search_key").order_by("-updated_at", "-pk")
    if status:
        rows = rows.filter(status=status)
    return list(rows[:limit])


def drafts_count():
    return Article.objects.filter(status=ArticleStatus.DRAFT).count()
