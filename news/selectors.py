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
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from government.models import AdministrativeUnit
from smarthp.text import search_key

from .models import Article, ArticleCategory, ArticleStatus, Outage, Schedule, WardNotice

PAGE_SIZE = 20
MAX_SEARCH_WORDS = 6
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
    raw = f"{int(article.published_at.timestamp() * 1_000_000)}.{article.pk}"
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


def article_page(filters, cursor=None, size=PAGE_SIZE):
    """(articles, next cursor or None): public articles, newest first, matching `filters`."""
    rows = Article.objects.public().only(*LIST_FIELDS)
    if filters.category:
        rows = rows.filter(category=filters.category)
    if filters.ward:
        rows = rows.only_ward(filters.ward)
    for word in search_key(filters.query).split()[:MAX_SEARCH_WORDS]:
        rows = rows.filter(search_key__contains=word)
    position = parse_cursor(cursor)
    if position is not None:
        at, pk = position
        rows = rows.filter(published_at__lte=at).exclude(published_at=at, pk__gte=pk)
    articles = list(rows.order_by("-published_at", "-pk")[: size + 1])
    more = len(articles) > size
    articles = articles[:size]
    return articles, (make_cursor(articles[-1]) if more and articles else None)


def article_for(user, pk):
    """A public article, or any article for an editor (a draft's preview). Else Http404."""
    article = (
        Article.objects.filter(pk=pk)
        .prefetch_related(Prefetch("wards", AdministrativeUnit.objects.only("code", "name")))
        .defer("search_key")
        .first()
    )
    if article is None:
        raise Http404
    if not article.is_public:
        from .services import is_editor

        if not is_editor(user):
            raise Http404
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


def ward_summary(ward_code):
    """What the home page shows a citizen of this ward: current notices, outages ahead, the next
    reception schedules. One query for the three, kept in the cache."""

    def compute():
        current = timezone.now()
        notices = (
            WardNotice.objects.current(current)
            .for_ward(ward_code)
            .only("pk", "title", "body", "is_urgent", "published_at")
        )
        outages = Outage.objects.ahead(current).for_ward(ward_code).select_related("company")
        schedules = Schedule.objects.filter(ends_at__gt=current, ward_id=ward_code)
        return {
            "notices": [_notice_row(n) for n in notices.order_by("-is_urgent", "-published_at")[:5]],
            "outages": [_outage_row(o) for o in outages.order_by("starts_at", "pk")[:5]],
            "schedules": [
                {
                    "pk": s.pk,
                    "title": s.title,
                    "kind_label": s.get_kind_display(),
                    "starts_at": s.starts_at,
                    "place": s.place,
                }
                for s in schedules.order_by("starts_at", "pk")[:3]
            ],
        }

    return cached(f"ward:{ward_code}", compute)


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
