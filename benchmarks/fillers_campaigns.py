"""Benchmark fillers of campaigns (registered with benchmarks.fillers.filler on import).

`--campaign N`: the first N benchmark citizens (run `--citizens N` first) get a profile naming a
ward and a residential group, so the install campaign has something to count. Phường Lê Chân gets
the first 60,000 in 60 groups; the other 113 units share the rest in 20 groups each. It adds:

- the groups ("Tổ dân phố mẫu NN") with the group leader's survey: households, with a smartphone;
- profiles: a street address (about two registered people per home), one in twenty without one,
  one in thirty-three naming the ward but no group, one in ten a workplace of the ward (three per
  unit, "Trường mẫu k – <unit>" with a headcount), three in ten a helper's number as referral code;
- a sign-in in the last 30 days for two in five; the consent to be named for one in two;
- a household roster (two phones a home, one of them often a registered citizen's) for one group
  in ten; weekly snapshots of every unit for the chart; then every unit's kept counts
  (campaigns.tallies), since bulk writes send no signals.

PostgreSQL only: INSERT … SELECT over the citizens' rows (a million profiles in about a minute).
Running it twice adds nothing; `--reset` removes the groups, workplaces, profiles and consents it
made (snapshots stay: the chart's past cannot tell whose they were).
"""

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from benchmarks.fillers import CITIZEN_PREFIX, PHONE_PREFIX, STREETS, filler

LE_CHAN = "11383"
WARD_RESIDENTS = 60_000
WARD_GROUPS = 60
OTHER_GROUPS = 20
GROUP_PREFIX = "Tổ dân phố mẫu "
WORKPLACE_PREFIX = "Trường mẫu "
WORKPLACES_PER_UNIT = 3
PEOPLE_PER_HOME = 2.2
HELPER_EVERY = 40  # in a group, one helper for each run of 40 residents


def reset_campaign(*, log):
    from campaigns.models import Workplace
    from citizens.models import Consent, Profile
    from government.models import ResidentialGroup

    bench = {"user__username__startswith": CITIZEN_PREFIX}
    deleted, _ = Consent.objects.filter(purpose="campaign_list", **bench).delete()
    log(f"campaign: {deleted} consents deleted")
    deleted, _ = Profile.objects.filter(**bench).delete()
    log(f"campaign: {deleted} profiles deleted")
    deleted, _ = ResidentialGroup.objects.filter(name__startswith=GROUP_PREFIX).delete()
    log(f"campaign: {deleted} groups deleted (with their rosters)")
    deleted, _ = Workplace.objects.filter(name__startswith=WORKPLACE_PREFIX).delete()
    log(f"campaign: {deleted} workplaces deleted")


def _street_keys():
    """[(street, household key of "<n> street" without the number)], checked against the real rule."""
    from citizens.addresses import household_key

    pairs = []
    for street in STREETS:
        suffix = household_key(f"7 {street}")[2:]
        assert household_key(f"12 {street}") == f"12 {suffix}", street
        pairs.append((street, suffix))
    return pairs


def _sql_array(values):
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def _groups(units, count, log):
    """The benchmark groups, surveyed: {unit code: [group ids in name order]}."""
    from government.models import ResidentialGroup
    from smarthp.text import search_key

    others = max(count - WARD_RESIDENTS, 0)
    per_other_group = others / max(len(units) - 1, 1) / OTHER_GROUPS
    today = timezone.localdate()
    rows = []
    for unit in units:
        size = min(count, WARD_RESIDENTS) / WARD_GROUPS if unit == LE_CHAN else per_other_group
        for number in range(1, (WARD_GROUPS if unit == LE_CHAN else OTHER_GROUPS) + 1):
            # The survey counts more homes than have registered yet: rates spread from ~40 % to ~100 %.
            homes = max(round(size / PEOPLE_PER_HOME * (1 + (number % 7) * 0.2)), 1)
            name = f"{GROUP_PREFIX}{number:02d}"
            rows.append(
                ResidentialGroup(
                    unit_id=unit,
                    name=name,
                    search_key=search_key(name),
                    households=homes + homes // 6,
                    smartphone_households=homes,
                    surveyed_on=today - dt.timedelta(days=number % 45),
                    leader_name=f"Tổ trưởng mẫu {number}",
                )
            )
    ResidentialGroup.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)
    groups = {}
    made = ResidentialGroup.objects.filter(name__startswith=GROUP_PREFIX).order_by("unit_id", "name")
    for pk, unit in made.values_list("pk", "unit_id"):
        groups.setdefault(unit, []).append(pk)
    log(f"campaign: {sum(len(v) for v in groups.values())} groups")
    return groups


