"""The load: every life lived in memory, then one bulk_create per table."""

import contextlib
import random

from django.db.models import F
from django.utils import timezone

from ..models import Answer, Channel, Rating, Report, ReportCodeCounter, ReportEvent, ReportStatus
from .content import CATEGORIES, FRESH_CATEGORIES, URGENT_CATEGORIES, WARDS
from .lives import Life
from .people import demo_citizens
from .timeline import filed_at, fresh_window
from .world import World

BULK_KEY_PREFIX = "demo-bulk:"
REPORTS = 700  # over the whole period, the fresh ones included
FRESH = 12  # filed in the current month's first days, answered and mostly rated by now
SEED = 2026


@contextlib.contextmanager
def keeping_given_times(*models):
    """bulk_create that keeps the created_at/updated_at given to each row instead of "now".

    auto_now/auto_now_add are switched off on the models' fields for the duration: for a loading
    command or a benchmark filler run before serving, never inside a serving process.
    """
    changed = []
    for model in models:
        for field in model._meta.concrete_fields:
            for flag in ("auto_now", "auto_now_add"):
                if getattr(field, flag, False):
                    setattr(field, flag, False)
                    changed.append((field, flag))
    try:
        yield
    finally:
        for field, flag in changed:
            setattr(field, flag, True)


def _weighted(rng, table):
    keys = list(table)
    return rng.choices(keys, weights=[table[key][0] for key in keys])[0]


def _new_report(world, rng, citizens, created, *, fresh):
    slug = rng.choice(FRESH_CATEGORIES) if fresh else _weighted(rng, CATEGORIES)
    code = _weighted(rng, WARDS)
    unit = world.units[code]
    street = rng.choice(WARDS[code][1])
    title, description = rng.choice(CATEGORIES[slug][1])
    category = world.categories[slug]
    public = rng.random() < 0.8
    report = Report(
        category=category,
        urgency=world.urgent if slug in URGENT_CATEGORIES and rng.random() < 0.3 else None,
        title=title.format(street=street),
        description=description,
        address=f"Số {rng.randint(1, 250)} {street}",
        lat=unit.seat_lat + rng.uniform(-0.006, 0.006) if unit.seat_lat else None,
        lng=unit.seat_lng + rng.uniform(-0.006, 0.006) if unit.seat_lng else None,
        unit=unit,
        is_public=public,
        hide_identity=rng.random() < 0.1,
        reporter=rng.choice(citizens),
        channel=Channel.API if rng.random() < 0.3 else Channel.WEB,
        status=ReportStatus.SUBMITTED,
    )
    report.created_at = report.updated_at = created
    return report


def _reserve_codes(reports):
    """Tracking codes from the portal's own yearly counter, in the order the reports were filed."""
    by_year = {}
    for report in sorted(reports, key=lambda item: item.created_at):
        by_year.setdefault(timezone.localtime(report.created_at).year, []).append(report)
    for year, filed in by_year.items():
        ReportCodeCounter.objects.get_or_create(year=year)
        ReportCodeCounter.objects.filter(year=year).update(last=F("last") + len(filed))
        last = ReportCodeCounter.objects.get(year=year).last
        for number, report in enumerate(filed, start=last - len(filed) + 1):
            report.code = f"PA-{year}-{number:06d}"


def load(count=REPORTS, *, now=None):
    """Write the demo's months of reports, once. Returns how many were added (0 when they exist)."""
    from smarthp.text import search_key

    if Report.objects.filter(idempotency_key__startswith=BULK_KEY_PREFIX).exists():
        return 0
    now = now or timezone.now()
    rng = random.Random(SEED)
    world = World(now)
    if world.hotline is None or len(world.units) < len(WARDS) or not set(CATEGORIES) <= set(world.categories):
        return 0  # the government demo or the categories are missing: nothing to file against
    citizens = demo_citizens(rng)
    fresh_start, pace = fresh_window(now)
    lives = []
    for number in range(count):
        fresh = number < FRESH
        created = fresh_start + (now - fresh_start) * rng.uniform(0, 0.6) if fresh else filed_at(rng, now)
        report = _new_report(world, rng, citizens, created, fresh=fresh)
        report.idempotency_key = f"{BULK_KEY_PREFIX}{number}"
        life = Life(world, rng, report, fresh=fresh, pace=pace)
        life.live()
        lives.append(life)
    reports = [life.report for life in lives]
    _reserve_codes(reports)
    for report in reports:
        report.search_key = search_key(f"{report.title} {report.description} {report.address} {report.code}")
    with keeping_given_times(Report, ReportEvent, Answer, Rating):
        Report.objects.bulk_create(reports)
        Answer.objects.bulk_create([answer for life in lives for answer in life.answers])
        Rating.objects.bulk_create([rating for life in lives for rating in life.ratings])
        ReportEvent.objects.bulk_create([event for life in lives for event in life.events])
    return len(reports)
