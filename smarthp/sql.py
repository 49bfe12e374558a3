"""Queries whose SQL is compiled once per process, and the helpers of the raw cursor they run on.

The ORM spends about a millisecond of CPU compiling a query, often more than the database takes to
run it. Where a query's SQL depends only on its shape (which filters are present, how many ids),
each shape is built once through the ORM with markers standing for the values, and every run binds
its own values in their place. Only SQL is kept: the rows are read afresh on every run.

- `Statement`: one compiled query and its slots (the lists of publicservices build one per shape);
- `Compiled`: a query of a fixed shape, compiled on first use per database (the session, the
  signed-in person, the home page's reads);
- `prepared_cursor()`: on PostgreSQL, both run prepared, planned once per connection.
"""

import datetime
import functools
from types import SimpleNamespace

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone


def aware(value):
    """A raw cursor's datetime as the ORM would give it: PostgreSQL's as it is, SQLite's UTC text
    parsed and made aware."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


# --- Markers: values no request sends, told apart from a query's constants by type and value ---------
_ID = -7_654_321_000  # no row has a negative id
_TEXT = "\x1f{}\x1f"  # no text holds these control characters
_MOMENT = datetime.datetime(1901, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)  # long before the portal
_DAY = datetime.date(1902, 3, 4)  # not the moment's day: SQLite gives both as text


def id_marker(number=0):
    """A stand-in for the `number`-th id (or other integer) value of a query."""
    return _ID - number


def text_marker(name):
    """A stand-in for the text value `name` (also inside a LIKE pattern)."""
    return _TEXT.format(name)


def moment_marker(number=0):
    """A stand-in for the `number`-th moment of a query."""
    return _MOMENT + datetime.timedelta(seconds=number)


def day_marker(number=0):
    """A stand-in for the `number`-th date of a query."""
    return _DAY + datetime.timedelta(days=number)


def like(text):
    """A text as the ORM puts it inside a LIKE pattern (`__contains`)."""
    return connection.ops.prep_for_like_query(text)


def _adapt(value, on=None):
    # The ORM hands a date or time field's value to the driver as the backend adapts it (SQLite: text).
    if isinstance(value, datetime.datetime):
        return (on or connection).ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return (on or connection).ops.adapt_datefield_value(value)
    return value


def _slot(param, markers):
    """(name, before, after) of a parameter holding a marker, (None, param, "") of a constant."""
    for name, marker in markers.items():
        if isinstance(marker, str) and "\x1f" in marker and isinstance(param, str) and marker in param:
            before, after = param.split(marker)
            return name, before, after
        if type(param) is type(marker) and param == marker:
            return name, "", ""
    return None, param, ""


class Statement:
    """One query's SQL and how to fill its parameters.

    `markers` maps a value's name to the marker the query was built with; the compiled parameters
    that hold a marker become slots, the others stay as the constants they are (statuses, flags). A
    marker must reach the SQL unchanged: give it where a field's value goes, not inside an
    expression that transforms it."""

    def __init__(self, sql, params, markers, *, tail="", tail_names=(), on=None):
        adapted = {name: _adapt(marker, on) for name, marker in markers.items()}
        self.sql = sql + tail
        self.slots = [_slot(param, adapted) for param in params]
        self.slots += [(name, "", "") for name in tail_names]
        missing = set(markers) - {name for name, _before, _after in self.slots}
        assert not missing, f"markers not found in the compiled parameters: {sorted(missing)}"

    @classmethod
    def of(cls, queryset, markers, *, on=None, **kwargs):
        compiler = queryset.query.get_compiler(connection=on or connection)
        sql, params = compiler.as_sql()
        statement = cls(sql, params, markers, on=on, **kwargs)
        statement.compiler = compiler
        return statement

    @functools.cached_property
    def _converters(self):
        return self.compiler.get_converters([column for column, _sql, _alias in self.compiler.select])

    def converted(self, rows):
        """`rows` as the ORM gives them: each column through its backend's and field's converters
        (SQLite's text moments made aware, its 0 and 1 made bool, JSON parsed). Needs `of()`."""
        if not self._converters:
            return rows
        return [tuple(row) for row in self.compiler.apply_converters(rows, self._converters)]

    def params(self, values, on=None):
        """The parameters for `values` ({name: value}); a moment is adapted as the ORM adapts it."""
        result = []
        for name, before, after in self.slots:
            if name is None:
                result.append(before)
            elif before or after:
                result.append(f"{before}{values[name]}{after}")
            else:
                result.append(_adapt(values[name], on))
        return result

    def run(self, values, *, on=None, counted=False):
        """The rows as tuples, in the query's column order (`counted`: how many there are)."""
        on = on or connection
        sql = f"SELECT COUNT(*) FROM ({self.sql}) counted" if counted else self.sql  # noqa: S608 - the ORM's SQL
        with prepared_cursor(on.alias) as cursor:
            cursor.execute(sql, self.params(values, on))
            return cursor.fetchall()

    def rows(self, values, *, datetimes=(), booleans=(), binary=False):
        """The rows as dicts by column alias (the ORM's `.values()` names), datetimes made aware
        and booleans made bool as the ORM's converters do (SQLite gives text and integers).

        `binary`: PostgreSQL answers in binary, which psycopg reads in C (a timestamptz in text goes
        through Django's loader in Python, 3 µs each); not for JSON columns, which Django reads as
        text."""
        with prepared_cursor() as cursor:
            if binary and connection.vendor == "postgresql":
                from psycopg.pq import Format

                cursor.cursor.format = Format.BINARY
            cursor.execute(self.sql, self.params(values))
            names = [column[0] for column in cursor.description]
            found = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        if connection.vendor != "postgresql":
            for row in found:
                for name in datetimes:
                    row[name] = aware(row[name])
                for name in booleans:
                    row[name] = bool(row[name])
        return found

    def value(self, values):
        """The first column of the first row (a count)."""
        return self.run(values)[0][0]


class Compiled:
    """`build(**markers)` returns the queryset, each value it filters by given as a marker;
    `run(**values)` executes its SQL, compiled on first use per database, with the values in their
    place."""

    def __init__(self, build, **markers):
        self.build, self.markers = build, markers
        self._statements = {}

    def _statement(self, on):
        key = (on.alias, on.vendor)
        if key not in self._statements:
            self._statements[key] = Statement.of(self.build(**self.markers), self.markers, on=on)
        return self._statements[key]

    def run(self, using=DEFAULT_DB_ALIAS, **values):
        """The rows (tuples, in the queryset's column order)."""
        on = connections[using]
        return self._statement(on).run(values, on=on)

    def instances(self, using=DEFAULT_DB_ALIAS, **values):
        """Model instances, as the queryset would give them: `build` returns a queryset of a model
        (every concrete field, nothing joined), its annotations set as attributes."""
        on = connections[using]
        statement = self._statement(on)
        compiler = statement.compiler
        assert not compiler.klass_info.get("related_klass_infos"), "instances() reads one model"
        fields = compiler.klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        names = [column.target.attname for column, _sql, _alias in compiler.select[start:end]]
        model, annotations = compiler.query.model, compiler.annotation_col_map.items()
        found = []
        for row in statement.converted(statement.run(values, on=on)):
            instance = model.from_db(on.alias, names, row[start:end])
            for name, position in annotations:
                setattr(instance, name, row[position])
            found.append(instance)
        return found

    def count(self, using=DEFAULT_DB_ALIAS, **values):
        """How many rows the query gives."""
        on = connections[using]
        return self._statement(on).run(values, on=on, counted=True)[0][0]


# --- Prepared statements -----------------------------------------------------------------------------
# PostgreSQL plans a query each time it runs; for a report's page that took 0.8 ms against 0.13 ms of
# running it. Django's cursors bind values on the client and so are never prepared (its connections
# also turn psycopg's automatic preparing off, for connection poolers). The hottest compiled queries
# run on a cursor that binds on the server and asks for its statement to be prepared: planned once
# per connection (PostgreSQL keeps a custom plan per run for the first five, then a generic plan
# when it costs no more). Behind a pooler in transaction mode this needs one that tracks prepared
# statements (PgBouncer 1.21 and later, max_prepared_statements).
_NEVER_BY_COUNT = 2**31  # psycopg prepares nothing by itself; only what asks to be


@functools.cache
def _prepared_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            done = super().execute(query, params, prepare=True, binary=binary)
            # What Django's query log reads (ops.last_executed_query): the SQL, its values apart.
            self._query = SimpleNamespace(query=query.encode() if isinstance(query, str) else query)
            return done

    return PreparedCursor


def prepared_cursor(using=DEFAULT_DB_ALIAS):
    """A Django cursor (logged, its errors Django's) whose statements PostgreSQL prepares; the usual
    cursor on another database."""
    wrapper = connections[using]
    if wrapper.vendor != "postgresql":
        return wrapper.cursor()
    wrapper.close_if_health_check_failed()
    wrapper.ensure_connection()
    with wrapper.wrap_database_errors:
        raw = wrapper.connection
        if raw.prepare_threshold is None:
            raw.prepare_threshold = _NEVER_BY_COUNT
        return wrapper._prepare_cursor(_prepared_cursor_class()(raw))