def _workplaces(units):
    """Three workplaces per unit: [(unit, index, name, name key)]."""
    from campaigns.models import Workplace, WorkplaceKind
    from government.models import AdministrativeUnit
    from smarthp.text import search_key

    names = dict(AdministrativeUnit.objects.filter(code__in=units).values_list("code", "name"))
    places = []
    for unit in units:
        for index in range(WORKPLACES_PER_UNIT):
            name = f"{WORKPLACE_PREFIX}{index + 1} – {names[unit]}"
            places.append((unit, index, name, search_key(name)[:200]))
    Workplace.objects.bulk_create(
        [
            Workplace(unit_id=u, name=n, name_key=k, kind=WorkplaceKind.SCHOOL, headcount=400 + 100 * i)
            for u, i, n, k in places
        ],
        ignore_conflicts=True,
    )
    return places


@filler("campaign", order=70, help="the install campaign: groups, surveys, profiles, rosters", reset=reset_campaign)
def fill_campaign(count, *, log):
    from campaigns.demo import load as load_campaign_demo
    from government.models import AdministrativeUnit

    if connection.vendor != "postgresql":
        raise SystemExit("--campaign fills with INSERT … SELECT: run it on PostgreSQL")
    units = [LE_CHAN, *AdministrativeUnit.objects.exclude(code=LE_CHAN).order_by("code").values_list("code", flat=True)]
    load_campaign_demo()  # the campaign itself, its deadlines, the city staff account
    groups = _groups(units, count, log)
    places = _workplaces(units)
    others = units[1:]
    streets = _street_keys()
    prefix_length = len(CITIZEN_PREFIX)
    # One row per unit (its position: 0 for Lê Chân, 1.. for the others) and per group.
    unit_sql = ", ".join(f"({i}, '{code}', ARRAY[{','.join(map(str, groups[code]))}])" for i, code in enumerate(units))
    place_sql = ", ".join(
        "('{}', {}, '{}', '{}')".format(u, i, n.replace("'", "''"), k.replace("'", "''")) for u, i, n, k in places
    )
    # n: the citizen's number; r: a hash of it, for the choices that must not follow the group
    # (n mod 60 is the group in Lê Chân); pos: the unit's position; g: the group's index in its
    # unit; k: the person's rank in the group (homes are runs of about PEOPLE_PER_HOME ranks).
    placed = f"""
        SELECT u.id AS user_id, c.n, abs(hashint4(c.n)) AS r, pos, g, k
        FROM citizens_user u
        CROSS JOIN LATERAL (SELECT substr(u.username, {prefix_length + 1})::int AS n) c
        CROSS JOIN LATERAL (
            SELECT CASE WHEN c.n < {WARD_RESIDENTS} THEN 0
                        ELSE 1 + mod(c.n - {WARD_RESIDENTS}, {len(others)}) END AS pos,
                   CASE WHEN c.n < {WARD_RESIDENTS} THEN mod(c.n, {WARD_GROUPS})
                        ELSE mod((c.n - {WARD_RESIDENTS}) / {len(others)}, {OTHER_GROUPS}) END AS g,
                   CASE WHEN c.n < {WARD_RESIDENTS} THEN c.n / {WARD_GROUPS}
                        ELSE (c.n - {WARD_RESIDENTS}) / {len(others) * OTHER_GROUPS} END AS k
        ) p
        WHERE u.username LIKE %(prefix)s AND c.n < %(count)s
          AND NOT EXISTS (SELECT 1 FROM citizens_profile e WHERE e.user_id = u.id)
    """
    street_names, street_keys = _sql_array([s for s, _k in streets]), _sql_array([k for _s, k in streets])
    house = f"(1 + floor(k / {PEOPLE_PER_HOME})::int)"
    # The helper of a resident: the first of their run of HELPER_EVERY in the group (the number of
    # the person of rank k - k mod HELPER_EVERY, inverting `placed` above).
    rank = f"(p.k - mod(p.k, {HELPER_EVERY}))"
    helper = (
        f"CASE WHEN p.pos = 0 THEN {rank} * {WARD_GROUPS} + p.g"
        f" ELSE {WARD_RESIDENTS} + ({rank} * {OTHER_GROUPS} + p.g) * {len(others)} + p.pos - 1 END"
    )
    sql = f"""
        WITH units (pos, code, groups) AS (VALUES {unit_sql}),
             places (unit, idx, name, key) AS (VALUES {place_sql}),
             placed AS ({placed})
        INSERT INTO citizens_profile (
            user_id, ward_id, residential_group_id, street_address, household_key, workplace_name,
            workplace_address, workplace_key, referral_code, gender, evn_customer_code,
            social_insurance_number, tax_code, health_insurance_number, updated_at)
        SELECT p.user_id, units.code,
               CASE WHEN mod(p.r / 20, 33) = 7 THEN NULL ELSE units.groups[1 + p.g] END,
               CASE WHEN mod(p.r, 20) = 3 THEN ''
                    ELSE {house} || ' ' || ({street_names})[1 + mod({house}, {len(streets)})] END,
               CASE WHEN mod(p.r, 20) = 3 THEN ''
                    ELSE {house} || ' ' || ({street_keys})[1 + mod({house}, {len(streets)})] END,
               coalesce(places.name, ''), '', coalesce(places.key, ''),
               CASE WHEN mod(p.r / 660, 10) IN (1, 5, 8) AND mod(p.k, {HELPER_EVERY}) <> 0
                    THEN %(phone)s || lpad({helper}::text, 7, '0') ELSE '' END,
               '', '', '', '', '', %(now)s
        FROM placed p
        JOIN units ON units.pos = p.pos
        LEFT JOIN places ON mod(p.r / 660, 10) = 4 AND places.unit = units.code AND places.idx = mod(p.r, 3)
    """
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, {"prefix": f"{CITIZEN_PREFIX}%", "count": count, "phone": PHONE_PREFIX, "now": now})
        created = cursor.rowcount
        log(f"campaign: {created} profiles")
        _consents_and_sign_ins(cursor, count, now, log)
    _rosters(groups, log)
    _snapshots(units, now, log)
    with connection.cursor() as cursor:
        for table in ("citizens_profile", "citizens_user", "citizens_consent", "campaigns_household"):
            cursor.execute(f"ANALYZE {table}")
    # Bulk writes send no signals: count every unit once, as the nightly task does.
    from campaigns import tallies

    started = timezone.now()
    log(f"campaign: counts of {tallies.refresh_all()} units kept ({(timezone.now() - started).seconds} s)")
    return created


