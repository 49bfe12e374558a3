"""The public feed's query and a report page's, their SQL compiled once per process.

The ORM spent about a millisecond of CPU compiling the feed's query on every page (its photo
subquery, the public rule, the filters), as much as PostgreSQL spent running it. The SQL depends
only on the *shape* of the filters (how many categories, whether a ward, which status group and
period, how many search words and how they match, whether the page starts at a cursor), never on
their values: each shape is compiled once per process, from selectors.filter_reports and the
same keyset condition as selectors.keyset_page, with stand-in values that name the parameters.
A page then only fills in its values; the rows are read from the database on every request.

A report's page for a visitor (selectors.report_for with nobody signed in) is one query whose SQL
is the same for every report, the code its one value: compiled once per process and thread, its
rows made into the report (with its category, ward and agency) by the ORM's own loading.

tests/feedback/test_compiled.py checks that each gives what the ORM gives.
"""

import datetime
import functools
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Q
from django.db.models.query import get_related_populators
from django.utils import timezone

from smarthp.sql import aware, prepared_cursor

from . import selectors
from .models import Report, visible_reports_q

# Stand-ins no real value can equal: negative ids, words and a ward code no report has, times
# long before the portal.
_CATEGORY = -900_000
_PK = -900_999
_UNIT = "zzstandinunit"
_CODE = "zzstandincode"
_WORD = "zzstandinword"
_NOW = datetime.datetime(2000, 1, 1, 0, 0, 1, tzinfo=datetime.UTC)
_AT = datetime.datetime(2000, 1, 1, 0, 0, 2, tzinfo=datetime.UTC)

COLUMNS = (*selectors.FEED_ROW_FIELDS, "first_photo_id")


@dataclass(frozen=True)
class Shape:
    """What the feed's SQL depends on; the values go in as parameters."""

    categories: int
    unit: bool
    status: str
    period: str
    words: int
    any_order: bool
    position: bool
    size: int


def _like(words, *, any_order):
    """The LIKE patterns of these words: one in the order typed (selectors.WordsInOrder), or one
    a word (Django's `contains`)."""
    if any_order:
        return ["%" + connection.ops.prep_for_like_query(word) + "%" for word in words]
    escaped = [word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for word in words]
    return ["%" + "%".join(escaped) + "%"]


@functools.lru_cache(maxsize=256)
def feed_sql(shape, vendor):
    """(SQL, the name of each of its parameters or ("value", constant)) of a feed page of this
    shape. `vendor` is in the key so that a process never mixes two databases' SQL."""
    words = [f"{_WORD}{n}" for n in range(shape.words)]
    standin = selectors.FeedFilters(
        category_ids=tuple(_CATEGORY - n for n in range(shape.categories)),
        unit_code=_UNIT if shape.unit else "",
        status=shape.status,
        period=shape.period,
        query=" ".join(words),
    )
    assert standin.words == words, standin.words
    queryset = selectors.filter_reports(selectors.feed_rows_queryset(), standin, now=_NOW, any_order=shape.any_order)
    if shape.position:
        queryset = queryset.filter(Q(created_at__lte=_AT), Q(created_at__lt=_AT) | Q(pk__lt=_PK))
    sql, params = queryset[: shape.size + 1].query.sql_with_params()

    adapt = connection.ops.adapt_datetimefield_value
    names = {_UNIT: "unit", _PK: "pk", adapt(_AT): "at"}
    names.update({_CATEGORY - n: ("category", n) for n in range(shape.categories)})
    if shape.period:
        names[adapt(_NOW - datetime.timedelta(days=selectors.PERIOD_DAYS[shape.period]))] = "since"
    names.update({pattern: ("like", n) for n, pattern in enumerate(_like(words, any_order=shape.any_order))})
    named = [names.get(param, ("value", param)) for param in params]
    wanted = shape.categories + shape.unit + bool(shape.period) + 3 * shape.position
    wanted += (shape.words if shape.any_order else 1) if shape.words else 0
    found = sum(1 for name in named if not (isinstance(name, tuple) and name[0] == "value"))
    assert found == wanted, (found, wanted, params)
    return sql, tuple(named)


