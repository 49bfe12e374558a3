"""The list pages' queries compiled to SQL once per shape; each request puts its own values in.

The ORM spends about 1 ms of CPU compiling one query of the catalogue or the desk's queue, more than
PostgreSQL takes to run it. The SQL depends only on the query's shape (which filters are present,
how many agencies are in scope), so each shape is built once through the ORM with markers standing
for the values, and every run binds the request's values in their place. Only SQL is kept: the rows
are read afresh on every request.
"""

import datetime as dt

from django.db import connection

from smarthp.sql import aware

# Markers: values no request sends, told apart from the query's constants by type and value.
_ID_MARK = -7_654_321_000
_TEXT_MARK = "\x1f{}\x1f"
_MOMENT_MARK = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC)


def id_marker(number=0):
    """A primary key that stands for the `number`-th id value of a shape."""
    return _ID_MARK - number


def text_marker(name):
    """A string that stands for the text value `name` (also inside a LIKE pattern)."""
    return _TEXT_MARK.format(name)


def moment_marker():
    """A datetime that stands for a moment (one per shape)."""
    return _MOMENT_MARK


class Compiled:
    """One query's SQL and how to fill its parameters.

    `markers` maps a value's name to the marker the query was built with; the compiled parameters
    that hold a marker become slots, the others stay as the constants they are (statuses, flags)."""

    def __init__(self, sql, params, markers, *, tail="", tail_names=()):
        adapted = {name: _adapt(marker) for name, marker in markers.items()}
        self.sql = sql + tail
        self.slots = [_slot(param, adapted) for param in params]
        self.slots += [(name, "", "") for name in tail_names]

    @classmethod
    def of(cls, queryset, markers, **kwargs):
        sql, params = queryset.query.sql_with_params()
        return cls(sql, params, markers, **kwargs)

    def params(self, values):
        """The parameters for `values` ({name: value}); a moment is adapted as the ORM adapts it."""
        result = []
        for name, before, after in self.slots:
            if name is None:
                result.append(before)
            elif before or after:
                result.append(f"{before}{values[name]}{after}")
            else:
                value = values[name]
                result.append(_adapt(value) if isinstance(value, dt.datetime) else value)
        return result

    def rows(self, values, *, datetimes=(), booleans=()):
        """The rows as dicts by column alias (the ORM's `.values()` names), datetimes made aware
        and booleans made bool as the ORM's converters do (SQLite gives text and integers)."""
        with connection.cursor() as cursor:
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
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params(values))
            return cursor.fetchone()[0]


def like(text):
    """A text as the ORM puts it inside a LIKE pattern (`__contains`)."""
    return connection.ops.prep_for_like_query(text)


def _adapt(value):
    return connection.ops.adapt_datetimefield_value(value) if isinstance(value, dt.datetime) else value


def _slot(param, markers):
    """(name, before, after) of a parameter holding a marker, (None, param, "") of a constant."""
    for name, marker in markers.items():
        if isinstance(marker, str) and isinstance(param, str) and marker in param:
            before, after = param.split(marker)
            return name, before, after
        if type(param) is type(marker) and param == marker:
            return name, "", ""
    return None, param, ""