def _consents_and_sign_ins(cursor, count, now, log):
    """One in two agreed to be named (the current text's version); two in five signed in lately."""
    from citizens.consent import CONSENT_TEXTS

    prefix_length = len(CITIZEN_PREFIX)
    number = f"substr(u.username, {prefix_length + 1})::int"
    cursor.execute(
        f"""
        INSERT INTO citizens_consent (user_id, purpose, granted, version, at)
        SELECT u.id, 'campaign_list', mod(abs(hashint4({number} + 1)), 2) = 0, %(version)s, %(now)s
        FROM citizens_user u JOIN citizens_profile p ON p.user_id = u.id
        WHERE u.username LIKE %(prefix)s AND {number} < %(count)s
          AND NOT EXISTS (SELECT 1 FROM citizens_consent c WHERE c.user_id = u.id AND c.purpose = 'campaign_list')
        """,
        {
            "version": CONSENT_TEXTS["campaign_list"]["version"],
            "now": now,
            "prefix": f"{CITIZEN_PREFIX}%",
            "count": count,
        },
    )
    log(f"campaign: {cursor.rowcount} consents")
    cursor.execute(
        f"""
        UPDATE citizens_user u SET last_login = %(now)s - mod({number}, 29) * interval '1 day'
        WHERE u.username LIKE %(prefix)s AND {number} < %(count)s AND mod(abs(hashint4({number} + 2)), 5) IN (0, 2)
          AND u.last_login IS NULL
        """,
        {"now": now, "prefix": f"{CITIZEN_PREFIX}%", "count": count},
    )
    log(f"campaign: {cursor.rowcount} recent sign-ins")