def _psycopg_times(cursor):
    """On PostgreSQL, read this cursor's timestamps with psycopg's own loader (compiled C) rather
    than the pure-Python subclass Django registers on each connection, which parses every value with
    a regular expression (a third of the feed query's CPU). Both give the time in the session's
    zone, which Django sets to UTC when USE_TZ is on; only then is it swapped."""
    if connection.vendor == "postgresql" and settings.USE_TZ and connection.timezone_name == "UTC":
        from psycopg.types.datetime import TimestamptzLoader

        cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)  # this cursor's only


def feed_rows(filters, position, size, *, any_order):
    """The page's rows (size + 1 at most, newest first) as dicts of COLUMNS, for keyset_page."""
    words = filters.words
    status = filters.status if filters.status in selectors.STATUS_GROUPS else ""
    period = filters.period if filters.period in selectors.PERIOD_DAYS else ""
    shape = Shape(
        categories=len(filters.category_ids),
        unit=bool(filters.unit_code),
        status=status,
        period=period,
        words=len(words),
        any_order=any_order,
        position=position is not None,
        size=size,
    )
    sql, names = feed_sql(shape, connection.vendor)
    adapt = connection.ops.adapt_datetimefield_value
    like = _like(words, any_order=any_order) if words else []
    values = {"unit": filters.unit_code}
    if position is not None:
        values.update(at=adapt(position.created_at), pk=position.pk)
    if period:
        values["since"] = adapt(timezone.now() - datetime.timedelta(days=selectors.PERIOD_DAYS[period]))
    params = []
    for name in names:
        if isinstance(name, str):
            params.append(values[name])
        elif name[0] == "category":
            params.append(filters.category_ids[name[1]])
        elif name[0] == "like":
            params.append(like[name[1]])
        else:
            params.append(name[1])
    with prepared_cursor() as cursor:  # planned once per connection (smarthp.sql)
        _psycopg_times(cursor)
        cursor.execute(sql, params)
        found = [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]
    if connection.vendor != "postgresql":  # SQLite: datetimes as text, booleans as 0 and 1
        for row in found:
            row["created_at"], row["updated_at"] = aware(row["created_at"]), aware(row["updated_at"])
            row["is_public"] = bool(row["is_public"])
    return found


# --- A report's page for a visitor ---------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _report_query(wrapper):
    """(compiler, SQL, parameters with the code's place None, init list, related populators) of
    selectors.report_for(None, code), for this database connection object (a thread's own: the
    compiler keeps it). The compiler's `select` and `klass_info` say how a row becomes the report."""
    queryset = Report.objects.filter(visible_reports_q(None), code=_CODE).order_by()
    queryset = queryset.select_related(*selectors.REPORT_RELATED).defer(*selectors.REPORT_DEFERRED)[:1]
    compiler = queryset.query.get_compiler(connection=wrapper)
    sql, params = compiler.as_sql()
    assert list(params).count(_CODE) == 1 and None not in params, params
    params = tuple(None if param == _CODE else param for param in params)
    klass_info, select = compiler.klass_info, compiler.select
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    return compiler, sql, params, (start, end), init_list, get_related_populators(klass_info, select, wrapper.alias)


def public_report(code):
    """The public report with this code as selectors.report_for(None, code) gives it (its category
    and the category's parent, ward and agency read with it), or None."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    compiler, sql, params, (start, end), init_list, populators = _report_query(wrapper)
    with prepared_cursor() as cursor:
        _psycopg_times(cursor)
        cursor.execute(sql, [code if param is None else param for param in params])
        found = cursor.fetchall()
    for row in compiler.results_iter([found]):
        report = Report.from_db(wrapper.alias, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, report)
        return report
    return None
