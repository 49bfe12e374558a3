"""Helpers for the few queries the apps run on a raw cursor (their SQL compiled once per process)."""

import datetime

from django.utils import timezone


def aware(value):
    """A raw cursor's datetime as the ORM would give it: PostgreSQL's as it is, SQLite's UTC text
    parsed and made aware."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


# --- A query compiled once ------------------------------------------------------------------------
# The ORM spends about a millisecond of CPU compiling a query, often more than the database takes to
# run it. Where a query's shape is fixed, its SQL is compiled once per process (and database) with
# stand-in values, and each run binds the real ones in their place. Only SQL is kept: the rows are
# read afresh on every run.

_ID = -7_654_321_000  # no row has a negative id
_MOMENT = datetime.datetime(1901, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)  # long before the portal


def id_marker(number=0):
    """A stand-in for the `number`-th id (or other integer) value of a query."""
    return _ID - number


def moment_marker(number=0):
    """A stand-in for the `number`-th moment of a query."""
    return _MOMENT + datetime.timedelta(seconds=number)


def _adapt(value, connection):
    # The ORM hands a DateTimeField's value to the driver as the backend adapts it (SQLite: text).
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


class Compiled:
    """`build(**markers)` returns the queryset, with each value it filters by given as a marker
    (id_marker(), moment_marker()); `run(**values)` executes its SQL with the values in their place.

    Parameters that hold no marker stay as the constants they compiled to (statuses, flags). A marker
    is told apart from a constant by type and value, so a marker must reach the SQL unchanged: give
    it where a field's value goes, not inside an expression that transforms it."""

    def __init__(self, build, **markers):
        self.build, self.markers = build, markers
        self._compiled = {}

    def _sql(self, connection):
        key = (connection.alias, connection.vendor)
        if key not in self._compiled:
            sql, params = self.build(**self.markers).query.sql_with_params()
            named = {}
            for name, marker in self.markers.items():
                adapted = _adapt(marker, connection)
                named[(type(adapted), adapted)] = name
            slots = [self._slot(named, param) for param in params]
            missing = set(self.markers) - {slot for slot in slots if isinstance(slot, str)}
            assert not missing, f"markers not found in the compiled parameters: {missing}"
            self._compiled[key] = sql, slots
        return self._compiled[key]

    @staticmethod
    def _slot(named, param):
        try:
            return named.get((type(param), param), (None, param))
        except TypeError:  # an unhashable constant (a list)
            return (None, param)

    def run(self, using="default", **values):
        """The rows (tuples, in the queryset's column order)."""
        return self._execute("{}", using, values)

    def count(self, using="default", **values):
        """How many rows the query gives."""
        return self._execute("SELECT COUNT(*) FROM ({}) counted", using, values)[0][0]

    def _execute(self, shape, using, values):
        from django.db import connections

        connection = connections[using]
        sql, slots = self._sql(connection)
        params = [_adapt(values[slot], connection) if isinstance(slot, str) else slot[1] for slot in slots]
        with connection.cursor() as cursor:
            cursor.execute(shape.format(sql), params)
            return cursor.fetchall()
