"""The campaign's counts per group and per workplace, kept as registrations change (models.Tally).

Counting a ward of 60,000 registered residents takes a GROUP BY over 60,000 profiles joined to
their accounts: seconds on a busy server, on every cold page. So each count is kept, and recounted
from the registrations (the same GROUP BY queries, campaigns.figures.group_counts and
roster_counts, limited to what changed) whenever something it depends on changes:

- a profile saved or deleted: its group and workplace, before and after (campaigns.signals);
- an account's phone verified, changed or switched off, or deleted: its group, its workplace, and
  the roster groups where its phone is listed;
- a sign-in: the person's group (the "signed in during the last 30 days" figure);
- a roster imported, a workplace saved: those groups, that workplace.

The 30-day window also moves with time alone: a unit whose counts are older than MAX_AGE is
recounted whole when next read (and the nightly task recounts every unit), so that figure is at
most a day behind; every other figure moves at once.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Case, Count, Exists, Min, OuterRef, Q, Sum, Value, When
from django.utils import timezone

from government.models import ResidentialGroup

from .figures import ACTIVE_DAYS, group_counts, roster_counts, verified_profiles
from .models import Household, HouseholdPhone, Tally, Workplace

MAX_AGE = dt.timedelta(hours=24)
NO_GROUP = "none"
TOTAL = "total"  # the unit's groups summed (refresh_total)
FIELDS = ["group", "workplace", "registered", "homes", "active", "roster", "covered", "refreshed_at"]
# A total whose groups are not all counted yet: older than any cutoff, so that it is recounted.
NOT_COUNTED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def group_key(group_id):
    return f"g{group_id}" if group_id else NO_GROUP


def workplace_key(workplace_id):
    return f"w{workplace_id}"


def _save(rows):
    if rows:
        Tally.objects.bulk_create(rows, update_conflicts=True, unique_fields=["unit", "key"], update_fields=FIELDS)


def refresh_groups(unit_code, group_ids, *, total=True):
    """Recount these groups of the unit (None in `group_ids`: its residents who named no group),
    then its total (refresh_total) unless the caller sums it itself (`total=False`)."""
    group_ids = set(group_ids)
    ids = {pk for pk in group_ids if pk}
    wanted = Q(residential_group_id__in=ids)
    if None in group_ids:
        wanted |= Q(residential_group__isnull=True)
    counts = group_counts(verified_profiles().filter(ward_id=unit_code).filter(wanted))
    rosters = roster_counts(Household.objects.filter(group_id__in=ids)) if ids else {}
    now = timezone.now()
    rows = []
    for pk in group_ids:
        registered, homes, active = counts.get(pk, (0, 0, 0))
        roster, covered = rosters.get(pk, (None, homes))
        rows.append(
            Tally(
                unit_id=unit_code,
                key=group_key(pk),
                group_id=pk,
                registered=registered,
                homes=homes,
                active=active,
                roster=roster,
                covered=covered,
                refreshed_at=now,
            )
        )
    _save(rows)
    if total:
        refresh_total(unit_code)


def refresh_total(unit_code):
    """Sum the unit's groups into its "total" row: how many groups, their surveys' households with
    a smartphone, and their kept counts (only those counted for this unit, as the ward page joins
    them); `refreshed_at` is the oldest of those counts, or NOT_COUNTED while a group has none. Run
    after any of its groups' counts or surveys change, under a lock on the row, so that of two
    recounts at once the later one sums what both wrote."""
    with transaction.atomic():
        Tally.objects.bulk_create(
            [Tally(unit_id=unit_code, key=TOTAL, refreshed_at=NOT_COUNTED)], ignore_conflicts=True
        )
        Tally.objects.select_for_update().filter(unit_id=unit_code, key=TOTAL).values_list("pk").first()
        surveys = ResidentialGroup.objects.filter(unit_id=unit_code).aggregate(
            groups=Count("pk"), smart=Sum("smartphone_households")
        )
        kept = Tally.objects.filter(unit_id=unit_code, group__unit_id=unit_code).aggregate(
            n=Count("pk"),
            registered=Sum("registered"),
            homes=Sum("homes"),
            active=Sum("active"),
            covered=Sum("covered"),
            oldest=Min("refreshed_at"),
        )
        # A group not counted yet: the total is as old as can be. No groups: nothing to count.
        oldest = NOT_COUNTED if kept["n"] < surveys["groups"] else kept["oldest"] or timezone.now()
        Tally.objects.filter(unit_id=unit_code, key=TOTAL).update(
            registered=kept["registered"] or 0,
            homes=kept["homes"] or 0,
            active=kept["active"] or 0,
            covered=kept["covered"] or 0,
            groups=surveys["groups"],
            smartphone_households=surveys["smart"] or 0,
            refreshed_at=oldest,
        )


def refresh_workplaces(places):
    """Recount these workplaces: [(pk, unit code, name key)]."""
    if not places:
        return
    since = timezone.now() - dt.timedelta(days=ACTIVE_DAYS)
    counts = {
        row["workplace_key"]: (row["n"], row["active"])
        for row in verified_profiles()
        .filter(workplace_key__in={key for _pk, _unit, key in places})
        .values("workplace_key")
        .annotate(n=Count("pk"), active=Count("pk", filter=Q(user__last_login__gte=since)))
        .order_by()
    }
    now = timezone.now()
    _save(
        [
            Tally(
                unit_id=unit,
                key=workplace_key(pk),
                workplace_id=pk,
                registered=counts.get(key, (0, 0))[0],
                active=counts.get(key, (0, 0))[1],
                refreshed_at=now,
            )
            for pk, unit, key in places
        ]
    )


def refresh_unit(unit_code):
    """Recount every group, workplace and helper of the unit, and drop counts of what is gone."""
    groups = list(ResidentialGroup.objects.filter(unit_id=unit_code).values_list("pk", flat=True))
    places = list(Workplace.objects.filter(unit_id=unit_code).values_list("pk", "unit_id", "name_key"))
    with transaction.atomic():
        refresh_groups(unit_code, [*groups, None], total=False)  # summed below, once stale rows are gone
        refresh_workplaces(places)
        keep = {group_key(pk) for pk in groups} | {NO_GROUP} | {workplace_key(pk) for pk, *_ in places}
        keep |= {HELPERS_COUNTED, TOTAL}
        Tally.objects.filter(unit_id=unit_code).exclude(key__in=keep).exclude(key__startswith=HELPER_PREFIX).delete()
        refresh_total(unit_code)
        refresh_helpers(unit_code)


def refresh_all():
    """Recount every unit that has groups or workplaces (the nightly task). Returns how many."""
    codes = set(ResidentialGroup.objects.values_list("unit_id", flat=True).distinct())
    codes |= set(Workplace.objects.values_list("unit_id", flat=True).distinct())
    for code in sorted(codes):
        refresh_unit(code)
    return len(codes)


def refresh_people(people, phones=(), helpers=()):
    """Recount what these people count in: `people` are (ward code, group id, workplace key) as
    they are now and as they were; `phones` their numbers, for the rosters that list them;
    `helpers` (ward code, referral code) as they are now and as they were."""
    by_unit = {}
    keys = set()
    for ward, group, key in people:
        if ward:
            by_unit.setdefault(ward, set()).add(group)
        if key:
            keys.add(key)
    phones = [phone for phone in phones if phone]
    if phones:
        for group, unit in (
            Household.objects.filter(Exists(HouseholdPhone.objects.filter(household=OuterRef("pk"), phone__in=phones)))
            .values_list("group_id", "group__unit_id")
            .distinct()
        ):
            by_unit.setdefault(unit, set()).add(group)
    for unit, groups in by_unit.items():
        refresh_groups(unit, groups)
    if keys:
        refresh_workplaces(list(Workplace.objects.filter(name_key__in=keys).values_list("pk", "unit_id", "name_key")))
    codes_by_unit = {}
    for ward, code in helpers:
        if ward and code and code.startswith("+84"):
            codes_by_unit.setdefault(ward, set()).add(code)
    for unit, codes in codes_by_unit.items():
        refresh_helpers(unit, codes)


# --- Helpers ------------------------------------------------------------------------------------
# A citizen who typed a helper's number as referral code counts for that helper: kept per unit and
# number ("h+84…": registered = people, homes = households), so that the helpers page reads the
# top rows instead of grouping the referral codes of 60,000 residents (a quarter of a second).

HELPER_PREFIX = "h+"
HELPERS_COUNTED = "helpers"  # this unit's helpers are kept (registered: how many helpers)


def helper_key(code):
    return f"h{code}"


def helper_counts(profiles):
    """{referral code: (households, people)} over `profiles` (one GROUP BY)."""
    from .figures import home_key_expression

    rows = (
        profiles.filter(referral_code__startswith="+84")
        .annotate(home=home_key_expression())
        .values("referral_code")
        .annotate(households=Count("home", distinct=True), people=Count("pk"))
        .order_by()
    )
    return {row["referral_code"]: (row["households"], row["people"]) for row in rows}


def refresh_helpers(unit_code, codes=None):
    """Recount the unit's helpers with these referral codes (None: all of them, dropping those no
    one names any more, and marking the unit's helpers as kept)."""
    profiles = verified_profiles().filter(ward_id=unit_code)
    if codes is not None:
        codes = set(codes)
        profiles = profiles.filter(referral_code__in=codes)
    counts = helper_counts(profiles)
    now = timezone.now()
    rows = [
        Tally(unit_id=unit_code, key=helper_key(code), registered=people, homes=homes, covered=homes, refreshed_at=now)
        for code, (homes, people) in counts.items()
    ]
    with transaction.atomic():
        _save(rows)
        helpers = Tally.objects.filter(unit_id=unit_code, key__startswith=HELPER_PREFIX)
        if codes is None:
            helpers.exclude(key__in=[row.key for row in rows]).delete()
            _save([Tally(unit_id=unit_code, key=HELPERS_COUNTED, registered=len(rows), refreshed_at=now)])
        else:
            helpers.filter(key__in=[helper_key(code) for code in codes - counts.keys()]).delete()


def top_helpers(unit_code, limit):
    """[(referral code, households, people)] of the unit's helpers, most households first: the
    kept counts, the unit's helpers recounted first when they were never kept or are older than
    MAX_AGE (one query when they are fresh)."""
    first = Case(When(key=HELPERS_COUNTED, then=Value(0)), default=Value(1))

    def read():
        return list(
            Tally.objects.filter(unit_id=unit_code)
            .filter(Q(key__startswith=HELPER_PREFIX) | Q(key=HELPERS_COUNTED))
            .order_by(first, "-homes", "key")
            .values_list("key", "homes", "registered", "refreshed_at")[: limit + 1]
        )

    found = read()
    if not found or found[0][0] != HELPERS_COUNTED or found[0][3] < timezone.now() - MAX_AGE:
        refresh_helpers(unit_code)
        found = read()
    return [(key[1:], homes, people) for key, homes, people, _at in found if key != HELPERS_COUNTED]
