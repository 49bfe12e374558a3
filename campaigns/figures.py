"""The campaign's figures, computed from registrations and the figures ward staff keep.

How each figure is counted (the pages say the same, `HOW_COUNTED`):

- registered: accounts with a verified phone whose profile names the ward and the group;
- households covered: distinct homes among them, a home being (group, house number and street,
  normalised: citizens.addresses.household_key); a registered person who gave no address counts as
  a home of their own. Where the ward imported a household roster for the group, a household of
  the roster is covered when any of its phones belongs to a verified account (0912… and +84912…
  are one number: the roster keeps E.164, as accounts do), and the roster decides for that group;
- rate: covered ÷ households with a smartphone (the group leader's survey); "—" without a survey;
- signed in during the last 30 days: registered accounts whose last sign-in is that recent;
- without a group: verified accounts that named the ward but no group (to chase);
- workplaces: verified accounts whose profile's workplace name is the workplace's name (folded:
  diacritics and case aside), against the headcount the ward entered;
- helpers: a citizen who typed a helper's number as referral code counts for that helper, in homes.

The counts per group and workplace are kept in campaigns.tallies and recounted, from the
registrations, whenever something they depend on changes (campaigns.signals), so a page reads 60
rows instead of counting 60,000 profiles. The ward page reads them, with everything else it shows,
in one statement on every request (read_ward); the downloads' figures (ward_figures) are also
cached for CAMPAIGN_FIGURES_SECONDS (default 60) and dropped on the same changes, so a new
registration shows at once.
"""

import datetime as dt
import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from citizens.models import Consent, ConsentPurpose, Profile
from government.models import AdministrativeUnit

from . import reads
from .models import Audience, ExportJob, HouseholdPhone, WorkplaceKind

ACTIVE_DAYS = 30
HOW_COUNTED = [
    _("Đã đăng ký: tài khoản đã xác minh số điện thoại, trong thông tin cá nhân có ghi phường, xã và tổ dân phố này."),
    _(
        "Hộ đã có người đăng ký: số hộ khác nhau (cùng tổ, cùng số nhà và đường phố, không kể cách viết) trong những "
        "người đã đăng ký; người không ghi số nhà được tính là một hộ. Tổ đã nhập danh sách hộ: hộ được tính khi một "
        "số điện thoại của hộ là tài khoản đã xác minh."
    ),
    _("Tỷ lệ: số hộ đã có người đăng ký chia cho số hộ có điện thoại thông minh (theo khảo sát của tổ trưởng)."),
    _(
        "Hoạt động: người đã đăng ký có đăng nhập trong 30 ngày qua; người lâu không đăng nhập được trừ ra khi số "
        "liệu được đếm lại hằng ngày."
    ),
    _(
        "Cơ quan, trường học: người đã đăng ký ghi đúng tên cơ quan ở mục nơi làm việc, so với tổng số cán bộ do "
        "phường nhập."
    ),
]


def figures_seconds():
    return getattr(settings, "CAMPAIGN_FIGURES_SECONDS", 60)


