"""The campaign pages' reads, each one statement whose SQL is built once per process (the ORM
spent about 2 ms of CPU building each small query, more than PostgreSQL took to run it) and, on
PostgreSQL, prepared; the rows themselves are read afresh on every call.

- ward_rows(): everything the ward page shows (the unit, the campaign in force and its deadlines,
  the groups and workplaces with their kept counts (campaigns.tallies), the no-group count, the
  chart's past weeks, the officer's export jobs), in one statement;
- campaign_rows(): the campaign in force for a unit and its deadlines (the monthly reminders);
- city_rows(): the city's units with their groups' figures summed;
- unit(): a unit, for the campaign's other pages.

The campaign in force changes only when a campaign, its units or its deadlines are saved: figures
memoise it under a version kept in the cache (CAMPAIGN_VERSION_KEY), which every such save bumps,
at once and again once the transaction commits, so a change shows on the next request.
"""

import datetime as dt
import functools
import uuid

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import FilteredRelation, Q, Subquery

from smarthp.sql import Compiled, aware, day_marker, prepared_cursor, text_marker

from .models import Campaign

CAMPAIGN_VERSION_KEY = "campaigns:campaign-version"


def _day(value):
    """A raw cursor's date (SQLite gives text)."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


# --- The campaign in force, memoised under a version ------------------------------------------------


def bump_campaign_version():
    """A new version for the campaign memos (also what a cache without one starts from)."""
    version = uuid.uuid4().hex
    cache.set(CAMPAIGN_VERSION_KEY, version, None)
    return version


def campaign_changed(**kwargs):
    """Signal receiver (a campaign, its units or a deadline saved or deleted): the memos go now, and
    again after the commit (a page read between the two would memoise the rows before it)."""
    bump_campaign_version()
    transaction.on_commit(bump_campaign_version, robust=True)


def _campaign_query(unit, day):
    in_force = (
        Campaign.objects.filter(starts_on__lte=day)
        .filter(Q(units__code=unit) | Q(units__isnull=True))
        .order_by("-starts_on", "-id")
        .values("pk")[:1]
    )
    return (
        Campaign.objects.filter(pk=Subquery(in_force))
        .annotate(due=FilteredRelation("deadlines", condition=Q(deadlines__unit=unit) | Q(deadlines__unit=None)))
        .order_by()
        .values_list("pk", "name", "target_percent", "starts_on", "due__audience", "due__unit", "due__due_on")
    )


_campaign = Compiled(_campaign_query, unit=text_marker("unit"), day=day_marker())


def campaign_rows(unit_code, today):
    """[(pk, name, target percent, starts on, audience, deadline's unit, due on)] of the campaign in
    force for the unit on `today`, one row per deadline that applies (audience None: none)."""
    return [
        (pk, name, target, _day(starts), audience, unit, _day(due))
        for pk, name, target, starts, audience, unit, due in _campaign.run(unit=unit_code, day=today)
    ]


# --- The ward page: everything it shows, in one statement ---------------------------------------

# One typed row per thing the ward page shows, in one statement (PostgreSQL: prepared, planned once
# per connection): the unit ("u"), the campaign in force with each deadline that applies ("c"), the
# groups ("g") and workplaces ("w") with their kept counts (campaigns.tallies), the no-group count
# ("n"), the chart's past weeks ("s") and the officer's export jobs ("j"). It was six queries, each
# a round trip and, for the ORM's, about a millisecond of compiling; and the groups' counts were
# joined by hashing every kept row of the unit, the helpers' 1,500 included (1.8 ms at 60 groups).
WARD_COLUMNS = ("kind", "id", "name", "text", "text2", "number", "number2", "day", "day2")
WARD_COLUMNS += ("registered", "active", "roster", "covered", "stale", "moment")
_TYPES = ("text", "bigint", "text", "text", "text", "integer", "integer", "date", "date")
_TYPES += ("integer", "integer", "integer", "integer", "integer", "timestamptz")


def _select(kind, **columns):
    """A SELECT list in WARD_COLUMNS' order: the columns given, a typed NULL for the others (a UNION
    resolves its types pairwise, and a NULL in a derived table would be text)."""
    values = [f"'{kind}'"]
    for name, sql_type in zip(WARD_COLUMNS[1:], _TYPES[1:], strict=True):
        values.append(columns.pop(name, None) or f"CAST(NULL AS {sql_type})")
    assert not columns, columns
    return "SELECT " + ", ".join(values)


def _kept(table, key, vendor):
    """The join (as `t`) to the kept count of a group or workplace of `table` (`key`: its Tally.key,
    in SQL), by the unique (unit, key) index: on PostgreSQL a LATERAL lookup, which the planner
    cannot turn into a hash of every kept row of the unit."""
    if vendor == "postgresql":
        return (
            " LEFT JOIN LATERAL (SELECT k.registered, k.active, k.roster, k.covered, k.refreshed_at"  # noqa: S608 - names and constants; the values are parameters
            f' FROM campaigns_tally k WHERE k.unit_id = {table}.unit_id AND k."key" = {key} LIMIT 1) t ON TRUE'
        )
    return f' LEFT JOIN campaigns_tally t ON t.unit_id = {table}.unit_id AND t."key" = {key}'


_COUNTS = {
    "registered": "t.registered",
    "active": "t.active",
    "stale": "CASE WHEN t.refreshed_at IS NULL OR t.refreshed_at < %s THEN 1 ELSE 0 END",
}


@functools.cache
def _ward_sql(vendor, weeks, jobs):
    """(SQL, the names of its parameters in order) of the ward page's statement."""
    campaign = _select(
        "c",
        id="c.id",
        name="c.name",
        text="d.audience",
        text2="d.unit_id",
        number="c.target_percent",
        day="c.starts_on",
        day2="d.due_on",
    )
    group = _select(
        "g",
        id="g.id",
        name="g.name",
        text="g.leader_name",
        number="g.households",
        number2="g.smartphone_households",
        day="g.surveyed_on",
        roster="t.roster",
        covered="t.covered",
        **_COUNTS,
    )
    job = _select(
        "j",
        id="j.id",
        name="j.label",
        text="j.fmt",
        text2="j.status",
        number="j.total",
        number2="j.done",
        moment="j.created_at",
    )
    parts = [
        (
            _select("u", name="u.name", text="u.kind") + " FROM government_administrativeunit u WHERE u.code = %s",
            ["unit"],
        ),
        (
            campaign + " FROM campaigns_campaign c LEFT JOIN campaigns_deadline d ON d.campaign_id = c.id"  # noqa: S608 - names and constants; the values are parameters
            " AND (d.unit_id = %s OR d.unit_id IS NULL)"
            " WHERE c.id = (SELECT k.id FROM campaigns_campaign k WHERE k.starts_on <= %s"
            " AND (EXISTS (SELECT 1 FROM campaigns_campaign_units m WHERE m.campaign_id = k.id"
            " AND m.administrativeunit_id = %s)"
            " OR NOT EXISTS (SELECT 1 FROM campaigns_campaign_units m WHERE m.campaign_id = k.id))"
            " ORDER BY k.starts_on DESC, k.id DESC LIMIT 1)",
            ["unit", "today", "unit"],
        ),
        (
            group + " FROM government_residentialgroup g" + _kept("g", "'g' || g.id", vendor) + " WHERE g.unit_id = %s",
            ["cutoff", "unit"],
        ),
        (
            _select("w", id="w.id", name="w.name", text="w.kind", number="w.headcount", **_COUNTS)
            + " FROM campaigns_workplace w"
            + _kept("w", "'w' || w.id", vendor)
            + " WHERE w.unit_id = %s",
            ["cutoff", "unit"],
        ),
        (
            _select("n", roster="t.roster", covered="t.covered", **_COUNTS)
            + ' FROM campaigns_tally t WHERE t.unit_id = %s AND t."key" = %s',
            ["cutoff", "unit", "no_group"],
        ),
        (
            "SELECT * FROM ("  # noqa: S608 - names and constants; the values are parameters
            + _select("s", number="s.covered", number2="s.smartphone_households", day="s.week")
            + " FROM campaigns_snapshot s WHERE s.unit_id = %s AND s.group_id IS NULL AND s.week < %s"
            f" ORDER BY s.week DESC LIMIT {int(weeks)}) s",
            ["unit", "week"],
        ),
        (
            "SELECT * FROM (" + job + " FROM campaigns_exportjob j WHERE j.user_id = %s AND j.unit_id = %s"  # noqa: S608 - names and constants; the values are parameters
            f" ORDER BY j.created_at DESC, j.id DESC LIMIT {int(jobs)}) j",
            ["user", "unit"],
        ),
    ]
    sql = " UNION ALL ".join(part for part, _names in parts) + " ORDER BY 1, 3, 2"
    return sql, [name for _part, names in parts for name in names]


def ward_rows(unit_code, *, today, week, cutoff, user_id=None, weeks=11, jobs=5):
    """Every row of the ward page's statement, as tuples in WARD_COLUMNS' order, by kind, then name
    (dates and the jobs' moments as the ORM gives them; `stale`: 1 where a count is missing or
    older than `cutoff`). Past weeks: the last `weeks` before `week`; jobs: the user's last `jobs`
    of the unit (none without a user)."""
    from .tallies import NO_GROUP

    vendor = connection.vendor
    sql, names = _ward_sql(vendor, weeks, jobs)
    ops = connection.ops
    values = {
        "unit": unit_code,
        "today": ops.adapt_datefield_value(today),
        "week": ops.adapt_datefield_value(week),
        "cutoff": ops.adapt_datetimefield_value(cutoff),
        "user": user_id,
        "no_group": NO_GROUP,
    }
    with prepared_cursor() as cursor:
        cursor.execute(sql, [values[name] for name in names])
        rows = cursor.fetchall()
    if vendor != "postgresql":
        rows = [(*row[:7], _day(row[7]), _day(row[8]), *row[9:14], aware(row[14])) for row in rows]
    return rows


# --- The city's units -------------------------------------------------------------------------------


# Every unit with its groups' figures summed: its "total" kept row (campaigns.tallies.refresh_total:
# 114 rows read, where summing 2,300 groups and their counts took a millisecond), flagged stale
# when it is older than the cutoff or missing while the unit has groups (recounted first).
@functools.cache
def _city_sql(vendor):
    # On PostgreSQL the total is looked up per unit by the (unit, key) index (LATERAL): joined
    # plainly, the planner scans the 29,000 kept rows for the 114 totals.
    stale = (
        "CASE WHEN t.refreshed_at IS NULL THEN (CASE WHEN EXISTS (SELECT 1 FROM government_residentialgroup g"
        " WHERE g.unit_id = u.code) THEN 1 ELSE 0 END) WHEN t.refreshed_at < %s THEN 1 ELSE 0 END"
    )
    if vendor == "postgresql":
        total = (
            " LEFT JOIN LATERAL (SELECT k.groups, k.smartphone_households, k.registered, k.covered, k.refreshed_at"
            ' FROM campaigns_tally k WHERE k.unit_id = u.code AND k."key" = %s LIMIT 1) t ON TRUE'
        )
    else:
        total = ' LEFT JOIN campaigns_tally t ON t.unit_id = u.code AND t."key" = %s'
    return (
        "SELECT u.code, u.name, u.kind, COALESCE(t.groups, 0), COALESCE(t.smartphone_households, 0),"  # noqa: S608 - names and constants; the values are parameters
        f" COALESCE(t.registered, 0), COALESCE(t.covered, 0), {stale}"
        f" FROM government_administrativeunit u{total} ORDER BY u.name, u.code"
    )


def city_rows(cutoff):
    """[(code, name, kind, groups, households with a smartphone, registered, covered, stale)] of
    every unit, by name (figures are 0 where a unit has no groups; stale: 1 where its total is to
    be recounted)."""
    from .tallies import TOTAL

    with prepared_cursor() as cursor:  # PostgreSQL: planned once per connection
        sql = _city_sql(connection.vendor)  # the cutoff (in the columns), then the total's key
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(cutoff), TOTAL])
        return cursor.fetchall()


# --- The unit --------------------------------------------------------------------------------------

UNIT_ROW_FIELDS = ("code", "name", "kind")


def _unit_query(code):
    from government.models import AdministrativeUnit

    return AdministrativeUnit.objects.filter(code=code).order_by().values_list(*UNIT_ROW_FIELDS)


_unit = Compiled(_unit_query, code=text_marker("code"))


def unit(code):
    """The administrative unit `code` with its code, name and kind loaded (other fields deferred,
    as .only() leaves them), or None."""
    from government.models import AdministrativeUnit

    rows = _unit.run(code=code)
    return AdministrativeUnit.from_db(connection.alias, UNIT_ROW_FIELDS, rows[0]) if rows else None
