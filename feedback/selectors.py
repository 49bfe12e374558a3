"""Reads of PAKN reports, scoped to the person asking.

Who sees a report (`visible_reports_q`, also `Report.objects.visible_to(user)`):
- everyone: public reports past intake (not merged away, not rejected, not still being routed);
- the reporter: their own reports, whatever their state;
- officers and leaders of an agency: the reports that agency holds;
- 1022 operators (điều phối viên): every report.
Anything else is a 404 to the person asking.

Lists page by keyset on (created_at, id), newest first, with "older" links: no COUNT(*) and no
OFFSET, so a page costs the same at a million reports as at ten.
"""

import base64
import binascii
import datetime
import functools
import math
from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache
from django.core.signals import setting_changed
from django.db.models import Exists, ExpressionWrapper, F, FloatField, Lookup, OuterRef, Prefetch, Q, Subquery
from django.dispatch import receiver
from django.http import Http404
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import get_language

from government.geo import haversine_km, units_choices
from government.models import AdministrativeUnit, Role
from smarthp.text import search_key

from .models import (
    HANDLER_ROLES,
    PUBLIC_HIDDEN_STATUSES,
    Answer,
    AnswerStatus,
    Category,
    Follow,
    PhotoKind,
    Report,
    ReportEvent,
    ReportPhoto,
    ReportStatus,
    Urgency,
    active_memberships,
    choice_label,
    visible_reports_q,
)

OPEN_STATUSES = (
    ReportStatus.TRIAGE,
    ReportStatus.ASSIGNED,
    ReportStatus.IN_PROGRESS,
    ReportStatus.RETURNED,
    ReportStatus.REOPENED,
)
# The feed's status filter speaks the citizen's language: being handled, answered, closed.
STATUS_GROUPS = {
    "dang-xu-ly": OPEN_STATUSES,
    "da-tra-loi": (ReportStatus.ANSWERED,),
    "da-dong": (ReportStatus.CLOSED,),
}
PERIOD_DAYS = {"7": 7, "30": 30, "365": 365}
FEED_PAGE_SIZE = 20
MAX_SEARCH_WORDS = 6
NEARBY_RADIUS_M = 250
METRES_PER_DEGREE_LAT = 111_320


def sees_hidden_photos(user, report):
    """The reporter, the handling agency's officers and 1022 operators also see photos an officer hid
    from the public (a face, a number plate)."""
    if user is None or not user.is_authenticated:
        return False
    if report.reporter_id == user.pk:
        return True
    return (
        active_memberships(user)
        .filter(Q(role=Role.OPERATOR) | Q(role__in=HANDLER_ROLES, agency_id=report.agency_id))
        .exists()
    )


# --- Categories and urgencies ---------------------------------------------------------------

CATEGORIES_CACHE_KEY = "feedback:active-categories"


def active_categories():
    """Active categories with `children_ids` set, parents before children. One query, then kept in
    the cache for a minute (an administrator's change clears it: feedback.apps)."""
    categories = cache.get(CATEGORIES_CACHE_KEY)
    if categories is None:
        categories = _load_active_categories()
        cache.set(CATEGORIES_CACHE_KEY, categories, 60)
    return categories


def forget_categories(**kwargs):
    cache.delete_many([CATEGORIES_CACHE_KEY, FEED_CATEGORIES_CACHE_KEY])


FEED_CATEGORIES_CACHE_KEY = "feedback:feed-categories"


class CategoryTable(NamedTuple):
    """The active categories as the feed and its filter form use them, in plain values: reading the
    model instances back from the cache cost a feed page half a millisecond, twice."""

    choices: tuple  # (str(pk), label): each parent followed by its sub-categories ("— name")
    ids: dict  # str(pk): (pk, *its sub-categories' pks), what choosing it filters on
    names: dict  # pk: (name, slug)