def rate(part, whole):
    """Percent, one decimal; None (shown "—") when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


def rate_level(value):
    """The colour class of a rate (map, table): 0 none … 4 at or above the target."""
    if value is None:
        return "none"
    if value >= 100:
        return "4"
    if value >= 75:
        return "3"
    if value >= 50:
        return "2"
    if value >= 25:
        return "1"
    return "0"


def verified_profiles():
    return Profile.objects.filter(user__phone_verified=True, user__is_active=True)


def home_key_expression():
    from django.db.models import Case, When

    return Case(
        When(
            household_key="",
            then=Concat(Cast("residential_group_id", CharField()), Value(":#"), Cast("user_id", CharField())),
        ),
        default=Concat(Cast("residential_group_id", CharField()), Value(":"), F("household_key")),
        output_field=CharField(),
    )


def consent_subquery(user_ref="user_id"):
    """The latest decision of the person about being named in campaign lists (None: never asked)."""
    latest = Consent.objects.filter(user=OuterRef(user_ref), purpose=ConsentPurpose.CAMPAIGN_LIST).order_by(
        "-at", "-id"
    )
    return Subquery(latest.values("granted")[:1])


# --- Counting -----------------------------------------------------------------------------------


def group_counts(profiles):
    """{group id or None: (registered, homes, active)} over `profiles` (one GROUP BY)."""
    since = timezone.now() - dt.timedelta(days=ACTIVE_DAYS)
    rows = (
        profiles.annotate(home=home_key_expression())
        .values("residential_group_id")
        .annotate(
            registered=Count("pk"),
            homes=Count("home", distinct=True),
            active=Count("pk", filter=Q(user__last_login__gte=since)),
        )
        .order_by()
    )
    return {row["residential_group_id"]: (row["registered"], row["homes"], row["active"]) for row in rows}


def roster_counts(households):
    """{group id: (households on the roster, covered)} (one GROUP BY)."""
    verified_phones = get_user_model().objects.filter(phone_verified=True, is_active=True).values("phone")
    reached = HouseholdPhone.objects.filter(household=OuterRef("pk"), phone__in=verified_phones)
    rows = (
        households.values("group_id")
        .annotate(total=Count("pk"), covered=Count("pk", filter=Q(Exists(reached))))
        .order_by()
    )
    return {row["group_id"]: (row["total"], row["covered"]) for row in rows}


@dataclass(slots=True)
class GroupRow:
    pk: int
    name: str
    households: int | None
    smartphone_households: int | None
    surveyed_on: dt.date | None
    leader_name: str
    registered: int = 0
    covered: int = 0
    active: int = 0
    roster: int | None = None  # households on the imported roster, None without one
    rank: int | None = None
    target_percent: int = 100

    @property
    def rate(self):
        return rate(self.covered, self.smartphone_households)

    @property
    def level(self):
        return rate_level(self.rate)

    @property
    def gap(self):
        """Households still to reach for the target; None without a survey."""
        if not self.smartphone_households:
            return None
        wanted = -(-self.smartphone_households * self.target_percent // 100)
        return max(wanted - self.covered, 0)


@dataclass(slots=True)
class WorkplaceRow:
    pk: int
    name: str
    kind_label: str
    headcount: int | None
    registered: int = 0
    active: int = 0

    @property
    def rate(self):
        return rate(self.registered, self.headcount)

    @property
    def level(self):
        return rate_level(self.rate)

    @property
    def gap(self):
        return None if not self.headcount else max(self.headcount - self.registered, 0)


@dataclass
class Countdown:
    audience: str
    label: str
    due_on: dt.date
    days_left: int


@dataclass
class WardFigures:
    unit_code: str
    unit_name: str
    groups: list
    workplaces: list
    without_group: int
    computed_at: dt.datetime
    campaign: dict | None = None  # {"name", "target_percent", "starts_on", "deadlines": {audience: date}}
    totals: dict = field(default_factory=dict)

    def countdown(self, audience):
        if not self.campaign:
            return None
        due = self.campaign["deadlines"].get(audience)
        if due is None:
            return None
        return Countdown(audience, Audience(audience).label, due, (due - timezone.localdate()).days)

    @property
    def residents_countdown(self):
        return self.countdown(Audience.RESIDENTS)

    @property
    def staff_countdown(self):
        return self.countdown(Audience.STAFF)


def campaign_for(unit_code, today=None):
    """The campaign in force for a unit, with the deadline per audience that applies to it (the
    unit's own date first, else the campaign's); None when there is none. One query, memoised
    for the day under the campaigns' version (campaigns.reads: any save of a campaign, its units
    or a deadline makes a new one)."""
    today = today or timezone.localdate()
    key = f"campaigns:campaign:{unit_code}:{today.isoformat()}"
    found = cache.get_many([reads.CAMPAIGN_VERSION_KEY, key])
    version = found.get(reads.CAMPAIGN_VERSION_KEY) or reads.bump_campaign_version()
    if key in found and found[key][0] == version:
        return found[key][1]
    campaign = campaign_from_rows(reads.campaign_rows(unit_code, today))
    cache.set(key, (version, campaign), 24 * 3600)
    return campaign


def campaign_from_rows(rows):
    """campaign_for()'s dict from reads.campaign_rows()."""
    if not rows:
        return None
    deadlines = {}
    for _pk, _name, _target, _starts, audience, _unit, due_on in sorted(rows, key=lambda r: r[5] is not None):
        # The city's dates first, then the unit's own date replaces its audience's.
        if audience is not None:
            deadlines[audience] = due_on
    pk, name, target_percent, starts_on = rows[0][:4]
    return {
        "pk": pk,
        "name": name,
        "target_percent": target_percent,
        "starts_on": starts_on,
        "deadlines": deadlines,
    }


