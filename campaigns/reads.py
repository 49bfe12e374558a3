"""The ward page's reads, each one query whose SQL is compiled once per process (the ORM spent
about 2 ms of CPU building each of these small queries, more than PostgreSQL took to run them);
the rows themselves are read afresh on every call.

- campaign_rows(): the campaign in force for a unit and its deadlines, in one query;
- unit_rows(): the unit's groups and workplaces with their kept counts (campaigns.tallies), and the
  count of its residents who named no group, in one query;
- snapshot_rows(): the chart's past weeks.

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

from smarthp.sql import Compiled, aware, day_marker, id_marker, text_marker

from .models import Campaign, Snapshot

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


# --- The groups and workplaces with their counts ----------------------------------------------------

UNIT_FIELDS = ("kind", "pk", "name", "households", "smartphone_households", "surveyed_on", "leader_name")
UNIT_FIELDS += ("registered", "homes", "active", "roster", "covered", "refreshed_at")


# Groups (kind "g"), then workplaces ("w": headcount in `households`, kind in `leader_name`), then
# the no-group count ("n"), each with its Tally's columns (NULL where it has none yet). Written by
# hand: Tally's relations have no reverse accessor to join from, and the values are parameters.
UNIT_SQL = (
    "SELECT 'g', g.id, g.name, g.households, g.smartphone_households, g.surveyed_on, g.leader_name,"
    " t.registered, t.homes, t.active, t.roster, t.covered, t.refreshed_at"
    " FROM government_residentialgroup g"
    " LEFT JOIN campaigns_tally t ON t.unit_id = g.unit_id AND t.group_id = g.id WHERE g.unit_id = %s"
    " UNION ALL SELECT 'w', w.id, w.name, w.headcount, NULL, NULL, w.kind,"
    " t.registered, t.homes, t.active, t.roster, t.covered, t.refreshed_at"
    " FROM campaigns_workplace w"
    " LEFT JOIN campaigns_tally t ON t.unit_id = w.unit_id AND t.workplace_id = w.id WHERE w.unit_id = %s"
    " UNION ALL SELECT 'n', NULL, NULL, NULL, NULL, NULL, NULL,"
    " t.registered, t.homes, t.active, t.roster, t.covered, t.refreshed_at"
    ' FROM campaigns_tally t WHERE t.unit_id = %s AND t."key" = %s'
    " ORDER BY 1, 3, 2"
)


def unit_rows(unit_code):
    """[dict of UNIT_FIELDS]: the unit's groups by name, its workplaces by name, and the no-group
    count if kept. `registered` and `refreshed_at` are None where no count is kept yet."""
    from .tallies import NO_GROUP

    with connection.cursor() as cursor:
        cursor.execute(UNIT_SQL, [unit_code, unit_code, unit_code, NO_GROUP])
        rows = [dict(zip(UNIT_FIELDS, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["surveyed_on"] = _day(row["surveyed_on"])
        row["refreshed_at"] = aware(row["refreshed_at"])
    return rows


# --- The chart's past weeks -------------------------------------------------------------------------


@functools.cache
def _snapshots(weeks):
    return Compiled(
        lambda unit, day: (
            Snapshot.objects.filter(unit_id=unit, group__isnull=True, week__lt=day)
            .order_by("-week")
            .values_list("week", "covered", "smartphone_households")[:weeks]
        ),
        unit=text_marker("unit"),
        day=day_marker(),
    )


def snapshot_rows(unit_code, before, weeks):
    """[(week, covered, households with a smartphone)] of the unit's last `weeks` weeks before
    `before`, newest first."""
    rows = _snapshots(weeks).run(unit=unit_code, day=before)
    return [(_day(week), covered, smart) for week, covered, smart in rows]


# --- The city's units -------------------------------------------------------------------------------

# Every unit with its groups' surveys and kept counts summed, and how many of its groups have no
# count or one older than the cutoff (recounted first): one query of 114 rows, where the ORM took
# four (the stale units, the units, the surveys, the counts).
CITY_SQL = (
    "SELECT u.code, u.name, u.kind, s.n, s.smart, s.registered, s.covered, s.stale"
    " FROM government_administrativeunit u LEFT JOIN ("
    "SELECT g.unit_id, COUNT(*) AS n, SUM(g.smartphone_households) AS smart, SUM(t.registered) AS registered,"
    " SUM(t.covered) AS covered,"
    " SUM(CASE WHEN t.id IS NULL OR t.refreshed_at < %s THEN 1 ELSE 0 END) AS stale"
    " FROM government_residentialgroup g"
    " LEFT JOIN campaigns_tally t ON t.unit_id = g.unit_id AND t.group_id = g.id GROUP BY g.unit_id"
    ") s ON s.unit_id = u.code ORDER BY u.name, u.code"
)


def city_rows(cutoff):
    """[(code, name, kind, groups, households with a smartphone, registered, covered, stale groups)]
    of every unit, by name (figures are 0 where a unit has no groups)."""
    with connection.cursor() as cursor:
        cursor.execute(CITY_SQL, [connection.ops.adapt_datetimefield_value(cutoff)])
        return [
            (code, name, kind, *(int(value or 0) for value in figures))
            for code, name, kind, *figures in cursor.fetchall()
        ]


# --- The unit, and the officer's export jobs ------------------------------------------------------

UNIT_ROW_FIELDS = ("code", "name", "kind")
JOB_FIELDS = ("id", "fmt", "label", "status", "total", "done", "created_at")


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


@functools.cache
def _jobs(limit):
    from .models import ExportJob

    return Compiled(
        lambda user, unit: (
            ExportJob.objects.filter(user_id=user, unit_id=unit)
            .order_by("-created_at")
            .values_list(*JOB_FIELDS)[:limit]
        ),
        user=id_marker(),
        unit=text_marker("unit"),
    )


def recent_jobs(user_id, unit_code, limit=5):
    """The officer's last `limit` export jobs of the unit, newest first (ExportJob instances with
    JOB_FIELDS loaded, the rest deferred)."""
    from .models import ExportJob

    rows = _jobs(limit).run(user=user_id, unit=unit_code)
    return [ExportJob.from_db(connection.alias, JOB_FIELDS, (*row[:-1], aware(row[-1]))) for row in rows]
