"""What the list pages show (the catalogue, the desk's queue), worked out here in plain dicts.

A model instance a row, `{% url %}`, `get_FOO_display()` and `|date` for every row cost more than
the SQL at a million dossiers: the rows come from `.values()`, their URLs from one reverse() with a
placeholder, their labels from a table built once per language, their dates formatted by hand.
"""

import datetime
import functools
import html
import re
from types import SimpleNamespace
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.core.signals import setting_changed
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf
from django.dispatch import receiver
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from government.models import Agency
from smarthp import links
from smarthp.sql import Statement, aware, id_marker, like, moment_marker, prepared_cursor, text_marker
from smarthp.text import search_key

from .models import Dossier, DossierStatus, Level, OnlineLevel, Procedure, ProcedureField, overdue

_PLACEHOLDER = "0PLACEHOLDER0"
# A page number past this is read as this one (past the last page: the last page is shown); a
# number such as 10^26 would not fit the database's OFFSET.
MAX_PAGE = 100_000
# The rows' texts are plain str: the standard library's escape gives django.utils.html.escape's
# output without its lazy-string wrapper (about 180 calls a queue page).
escape = html.escape
_LABELS = {}


@receiver(setting_changed)
def _forget_labels(*, setting, **kwargs):
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"):
        _LABELS.clear()


def choice_label(choices, value):
    """get_FOO_display() for `value` of these TextChoices in the active language. Django's hashes
    every lazy label (a gettext call each) on every call; one language's labels never change while
    the process runs, so they are worked out once per language."""
    return choice_labels(choices).get(value, value)