def _ward_key(unit_code):
    return f"campaigns:ward:{unit_code}"


def forget_ward(*unit_codes):
    cache.delete_many([_ward_key(code) for code in unit_codes if code] + ["campaigns:city"])


def ward_figures(unit, *, use_cache=True):
    """Every figure of the ward's page (see the module docstring); cached briefly, and kept only
    while the campaigns' version (campaigns.reads) is the one they were computed under."""
    ttl = figures_seconds()
    key = _ward_key(unit.pk)
    version = None
    if ttl > 0:
        found = cache.get_many([key, reads.CAMPAIGN_VERSION_KEY]) if use_cache else {}
        version = found.get(reads.CAMPAIGN_VERSION_KEY) or cache.get(reads.CAMPAIGN_VERSION_KEY)
        version = version or reads.bump_campaign_version()
        if key in found and found[key][0] == version:
            return found[key][1]
    figures = compute_ward(unit)
    if ttl > 0:
        cache.set(key, (version, figures), ttl)
    return figures


def compute_ward(unit):
    """The ward's figures from its kept counts (campaigns.tallies: recounted as registrations
    change), the groups' surveys and the campaign in force: one statement (reads.ward_rows), a
    second and a recount when a count is missing or too old."""
    return read_ward(unit.pk).figures


@dataclass
class WardRead:
    """What the ward page shows, from one statement: the unit (code, name, kind), its figures, the
    chart's past weeks [(week, covered, households with a smartphone)], newest first, and the
    officer's last export jobs (ExportJob instances with what the page shows)."""

    unit: tuple
    figures: WardFigures
    past_weeks: list
    jobs: list


def read_ward(unit_code, *, user_id=None, weeks=11):
    """The ward page's read (WardRead), or None when there is no such unit. `user_id`: whose export
    jobs to read (None: nobody's)."""
    from . import tallies

    today = timezone.localdate()
    cutoff = timezone.now() - tallies.MAX_AGE
    values = {"today": today, "week": week_start(today), "cutoff": cutoff, "user_id": user_id, "weeks": weeks}
    rows = reads.ward_rows(unit_code, **values)
    kinds = {row[0] for row in rows}
    if "u" not in kinds:
        return None
    if "n" not in kinds or any(row[13] for row in rows if row[0] in "gnw"):
        tallies.refresh_unit(unit_code)
        rows = reads.ward_rows(unit_code, **values)
    return ward_from_rows(unit_code, rows)


def ward_from_rows(unit_code, rows):
    """WardRead from the statement's rows (reads.ward_rows): groups ranked, totals summed."""
    unit, groups, campaign, workplaces, past, jobs, without_group = None, [], [], [], [], [], 0
    job_fields = ("id", "fmt", "label", "status", "total", "done", "created_at")  # from_db(): the model's order
    for kind, pk, name, text, text2, number, number2, day, day2, registered, active, roster, covered, _s, at in rows:
        if kind == "g":
            # pk, name, households, smartphone households, surveyed on, leader, registered, covered,
            # active, roster: positional, 60 of them.
            row = GroupRow(pk, name, number, number2, day, text, registered or 0, covered or 0, active or 0, roster)
            groups.append(row)
        elif kind == "w":
            workplaces.append(WorkplaceRow(pk, name, _workplace_kind_label(text), number, registered or 0, active or 0))
        elif kind == "s":
            past.append((day, number, number2))
        elif kind == "c":
            campaign.append((pk, name, number, day, text, text2, day2))
        elif kind == "n":
            without_group += registered or 0
        elif kind == "j":
            jobs.append(ExportJob.from_db(connection.alias, job_fields, (pk, text, name, text2, number, number2, at)))
        else:
            unit = (unit_code, name, text)
    campaign = campaign_from_rows(campaign)
    target = campaign["target_percent"] if campaign else 100

    def rank_key(row):
        value = rate(row.covered, row.smartphone_households)
        return (-(value if value is not None else -1), -row.covered, row.name)

    ranked = sorted(groups, key=rank_key)
    households = smart = registered = covered = active = 0
    for position, row in enumerate(ranked, 1):
        row.rank, row.target_percent = position, target
        households += row.households or 0
        smart += row.smartphone_households or 0
        registered += row.registered
        covered += row.covered
        active += row.active
    totals = {
        "households": households,
        "smartphone_households": smart,
        "registered": registered,
        "covered": covered,
        "active": active,
        "rate": rate(covered, smart),
    }
    totals["level"] = rate_level(totals["rate"])
    figures = WardFigures(
        unit_code=unit_code,
        unit_name=unit[1],
        groups=ranked,
        workplaces=workplaces,
        without_group=without_group,
        computed_at=timezone.now(),
        campaign=campaign,
        totals=totals,
    )
    past.sort(reverse=True)
    jobs.sort(key=lambda job: (job.created_at, job.pk), reverse=True)
    return WardRead(unit=unit, figures=figures, past_weeks=past, jobs=jobs)