def feed_categories():
    """The CategoryTable of the active categories; kept in the cache as active_categories() is, and
    forgotten with it."""
    table = cache.get(FEED_CATEGORIES_CACHE_KEY)
    if table is None:
        categories = active_categories()
        by_id = {category.pk: category for category in categories}
        choices = []
        for category in categories:
            if not category.parent_id:
                choices.append((str(category.pk), category.name))
                choices += [(str(pk), f"— {by_id[pk].name}") for pk in category.children_ids]
        table = CategoryTable(
            choices=tuple(choices),
            ids={str(category.pk): (category.pk, *category.children_ids) for category in categories},
            names={category.pk: (category.name, category.slug) for category in categories},
        )
        cache.set(FEED_CATEGORIES_CACHE_KEY, table, 60)
    return table


def _load_active_categories():
    categories = list(Category.objects.filter(is_active=True).order_by("parent_id", "position", "name"))
    by_id = {category.pk: category for category in categories}
    for category in categories:
        category.children_ids = []
    for category in categories:
        if category.parent_id in by_id:
            by_id[category.parent_id].children_ids.append(category.pk)
    # Sub-categories of an inactive parent have nowhere to go.
    categories = [c for c in categories if c.parent_id is None or c.parent_id in by_id]
    return sorted(categories, key=lambda c: (c.parent_id is not None, c.position, c.name))


def active_urgencies():
    return list(Urgency.objects.all())


# --- Keyset paging ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """Where the next page starts (older than this report), and how a search matched its words."""

    created_at: datetime.datetime
    pk: int
    any_order: bool = False


def make_cursor(report, *, any_order=False):
    """An opaque "older than this report" cursor for the next page link."""
    micros = int(report.created_at.timestamp() * 1_000_000)
    raw = f"{micros}.{report.pk}" + (".a" if any_order else "")
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def parse_cursor(value):
    """A Position from a cursor, or None when it is missing or not one of ours."""
    if not value or len(value) > 64:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        micros, pk, *flags = raw.split(".")
        if flags not in ([], ["a"]):
            return None
        created_at = datetime.datetime.fromtimestamp(int(micros) / 1_000_000, tz=datetime.UTC)
        return Position(created_at, int(pk), any_order=flags == ["a"])
    except (ValueError, binascii.Error, UnicodeDecodeError, OverflowError, OSError):
        return None