def _rosters(groups, log):
    """A household roster for one group in ten: each home two phones, the first a resident's
    (registered or not: +8497… numbers are nobody's), as a ward's import leaves them."""
    from campaigns.models import Household

    chosen = [pk for unit_groups in groups.values() for index, pk in enumerate(unit_groups) if index % 10 == 0]
    chosen = [pk for pk in chosen if not Household.objects.filter(group_id=pk).exists()]
    if not chosen:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO campaigns_household (group_id, code, head_name, address)
            SELECT g.id, 'H' || lpad(h::text, 5, '0'), 'Chủ hộ ' || h, h || ' ' || %(street)s
            FROM government_residentialgroup g
            CROSS JOIN LATERAL generate_series(1, g.smartphone_households) h
            WHERE g.id = ANY(%(groups)s)
            """,
            {"groups": chosen, "street": STREETS[0]},
        )
        log(f"campaign: {cursor.rowcount} roster households")
        # First phone: a registered resident of the group for three homes in five; second: nobody's.
        cursor.execute(
            """
            WITH residents AS (
                SELECT p.residential_group_id AS group_id, u.phone,
                       row_number() OVER (PARTITION BY p.residential_group_id ORDER BY u.id) AS r
                FROM citizens_profile p JOIN citizens_user u ON u.id = p.user_id
                WHERE p.residential_group_id = ANY(%(groups)s)
            ), homes AS (
                SELECT id, group_id, substr(code, 2)::int AS h FROM campaigns_household
                WHERE group_id = ANY(%(groups)s)
            )
            INSERT INTO campaigns_householdphone (household_id, phone)
            SELECT homes.id, residents.phone FROM homes
            JOIN residents ON residents.group_id = homes.group_id AND residents.r = homes.h * 2
            WHERE mod(homes.h, 5) < 3
            UNION ALL
            SELECT homes.id, '+8497' || lpad((homes.id)::text, 7, '0') FROM homes
            """,
            {"groups": chosen},
        )
        log(f"campaign: {cursor.rowcount} roster phones")


def _snapshots(units, now, log):
    """Eleven past weeks of every unit, rising towards today's figures (the chart's points)."""
    from campaigns.models import Snapshot

    this_week = timezone.localdate(now) - dt.timedelta(days=timezone.localdate(now).weekday())
    rows = [
        Snapshot(
            unit_id=code,
            group=None,
            week=this_week - dt.timedelta(weeks=weeks_ago),
            registered=400 * (12 - weeks_ago),
            covered=180 * (12 - weeks_ago),
            smartphone_households=25_000 if code == LE_CHAN else 4000,
        )
        for code in units
        for weeks_ago in range(1, 12)
    ]
    made = Snapshot.objects.bulk_create(rows, ignore_conflicts=True)
    log(f"campaign: {len(made)} weekly snapshots")