def _workplace_kind_label(kind):
    return WorkplaceKind(kind).label


# --- Helpers ------------------------------------------------------------------------------------

HELPER_TARGET = 10


@dataclass
class HelperRow:
    phone: str
    name: str  # "" when the helper did not agree to be named
    households: int
    people: int

    @property
    def reached_target(self):
        return self.households >= HELPER_TARGET


def helpers(unit, limit=50):
    """The helpers of the ward's residents, most households first, from their kept counts
    (campaigns.tallies), named where they agreed (two queries)."""
    from .tallies import top_helpers

    rows = top_helpers(unit.pk, limit)
    names = dict(
        get_user_model()
        .objects.filter(phone__in=[code for code, _homes, _people in rows])
        .annotate(named=consent_subquery("pk"))
        .filter(named=True)
        .values_list("phone", "full_name")
    )
    return [HelperRow(code, names.get(code, ""), homes, people) for code, homes, people in rows]


# --- The city -----------------------------------------------------------------------------------


@dataclass(slots=True)
class UnitRow:
    code: str
    name: str
    kind_label: str
    groups: int = 0
    smartphone_households: int = 0
    registered: int = 0
    covered: int = 0
    rate: float | None = field(init=False, default=None)  # computed once: sorted by, drawn, coloured

    def __post_init__(self):
        smart = self.smartphone_households
        self.rate = round(100 * self.covered / smart, 1) if smart else None  # rate(), inline: 114 of them

    @property
    def level(self):
        return rate_level(self.rate)


def city_figures(*, use_cache=True):
    """All 114 units: (rows, computed_at). Figures only, never names. Cached CAMPAIGN_CITY_SECONDS
    (as plain rows: the kinds' labels are the viewer's language)."""
    ttl = getattr(settings, "CAMPAIGN_CITY_SECONDS", 300)
    found = cache.get("campaigns:city") if use_cache and ttl > 0 else None
    if found is None:
        from . import tallies

        cutoff = timezone.now() - tallies.MAX_AGE
        rows = reads.city_rows(cutoff)
        stale = [code for code, *_figures, stale in rows if stale]
        if stale:
            # A unit whose total is missing, or older than a day: recount it, then read again.
            for code in stale:
                tallies.refresh_unit(code)
            rows = reads.city_rows(cutoff)
        found = ([row[:7] for row in rows], timezone.now())
        if ttl > 0:
            cache.set("campaigns:city", found, ttl)
    rows, computed_at = found
    kinds = _unit_kinds(get_language())
    return [UnitRow(code, name, kinds.get(kind, kind), *figures) for code, name, kind, *figures in rows], computed_at


@functools.lru_cache(maxsize=16)
def _unit_kinds(_language):
    # The kinds' labels once per language: get_kind_display() hashes the lazy choices for each unit.
    return {value: str(label) for value, label in AdministrativeUnit._meta.get_field("kind").flatchoices}


# --- Weekly snapshots ---------------------------------------------------------------------------


def week_start(day):
    return day - dt.timedelta(days=day.weekday())


def weekly_series(past_weeks, figures):
    """[(week start, covered, rate)] for the chart, oldest first: the stored snapshots (`past_weeks`:
    WardRead.past_weeks, newest first), then this week's live figure."""
    points = [(week, covered, rate(covered, smart)) for week, covered, smart in past_weeks][::-1]
    points.append((week_start(timezone.localdate()), figures.totals["covered"], figures.totals["rate"]))
    return points