def keyset_page(queryset, cursor, size=FEED_PAGE_SIZE, *, any_order=False, unit_names=None):
    """One page, newest first, and the cursor of the next (older) page or None. `cursor` is a
    cursor string or a Position. (The public feed's pages take the same condition and order in
    SQL compiled once per filter shape: feedback.compiled.)

    `created_at <= c AND (created_at < c OR id < i)`: the first condition lets the database walk a
    created_at index, the second breaks ties between reports of the same microsecond.
    """
    position = parse_cursor(cursor) if isinstance(cursor, str | None) else cursor
    if position is not None:
        created_at, pk = position.created_at, position.pk
        queryset = queryset.filter(Q(created_at__lte=created_at), Q(created_at__lt=created_at) | Q(pk__lt=pk))
    rows = list(queryset.order_by("-created_at", "-pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return prepare_rows(rows, unit_names), (make_cursor(rows[-1], any_order=any_order) if more and rows else None)


_CODE_PLACEHOLDER = "PA-0000-000000"
_PK_PLACEHOLDER = 987654321


def _names(reports, unit_names=None, category_names=None):
    """{category id: (name, slug)} and {ward code: name} of these reports, from the lists kept in
    memory (the active categories, the geo index, or the ward names the caller has at hand) rather
    than two joins and two model instances a row; an inactive category or a ward the index lacks is
    read in one query."""
    categories = dict(feed_categories().names if category_names is None else category_names)
    units = dict(units_choices() if unit_names is None else unit_names)
    missing = {report.category_id for report in reports} - categories.keys()
    if missing:
        rows = Category.objects.filter(pk__in=missing).values_list("pk", "name", "slug")
        categories.update((pk, (name, slug)) for pk, name, slug in rows)
    missing = {report.unit_id for report in reports} - units.keys()
    if missing:
        units.update(AdministrativeUnit.objects.filter(code__in=missing).values_list("code", "name"))
    return categories, units


@functools.lru_cache(maxsize=16)
def _row_urls(urlconf, script_prefix, language):
    """A row's report and thumbnail URLs cut where the code and photo id go: reversed once per
    URLconf, script prefix and language (what a reverse() depends on), not twice a page."""
    detail = reverse("feedback:detail", args=[_CODE_PLACEHOLDER])
    thumbnail = reverse("feedback:thumbnail", args=[_CODE_PLACEHOLDER, _PK_PLACEHOLDER])
    thumbnail = thumbnail.replace(str(_PK_PLACEHOLDER), _CODE_PLACEHOLDER)
    return tuple(detail.split(_CODE_PLACEHOLDER)), tuple(thumbnail.split(_CODE_PLACEHOLDER))


@receiver(setting_changed)
def _forget_row_urls(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":  # tests and the benchmarks swap the URLconf
        _row_urls.cache_clear()


def prepare_rows(reports, unit_names=None, category_names=None):
    """Give listed reports what their row shows (`url`, `thumbnail_url`, `date_label`,
    `category_name`, `unit_name`), worked out here once: `{% url %}` and `|date` for every row cost
    more than the rest of a page. Also `date_iso` for the <time> element, `category_slug` for the API.
    `unit_names`, `category_names`: the (code, name) pairs and the CategoryTable's names when the
    caller has them at hand (the feed's form does)."""
    if not reports:
        return reports
    categories, units = _names(reports, unit_names, category_names)
    (detail_start, detail_end), (thumb_start, thumb_middle, thumb_end) = _row_urls(
        get_urlconf(), get_script_prefix(), get_language()
    )
    zone = timezone.get_current_timezone()  # timezone.localtime() looks it up again for every row
    for report in reports:
        code = report.code
        report.url = f"{detail_start}{code}{detail_end}"
        report.category_name, report.category_slug = categories[report.category_id]
        report.unit_name = units[report.unit_id]
        photos = getattr(report, "public_photos", None)
        report.thumbnail_url = f"{thumb_start}{code}{thumb_middle}{photos[0].pk}{thumb_end}" if photos else None
        day = report.created_at.astimezone(zone).date()
        report.date_iso, report.date_label = day.isoformat(), day.strftime("%d/%m/%Y")
    return reports


def _with_thumbnails(queryset):
    photos = ReportPhoto.objects.filter(kind=PhotoKind.REPORT, is_hidden=False).only(
        "pk", "report_id", "thumbnail", "position"
    )
    return queryset.prefetch_related(Prefetch("photos", queryset=photos, to_attr="public_photos"))


LIST_FIELDS = (
    "pk", "code", "title", "status", "created_at", "lat", "lng", "address", "is_public", "category_id", "unit_id",
)  # fmt: skip


def list_queryset(queryset):
    """What a list of reports shows: the first photo's thumbnail; the names of the category and
    ward come from memory (prepare_rows)."""
    return _with_thumbnails(queryset.only(*LIST_FIELDS))


# --- The public feed --------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedFilters:
    category_ids: tuple = ()  # the chosen category and its sub-categories
    unit_code: str = ""
    status: str = ""  # a key of STATUS_GROUPS
    period: str = ""  # a key of PERIOD_DAYS
    query: str = ""

    @property
    def words(self):
        return search_key(self.query).split()[:MAX_SEARCH_WORDS]


@Report._meta.get_field("search_key").register_lookup
class WordsInOrder(Lookup):
    """`search_key__words_in_order=["duong", "lach"]`: LIKE '%duong%lach%', the words' own LIKE
    wildcards (% _ \\) escaped so they match literally."""

    lookup_name = "words_in_order"
    prepare_rhs = False  # a list of words, not a text value

    def get_db_prep_lookup(self, value, connection):
        escaped = [word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for word in value]
        return "%s", ["%" + "%".join(escaped) + "%"]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        # PostgreSQL escapes with a backslash by default (and only then can use the trigram index
        # for sure); SQLite needs to be told.
        escape = "" if connection.vendor == "postgresql" else " ESCAPE '\\'"
        return f"{lhs} LIKE {rhs}{escape}", [*lhs_params, *rhs_params]


def filter_reports(queryset, filters, now=None, *, any_order=False):
    """Apply the feed's filters. Search: `search_key` is folded text (no diacritics, đ → d, lower
    case), so "duong" finds "đường"; on PostgreSQL a trigram index serves the LIKE (migration 0002).

    The words are matched in the order typed, gaps allowed ("duong lach tray" finds "Đường Lạch
    Tray", and "đường ... Lạch Tray"): one LIKE '%duong%lach%tray%' lets PostgreSQL choose well
    between the trigram index (rare words) and walking the newest reports (common words), where a
    LIKE per word made it read every report holding a common word. `any_order` matches each word
    anywhere instead (public_feed falls back to it when the ordered search finds nothing and no
    other filter narrows the feed).
    """
    if filters.category_ids:
        queryset = queryset.filter(category_id__in=filters.category_ids)
    if filters.unit_code:
        queryset = queryset.filter(unit_id=filters.unit_code)
    if filters.status in STATUS_GROUPS:
        queryset = queryset.filter(status__in=STATUS_GROUPS[filters.status])
    if filters.period in PERIOD_DAYS:
        since = (now or timezone.now()) - datetime.timedelta(days=PERIOD_DAYS[filters.period])
        queryset = queryset.filter(created_at__gte=since)
    words = filters.words
    if any_order:
        for word in words:
            queryset = queryset.filter(search_key__contains=word)
    elif words:
        queryset = queryset.filter(search_key__words_in_order=words)
    return queryset


class ListedRow:
    """A listed report as its row shows it, from `.values()`: building a model instance a row cost
    more than the query (the feed on a cache miss)."""

    def __init__(self, values):
        self.__dict__.update(values)

    def get_status_display(self):
        return choice_label(ReportStatus, self.status)


class _PhotoId:
    __slots__ = ("pk",)

    def __init__(self, pk):
        self.pk = pk


# The thumbnail of a listed row: a subquery per row on the photos' report index, cheaper than a
# second query (its compiling and round trip cost more than twenty index lookups).
_FIRST_PHOTO = Subquery(
    ReportPhoto.objects.filter(report=OuterRef("pk"), kind=PhotoKind.REPORT, is_hidden=False)
    .order_by("position", "pk")
    .values("pk")[:1]
)


def _listed_rows(values):
    rows = [ListedRow(row) for row in values]
    for row in rows:
        row.public_photos = [_PhotoId(row.first_photo_id)] if row.first_photo_id else []
    return rows


# What a feed row shows, and what its cached fragment is keyed on (feedback.pagecache).
FEED_ROW_FIELDS = (*LIST_FIELDS, "version", "updated_at")


@functools.cache
def feed_rows_queryset():
    """The public feed's rows, newest first, as `.values()` with their first photo's id. Built once
    per process and never evaluated itself: feedback.compiled filters a clone of it into the SQL of
    each filter shape."""
    return (
        Report.objects.public()
        .annotate(first_photo_id=_FIRST_PHOTO)
        .values(*FEED_ROW_FIELDS, "first_photo_id")
        .order_by("-created_at", "-pk")
    )


def public_feed(filters, cursor=None, size=FEED_PAGE_SIZE, *, unit_names=None, category_names=None):
    """(rows, next cursor) of the public feed with these filters, rows as ListedRow (with `version`
    and `updated_at`, the key of their cached fragment). One query (two when a search of several
    words, with no other filter, finds nothing in the order typed and is tried again in any order).
    `unit_names`, `category_names`: as prepare_rows takes them."""
    from . import compiled  # it builds its SQL from this module's queryset and filters

    position = parse_cursor(cursor)
    any_order = position.any_order if position else False

    def page(any_order):
        # keyset_page's condition and order, in SQL compiled once per filter shape.
        rows = _listed_rows(compiled.feed_rows(filters, position, size, any_order=any_order))
        more = len(rows) > size
        rows = rows[:size]
        cursor = make_cursor(rows[-1], any_order=any_order) if more and rows else None
        return prepare_rows(rows, unit_names, category_names), cursor

    rows, next_cursor = page(any_order)
    # Only without other filters: common words that no report of a narrow selection holds would
    # make the database read every report holding one of them (about 0.1 s at a million).
    unfiltered = not (filters.category_ids or filters.unit_code or filters.status or filters.period)
    if not rows and position is None and len(filters.words) > 1 and not any_order and unfiltered:
        rows, next_cursor = page(True)
    return rows, next_cursor


def own_reports(user, cursor=None, size=FEED_PAGE_SIZE):
    return keyset_page(list_queryset(Report.objects.filter(reporter=user)), cursor, size)


def followed_reports(user, cursor=None, size=FEED_PAGE_SIZE):
    followed = Report.objects.visible_to(user).filter(Exists(Follow.objects.filter(user=user, report=OuterRef("pk"))))
    return keyset_page(list_queryset(followed), cursor, size)


# --- Open311 (feedback.open311) ------------------------------------------------------------------

# Open311 knows two states: a report with an answer (or closed) is "closed" there.
OPEN311_CLOSED_STATUSES = (ReportStatus.ANSWERED, ReportStatus.CLOSED)


def open311_requests(
    *, category_ids=(), closed=None, start=None, end=None, code=None, codes=None, near=None, cursor=None, size
):
    """(public reports, next cursor) for the Open311 API, newest first, with what a service request
    shows: the agency, the latest published answer (`status_notes`) and the first public photo.
    Three queries whatever the page size. `closed`: True, False or None (both). `codes`: these
    tracking codes only. `near`: (lat, lng, radius in metres), the reports within that circle."""
    queryset = Report.objects.public()
    if codes is not None:
        queryset = queryset.filter(code__in=codes)
    if near is not None:
        queryset = _within(queryset, *near)
    if category_ids:
        queryset = queryset.filter(category_id__in=category_ids)
    if closed is not None:
        done = Q(status__in=OPEN311_CLOSED_STATUSES)
        queryset = queryset.filter(done if closed else ~done)
    if start is not None:
        queryset = queryset.filter(created_at__gte=start)
    if end is not None:
        queryset = queryset.filter(created_at__lte=end)
    if code is not None:
        queryset = queryset.filter(code=code)
    answers = Answer.objects.filter(status=AnswerStatus.PUBLISHED).only("report_id", "text", "published_at")
    queryset = _with_thumbnails(
        queryset.only(*LIST_FIELDS, "description", "updated_at", "answer_due_at", "agency__name").select_related(
            "agency"
        )
    ).prefetch_related(Prefetch("answers", queryset=answers.order_by("published_at", "pk"), to_attr="published"))
    return keyset_page(queryset, cursor, size)


def _within(queryset, lat, lng, radius_m):
    """The rows of `queryset` within `radius_m` of a point: a latitude/longitude box (the point
    index), then the flat-earth distance, exact enough at a city's scale, in SQL so that keyset
    pages stay full."""
    metres_lng = METRES_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.01)
    dlat, dlng = radius_m / METRES_PER_DEGREE_LAT, radius_m / metres_lng
    north = (F("lat") - lat) * METRES_PER_DEGREE_LAT
    east = (F("lng") - lng) * metres_lng
    return queryset.alias(distance_sq=ExpressionWrapper(north * north + east * east, output_field=FloatField())).filter(
        lat__range=(lat - dlat, lat + dlat), lng__range=(lng - dlng, lng + dlng), distance_sq__lte=radius_m * radius_m
    )


# --- One report -------------------------------------------------------------------------------


def is_public(report):
    """Whether anyone at all may see this report (the rule of Report.objects.public())."""
    return report.is_public and report.merged_into_id is None and report.status not in PUBLIC_HIDDEN_STATUSES


REPORT_RELATED = ("category", "category__parent", "unit", "agency")
REPORT_DEFERRED = ("unit__boundary",)  # a ward's outline can weigh hundreds of kilobytes


def report_for(user, code, queryset=None):
    """The report with this code, with its category, ward and agency, if `user` may see it;
    otherwise Http404. One query."""
    if queryset is None and not (user is not None and user.is_authenticated):
        from . import compiled  # a visitor's: the same SQL for every report, compiled once

        report = compiled.public_report(code)
        if report is None:
            raise Http404
        return report
    queryset = Report.objects.all() if queryset is None else queryset
    queryset = queryset.filter(visible_reports_q(user), code=code).order_by()
    found = list(queryset.select_related(*REPORT_RELATED).defer(*REPORT_DEFERRED)[:1])
    if not found:
        raise Http404
    return found[0]


@dataclass
class ReportPage:
    report: Report
    photos: list
    events: list
    answers: list  # published, oldest first, each with `public_photos` and its rating (if any)


def report_page(report, *, with_hidden_photos=False):
    """What a report's page shows, in three queries: photos (the report's and the published
    answers'), the public steps, the published answers. Hidden photos only `with_hidden_photos`
    (the reporter's own view)."""
    photos = ReportPhoto.objects.filter(report=report).filter(
        Q(kind=PhotoKind.REPORT) | Q(kind=PhotoKind.ANSWER, answer__status=AnswerStatus.PUBLISHED)
    )
    if not with_hidden_photos:
        photos = photos.filter(is_hidden=False)
    report_photos, answer_photos = [], {}
    for photo in photos:
        if photo.kind == PhotoKind.REPORT:
            report_photos.append(photo)
        else:
            answer_photos.setdefault(photo.answer_id, []).append(photo)
    events = list(ReportEvent.objects.filter(report=report, is_public=True).select_related("agency"))
    answers = list(
        Answer.objects.filter(report=report, status=AnswerStatus.PUBLISHED)
        .select_related("agency", "rating")
        .order_by("published_at", "pk")
    )
    for answer in answers:
        answer.public_photos = answer_photos.get(answer.pk, [])
    return ReportPage(report, report_photos, events, answers)


def follows(user, report):
    return bool(
        user is not None and user.is_authenticated and Follow.objects.filter(user=user, report_id=report.pk).exists()
    )


def nearby_open(*, lat, lng, category, user, radius_m=NEARBY_RADIUS_M, limit=5):
    """Open reports of the same category (or its sub-categories) within `radius_m` of a point that
    `user` may see, nearest first, each with `distance_m`: shown before a citizen files a duplicate."""
    dlat = radius_m / METRES_PER_DEGREE_LAT
    dlng = radius_m / (METRES_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.01))
    category_ids = [category.pk, *category.children.values_list("pk", flat=True)]
    candidates = (
        Report.objects.visible_to(user)
        .filter(
            status__in=OPEN_STATUSES,
            category_id__in=category_ids,
            lat__range=(lat - dlat, lat + dlat),
            lng__range=(lng - dlng, lng + dlng),
        )
        .only("pk", "code", "title", "status", "lat", "lng", "created_at")
        .order_by("-created_at")[:100]
    )
    found = []
    for report in candidates:
        distance = haversine_km(lat, lng, report.lat, report.lng) * 1000
        if distance <= radius_m:
            report.distance_m = round(distance)
            found.append(report)
    found.sort(key=lambda report: report.distance_m)
    return found[:limit]