def choice_labels(choices):
    """{value: label} of these TextChoices in the active language (for a loop over rows: asking
    for the active language costs a few microseconds each time)."""
    key = (choices, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {choice: str(label) for choice, label in choices.choices}
    return labels


def labels_once(key, pairs):
    """[(value, label as str)] of `pairs` (lazy labels) in the active language, worked out once per
    `key` and language as choice_labels() does."""
    key = ("pairs", key, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = [(value, str(label)) for value, label in pairs]
    return labels


# Characters quote() never changes: most codes are made of them alone.
_UNQUOTED = re.compile(r"[A-Za-z0-9._~-]*").fullmatch


def url_maker(name):
    """A function code -> URL of the view `name` taking one code (as reverse() quotes), reversed once
    per URLconf, script prefix and language."""
    pattern = links.url(name, _PLACEHOLDER)
    safe = RFC3986_SUBDELIMS + "/~:@"
    return lambda code: pattern.replace(_PLACEHOLDER, code if _UNQUOTED(code) else quote(code, safe=safe))


def _day(moment, zone):
    """`moment`'s date in `zone` as strftime("%d/%m/%Y") writes it ("" for None): strftime took
    1.4 µs a call, two a queue row."""
    if not moment:
        return ""
    moment = moment.astimezone(zone)
    return "%02d/%02d/%d" % (moment.day, moment.month, moment.year)  # noqa: UP031 - faster than an f-string


def _clock_day(moment, zone):
    """`moment` in `zone` as strftime("%H:%M %d/%m/%Y") writes it."""
    moment = moment.astimezone(zone)
    return "%02d:%02d %02d/%02d/%d" % (moment.hour, moment.minute, moment.day, moment.month, moment.year)  # noqa: UP031


# --- The catalogue ---------------------------------------------------------------------------


@functools.cache
def _choices_sql():
    # Compiling this UNION costs the ORM about 2 ms of CPU, more than running it; its SQL never
    # changes, so it is compiled once per process (the rows are read afresh every time). An agency
    # is listed if it has a published procedure: EXISTS probes procedure_published_agency for each
    # (0.1 ms) where a join read every procedure and dropped the repeats (0.7 ms).
    fields = ProcedureField.objects.order_by().annotate(choice=Value(0)).values_list("choice", "slug", "name", "pk")
    published = Procedure.objects.filter(agency=OuterRef("pk"), is_active=True)
    agencies = (
        Agency.objects.filter(Exists(published))
        .order_by()
        .annotate(choice=Value(1))
        .values_list("choice", "slug", "name", "pk")
    )
    return fields.union(agencies, all=True).order_by("choice", "name").query.sql_with_params()


def catalogue_choices():
    """([(slug, name, pk)] of the fields, [(slug, name, pk)] of the agencies with a published
    procedure): the filters' options, and the names the rows show. One query."""
    sql, params = _choices_sql()
    found = {0: [], 1: []}
    with prepared_cursor() as cursor:  # PostgreSQL took longer to plan it (0.35 ms) than to run it
        cursor.execute(sql, params)
        for choice, slug, name, pk in cursor.fetchall():
            found[choice].append((slug, name, pk))
    return found[0], found[1]


PROCEDURE_FIELDS = ("pk", "code", "name", "field_id", "level", "agency_id", "is_active", "online", "online_level")
PROCEDURE_FIELDS += ("is_sample",)
BOOLEANS = ("is_active", "online", "is_sample")
# The catalogue's page size (publicservices.views).
PAGE_SIZE = 20


def procedure_rows(rows, fields, agencies):
    """The catalogue's rows from `.values(*PROCEDURE_FIELDS)`, with the names of their field and agency
    taken from `fields` and `agencies` (catalogue_choices()) rather than from two joins."""
    field_names = {pk: name for _slug, name, pk in fields}
    agency_names = {pk: name for _slug, name, pk in agencies}
    url = url_maker("publicservices:procedure")
    levels, online_levels = choice_labels(Level), choice_labels(OnlineLevel)
    result = []
    for row in rows:
        online = row["is_active"] and row["online"] and row["online_level"] != OnlineLevel.NONE
        meta = [row["code"], field_names.get(row["field_id"], ""), levels.get(row["level"], row["level"])]
        if row["agency_id"] in agency_names:
            meta.append(agency_names[row["agency_id"]])
        row.update(
            url=url(row["code"]),
            meta=" · ".join(meta),
            online_label=online_levels.get(row["online_level"], row["online_level"]) if online else "",
            full=row["online_level"] == OnlineLevel.FULL,
        )
        result.append(row)
    return result


def procedure_items(rows):
    """The catalogue's <li> items as HTML, from procedure_rows(): every text escaped here. The
    template engine spent about 0.1 ms a row on them, more than the query for the page."""
    online, sample = escape(_("Nộp trực tuyến")), escape(_("Dữ liệu mẫu"))
    items = []
    for row in rows:
        tags = ""
        if row["online_label"]:
            full = " ps-tag-full" if row["full"] else ""
            tags = f'<span class="ps-tag{full}">{online}: {escape(row["online_label"])}</span>'
        if row["is_sample"]:
            tags += f'<span class="ps-tag">{sample}</span>'
        items.append(
            f'  <li><a class="ps-title" href="{escape(row["url"])}">{escape(row["name"])}</a>\n'
            f'    <p class="ps-meta">{escape(row["meta"])}</p>\n'
            f'    <p class="ps-meta">{tags}</p></li>\n'
        )
    return mark_safe("".join(items))  # noqa: S308 - escaped above


def catalogue_rows(*, key="", field_id=None, level="", agency_id=None, online=False):
    """The ORM's query of the catalogue's rows (published, filtered, by name), as
    selectors.procedures() filters them; the field and agency by id (the form checked their slugs
    against catalogue_choices(), which gives their ids), `key` a search_key()."""
    rows = Procedure.objects.published()
    if key:
        rows = rows.filter(search_key__contains=key)
    if field_id is not None:
        rows = rows.filter(field_id=field_id)
    if level:
        rows = rows.filter(level=level)
    if agency_id is not None:
        rows = rows.filter(agency_id=agency_id)
    if online:
        rows = rows.filter(online=True).exclude(online_level="none")
    return rows.order_by("name", "pk")


@functools.cache
def _catalogue_sql(vendor, shape, size, offset=False):
    """(rows, count) compiled for the filters named in `shape`, `size` rows at most (written into
    the SQL, as the queue's: _queue_sql), from the first or (`offset`) from a given one. With a
    search, the rows carry the count (`total`, a window over the matches): the search's LIKE then
    reads the procedures once, not once to count and again to list."""
    markers = {"key": text_marker("key"), "field": id_marker(0), "level": text_marker("level"), "agency": id_marker(1)}
    markers = {name: marker for name, marker in markers.items() if name in shape}
    rows = catalogue_rows(
        key=markers.get("key", ""),
        field_id=markers.get("field"),
        level=markers.get("level", ""),
        agency_id=markers.get("agency"),
        online="online" in shape,
    )
    sql, params = rows.order_by().values("pk").query.sql_with_params()
    counted = f"SELECT COUNT(*) FROM ({sql}) subquery"  # noqa: S608 - the ORM's SQL, values bound
    total = Window(Count("pk")) if "key" in shape else RawSQL(counted, params)  # noqa: S611 - the same
    listed = rows.annotate(total=total).values(*PROCEDURE_FIELDS, "total")
    tail, tail_names = (f" LIMIT {int(size)} OFFSET %s", ("offset",)) if offset else (f" LIMIT {int(size)}", ())
    listed = Statement.of(listed, markers, tail=tail, tail_names=tail_names)
    return listed, Statement(counted, params, markers)


class CatalogueRows:
    """The catalogue's filtered procedures for a Paginator: count() and slices run the SQL compiled
    for this set of filters (the same rows as catalogue_rows(...).values(*PROCEDURE_FIELDS)).

    count() reads the page asked for (`number`, as Paginator.get_page() takes it) with the count,
    and the Paginator's slice of that page is served from it: one query, two when that page is
    past the last one."""

    def __init__(self, *, query="", field_id=None, level="", agency_id=None, online=False, number=None):
        key = search_key(query) if query else ""
        self.values = {"key": like(key), "field": field_id, "level": level, "agency": agency_id}
        shape = frozenset(name for name, value in self.values.items() if value not in ("", None))
        self.shape = (connection.vendor, shape | ({"online"} if online else set()))
        self.counted = _catalogue_sql(*self.shape, PAGE_SIZE)[1]
        self.read = None  # (start, rows) of the page read with the count
        self.total = None
        try:
            self.asked = max(0, (min(int(number), MAX_PAGE) - 1) * PAGE_SIZE)
        except (TypeError, ValueError):
            self.asked = 0

    def count(self):
        rows = self._rows(self.asked, PAGE_SIZE)
        self.read = (self.asked, rows)
        if rows:
            return self.total
        return 0 if self.asked == 0 else self.counted.value(self.values)

    def __getitem__(self, bounds):
        start, stop = bounds.start or 0, bounds.stop
        if stop <= start:
            return []
        if self.read and self.read[0] == start and stop - start <= PAGE_SIZE:
            return self.read[1][: stop - start]
        return self._rows(start, stop - start)

    def _rows(self, start, size):
        listed = _catalogue_sql(*self.shape, size, offset=bool(start))[0]
        rows = listed.rows({**self.values, "offset": start}, booleans=BOOLEANS)
        for row in rows:
            self.total = row.pop("total")
        return rows


def options(choices, chosen):
    """The <option> tags of a select, `choices` being (value, label, ...) tuples, `chosen` selected:
    what a template loop over them drew, escaped the same, without the template engine."""
    tags = []
    for value, label, *_rest in choices:
        selected = " selected" if value == chosen else ""
        tags.append(f'<option value="{escape(str(value))}"{selected}>{escape(str(label))}</option>')
    return mark_safe("".join(tags))  # noqa: S308 - escaped above


# --- The desk's queue ------------------------------------------------------------------------

QUEUE_FIELDS = (
    "pk", "code", "applicant_name", "status", "submitted_at", "due_at", "finished_at", "holder_unit",
    "holder_id", "procedure_name", "holder_name",
)  # fmt: skip
# The tabs ordered by the time of submission (never NULL) page by keyset: a page is read from the
# last row of the page before, not by skipping the rows of every page before it.
KEYSET_ORDERS = ("submitted_at", "-submitted_at")
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MICROSECOND = datetime.timedelta(microseconds=1)


def queue_values(rows):
    """A queue's `.values(*QUEUE_FIELDS)`: the procedure's name and who holds the dossier (full name,
    else user name) read by a subquery each rather than two joins, which PostgreSQL took longer to
    plan (0.25 ms) than to run."""
    procedure = Procedure.objects.filter(pk=OuterRef("procedure_id")).order_by().values("name")
    holder = (
        get_user_model()
        .objects.filter(pk=OuterRef("holder_id"))
        .annotate(shown=Coalesce(NullIf("full_name", Value("")), "username"))
        .values("shown")
    )
    return rows.annotate(procedure_name=Subquery(procedure), holder_name=Subquery(holder)).values(*QUEUE_FIELDS)


def queue_querysets(agency_ids, statuses, order, overdue_before=None, *, after=None, before=None):
    """The ORM's queries of a queue: (its rows in order, queue_values(); the same filter without the
    subqueries or order, to count: PostgreSQL counts it from the index alone). `overdue_before`: only
    the dossiers due before that moment. `after` / `before`: (submitted_at, pk) of a row of a tab in
    KEYSET_ORDERS, to read the rows that come after it (in order) or before it (nearest first)."""
    counted = Dossier.objects.filter(agency_id__in=agency_ids, status__in=statuses)
    if overdue_before is not None:
        counted = counted.filter(due_at__lt=overdue_before)
    rows, ordering = counted, (order, "pk")
    if after is not None or before is not None:
        assert order in KEYSET_ORDERS, order
        moment, pk = after if after is not None else before
        # The time bound first, which the index can walk from; then past the row among its equals.
        later = (order == "submitted_at") == (after is not None)
        time = Q(submitted_at__gte=moment) if later else Q(submitted_at__lte=moment)
        strictly = Q(submitted_at__gt=moment) if later else Q(submitted_at__lt=moment)
        among_equals = Q(pk__gt=pk) if after is not None else Q(pk__lt=pk)
        rows = rows.filter(time).filter(strictly | among_equals)
        if before is not None:  # nearest first: the order reversed
            ordering = ("-submitted_at" if order == "submitted_at" else "submitted_at", "-pk")
    return queue_values(rows.order_by(*ordering)), counted.order_by().values("pk")


def queue_cursor(row):
    """The keyset cursor of a queue row (queue_rows()) as a link carries it: its submission time in
    microseconds since 1970 and its id."""
    return f"{(row['submitted_at'] - _EPOCH) // _MICROSECOND}-{row['pk']}"


def read_cursor(text):
    """(submitted_at, pk) of a queue_cursor(), or None if `text` is not one."""
    micros, _sep, pk = (text or "").partition("-")
    if not (micros.isascii() and micros.isdigit() and pk.isascii() and pk.isdigit()):
        return None
    micros, pk = int(micros), int(pk)
    if micros > 10**17 or not 0 < pk < 2**63:  # beyond year 5000, or no id a bigint holds
        return None
    return _EPOCH + micros * _MICROSECOND, pk


@functools.cache
def _queue_sql(vendor, statuses, order, overdue_only, agencies, read, size, cap):
    """(rows with their capped count, the capped count alone) compiled for a tab, with or without
    the overdue filter, for this many agencies, and for how the page is read: `first` rows,
    `after` / `before` a keyset cursor, or from an `offset`. The rows carry the count (`total`, a
    subquery run once): one query, where the count alone is needed only for a page past the last
    one. `size` rows at most, counted up to `cap`: numbers of the code, written into the SQL, so
    that PostgreSQL can plan the statement once (with a LIMIT it does not know it guesses a tenth of
    the rows, and plans again for every run)."""
    ids = [id_marker(number) for number in range(agencies)]
    markers = {f"agency{number}": marker for number, marker in enumerate(ids)}
    size, cap = int(size), int(cap)
    if overdue_only:
        markers["now"] = moment_marker()
    cursor = {}
    if read in ("after", "before"):
        markers["cursor_at"], markers["cursor_pk"] = moment_marker(1), id_marker(agencies + 1)
        cursor = {read: (markers["cursor_at"], markers["cursor_pk"])}
    rows, counted = queue_querysets(ids, statuses, order, markers.get("now"), **cursor)
    sql, params = counted.query.sql_with_params()
    capped = f"SELECT COUNT(*) FROM ({sql} LIMIT {cap}) subquery"  # noqa: S608 - the ORM's SQL, values bound
    count_params = params
    tail = f" LIMIT {size}"
    if read == "offset":
        # The page's ids first, then their names: the subqueries of the select list would otherwise
        # run for every row OFFSET skips (page 100 of a tab: 3,000 rows, 25 ms).
        markers["offset"] = id_marker(agencies + 3)
        ordered, ordered_params = counted.order_by(order, "pk").query.sql_with_params()
        page = RawSQL(f"{ordered} LIMIT {size} OFFSET %s", (*ordered_params, markers["offset"]))  # noqa: S611 - the ORM's SQL, values bound
        rows = queue_values(Dossier.objects.filter(pk__in=page).order_by(order, "pk"))
        tail = ""
    listed = rows.annotate(total=RawSQL(capped, count_params))  # noqa: S611 - the ORM's SQL, values bound
    listed = Statement.of(listed, markers, tail=tail)
    counting = {name: marker for name, marker in markers.items() if name == "now" or name.startswith("agency")}
    return listed, Statement(capped, count_params, counting)


_DATETIMES = ("submitted_at", "due_at", "finished_at")


def _rows(statement, values):
    return statement.rows(values, datetimes=_DATETIMES, binary=True)  # 90 dates a queue page


class QueueRows:
    """A queue's dossiers (the agencies' in `scope`, in `statuses`, by `order`; only those due
    before `now` if `overdue_only`) through the SQL compiled for its shape: the same rows as
    queue_querysets()."""

    def __init__(self, scope, statuses, order, *, overdue_only=False, now=None):
        self.now = now or timezone.now()
        self.values = {f"agency{number}": pk for number, pk in enumerate(scope)}
        self.values["now"] = self.now
        self.keyset = order in KEYSET_ORDERS
        self._shape = (connection.vendor, tuple(statuses), order, overdue_only, len(scope))
        # No status (the overdue filter on a tab of finished dossiers): nothing, and, as the ORM
        # does for an empty IN, no query.
        self.empty = not statuses

    def statement(self, read, size, cap):
        """The compiled statement of this queue's pages read so (one per shape, not per request)."""
        return _queue_sql(*self._shape, read, size, cap)[0]

    def page(self, start, size, cap):
        """(queue_rows() of `size` rows from `start`, how many there are counting no further than `cap`)."""
        return self._read("offset" if start else "first", {"offset": start}, size, cap)

    def after(self, cursor, size, cap):
        """As page(), the `size` rows that follow the row of `cursor` (read_cursor()) in order."""
        return self._read("after", {"cursor_at": cursor[0], "cursor_pk": cursor[1]}, size, cap)

    def before(self, cursor, size, cap):
        """As page(), the `size` rows that come just before the row of `cursor`, in order."""
        rows, count = self._read("before", {"cursor_at": cursor[0], "cursor_pk": cursor[1]}, size, cap)
        return rows[::-1], count

    def _read(self, read, values, size, cap):
        if self.empty:
            return [], 0
        listed, capped = _queue_sql(*self._shape, read, size, cap)
        values = {**self.values, **values}
        rows = _rows(listed, values)
        if not rows:  # past the last page, or none at all
            return [], 0 if values.get("offset") == 0 else capped.value(values)
        return queue_rows(rows, self.now), rows[0]["total"]


def queue_rows(rows, now=None):
    """The queue's rows from queue_values(): link, dates as shown, overdue, who holds it (and the
    row's id and submission time, its keyset cursor)."""
    now = now or timezone.now()
    zone = timezone.get_current_timezone()  # once: timezone.localtime() looks it up on every call
    url = url_maker("publicservices_officer:dossier")
    result = []
    for row in rows:
        due = row["due_at"]
        result.append(
            {
                "pk": row["pk"],
                "submitted_at": row["submitted_at"],
                "code": row["code"],
                "url": url(row["code"]),
                "procedure": row["procedure_name"],
                "applicant": row["applicant_name"],
                "submitted": _clock_day(row["submitted_at"], zone),
                "due": _day(due, zone) or "–",
                "overdue": overdue(row["status"], due, row["finished_at"], now),
                "holder": f"{row['holder_name'] or ''} {row['holder_unit']}".strip(),
            }
        )
    return result


def queue_tabs(tabs, current, chosen=""):
    """The queue's tab links as HTML: `tabs` (key, label) pairs, `current` the tab shown, `chosen`
    the agency kept in every link (empty: all in scope)."""
    agency = f"&amp;co-quan={escape(str(chosen))}" if chosen else ""
    links = []
    for key, label in tabs:
        here = ' aria-current="page"' if key == current else ""
        links.append(f'<a href="?tab={escape(key)}{agency}"{here}>{escape(str(label))}</a>')
    return mark_safe("".join(links))  # noqa: S308 - escaped above


def queue_table_rows(rows):
    """The queue's <tr> rows as HTML, from queue_rows(): every text escaped here (30 rows through the
    template engine took about 2.5 ms of CPU)."""
    late = escape(_("Quá hạn"))
    parts = []
    for row in rows:
        tag = f' <span class="ps-tag ps-tag-late">{late}</span>' if row["overdue"] else ""
        parts.append(
            f'<tr><th scope="row"><a href="{escape(row["url"])}">{escape(row["code"])}</a></th>'
            f"<td>{escape(row['procedure'])}</td><td>{escape(row['applicant'])}</td><td>{row['submitted']}</td>"
            f"<td>{escape(row['due'])}{tag}</td><td>{escape(row['holder'])}</td></tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - escaped above


# --- Lookup by code ---------------------------------------------------------------------------


LOOKUP_FIELDS = ("code", "status", "received_at", "due_at", "applicant_id", "secret", "procedure__name")


@functools.cache
def _lookup_sql():
    # The public lookup is the page anyone can hit: its query's SQL is the same for every code, so
    # the ORM compiles it once per process (0.7 ms of CPU a request) and the code is its one parameter.
    sql, params = Dossier.objects.filter(code="").values(*LOOKUP_FIELDS)[:1].query.sql_with_params()
    assert list(params) == [""], params
    return sql


def lookup_row(code):
    """What a lookup by code shows of a dossier (TT 01/2018 Art. 16.2.d: procedure, status, received
    and due dates), plus what tells its applicant (`applicant_id`, `secret`); None if there is none."""
    with prepared_cursor() as cursor:  # planned once per connection
        cursor.execute(_lookup_sql(), [code])
        found = cursor.fetchone()
    if found is None:
        return None
    row = dict(zip(LOOKUP_FIELDS, found, strict=True))
    zone = timezone.get_current_timezone()
    return SimpleNamespace(
        code=row["code"],
        procedure=row["procedure__name"],
        status=choice_label(DossierStatus, row["status"]),
        received=_day(aware(row["received_at"]), zone) or "–",
        due=_day(aware(row["due_at"]), zone) or "–",
        applicant_id=row["applicant_id"],
        secret=row["secret"],
    )
