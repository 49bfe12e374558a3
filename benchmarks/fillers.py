"""Fillers: one function per kind of data, registered by name, run in a fixed order.

`python -m benchmarks.fill --citizens 100000` calls the `citizens` filler with 100000; fillers that
others depend on (units, agencies) run first whatever the command line says. To add one (say
`--reports 1000000`), write a function here:

    @filler("reports", order=40, help="PAKN reports")
    def fill_reports(count, *, log):
        ...  # bulk_create in batches of BATCH rows, up to `count` rows in total
        return created

A filler brings the number of its rows up to `count` (running it twice adds nothing), writes with
bulk_create in batches, and removes only its own rows in `reset()`.
"""

import itertools
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

BATCH = 5000
# Benchmark citizens are recognisable by their user name (and removed by --reset).
CITIZEN_PREFIX = "bench-citizen-"
# Their phone numbers: +84 98 followed by 7 digits; no real subscriber is ever asked for a code,
# since benchmark data stays on benchmark databases.
PHONE_PREFIX = "+8498"

SURNAMES = [
    *["Nguyễn"] * 38, *["Trần"] * 11, *["Lê"] * 9, *["Phạm"] * 7, *["Hoàng"] * 5, *["Vũ"] * 4, *["Đặng"] * 2,
    *["Bùi"] * 2, *["Đỗ"] * 2, "Hồ", "Ngô", "Dương", "Lý", "Phan", "Đinh", "Mai", "Trịnh", "Đoàn", "Lương", "Cao",
]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Thu", "Ngọc", "Quang", "Xuân", "Hồng", "Kim", "Gia", "Bảo"]
GIVEN = [
    "An", "Anh", "Bình", "Châu", "Chi", "Cường", "Dũng", "Dung", "Duy", "Giang", "Hà", "Hải", "Hạnh", "Hiếu",
    "Hoa", "Hòa", "Hùng", "Hương", "Huy", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc",
    "Nhung", "Phong", "Phúc", "Phương", "Quân", "Quang", "Quỳnh", "Sơn", "Tâm", "Thảo", "Thắng", "Thủy", "Trang",
    "Trung", "Tuấn", "Tú", "Vân", "Việt", "Vy", "Yến",
]  # fmt: skip


@dataclass
class Filler:
    name: str
    order: int
    help: str
    fill: object
    reset: object = None
    counted: bool = True  # False: a flag (--units), the filler knows how many rows there are


FILLERS = {}


def filler(name, *, order, help, reset=None, counted=True):
    def register(function):
        FILLERS[name] = Filler(name=name, order=order, help=help, fill=function, reset=reset, counted=counted)
        return function

    return register


def in_batches(rows, size=BATCH):
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


# --- government -----------------------------------------------------------------------------------


@filler("units", order=10, help="the 114 administrative units (government's bundled list)", counted=False)
def fill_units(count, *, log):
    from government.models import AdministrativeUnit
    from government.services import import_unit_seats, import_units

    if AdministrativeUnit.objects.count() < 114:
        import_units()
        import_unit_seats()
    return AdministrativeUnit.objects.count()


@filler("agencies", order=20, help="agencies: each unit's People's Committee, city departments", counted=False)
def fill_agencies(count, *, log):
    from government.models import AdministrativeUnit, Agency, AgencyKind

    fill_units(0, log=log)  # agencies of the units need the units
    try:
        from government.demo import CITY_AGENCIES
    except ImportError:
        CITY_AGENCIES = []
    rows = [
        Agency(slug=f"ubnd-{unit.code}", name=f"UBND {unit.name}", kind=AgencyKind.WARD_COMMITTEE, unit=unit)
        for unit in AdministrativeUnit.objects.all()
    ]
    rows += [Agency(slug=slug, name=name, kind=kind) for slug, name, kind in CITY_AGENCIES]
    Agency.objects.bulk_create(rows, ignore_conflicts=True)  # slug is unique: existing ones stay
    return Agency.objects.count()


# --- citizens -------------------------------------------------------------------------------------


def _citizen_name(rng):
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def reset_citizens(*, log):
    deleted, _ = get_user_model().objects.filter(username__startswith=CITIZEN_PREFIX).delete()
    log(f"citizens: {deleted} rows deleted")


@filler("citizens", order=30, help="citizens with verified phone numbers", reset=reset_citizens)
def fill_citizens(count, *, log):
    user_model = get_user_model()
    existing = user_model.objects.filter(username__startswith=CITIZEN_PREFIX).count()
    if existing >= count:
        return 0
    rng = random.Random(existing)  # the same command gives the same people
    # No password: benchmark citizens cannot sign in with one (hashing 100,000 would take minutes).
    unusable = make_password(None)
    created = 0
    rows = (
        user_model(
            username=f"{CITIZEN_PREFIX}{number:07d}",
            phone=f"{PHONE_PREFIX}{number:07d}",
            phone_verified=True,
            full_name=_citizen_name(rng),
            password=unusable,
        )
        for number in range(existing, count)
    )
    for batch in in_batches(rows):
        with transaction.atomic():
            user_model.objects.bulk_create(batch)
        created += len(batch)
        log(f"citizens: {existing + created}/{count}")
    return created


# --- PAKN officers --------------------------------------------------------------------------------

OFFICER_PREFIX = "bench-"
# (user name, role, agency slug): the officer site's benchmark accounts. They have a TOTP
# authenticator (the officer site requires one) and no usable password; `pages --user` signs in.
BENCH_OFFICERS = [
    ("bench-officer-lechan", "officer", "ubnd-11383"),
    ("bench-leader-lechan", "leader", "ubnd-11383"),
    ("bench-operator-1022", "operator", "trung-tam-1022"),
]


def reset_officers(*, log):
    deleted, _ = get_user_model().objects.filter(username__in=[name for name, *_rest in BENCH_OFFICERS]).delete()
    log(f"officers: {deleted} rows deleted")


@filler(
    "officers",
    order=35,
    help="officer-site accounts bench-officer-lechan, bench-leader-lechan, bench-operator-1022",
    reset=reset_officers,
    counted=False,
)
def fill_officers(count, *, log):
    from allauth.mfa.models import Authenticator

    from government.models import Agency, Membership

    fill_agencies(0, log=log)
    user_model = get_user_model()
    for username, role, slug in BENCH_OFFICERS:
        user, _created = user_model.objects.get_or_create(
            username=username, defaults={"password": make_password(None), "full_name": username}
        )
        Membership.objects.get_or_create(user=user, agency=Agency.objects.get(slug=slug), role=role)
        Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP, defaults={"data": {}})
    return len(BENCH_OFFICERS)


# --- PAKN reports ---------------------------------------------------------------------------------

# Benchmark reports carry this idempotency-key prefix (how they are counted and removed); their
# tracking codes are numbered from 9,000,000 so that they never meet the portal's own counter.
REPORT_KEY_PREFIX = "bench:"
REPORT_CODE_START = 9_000_000
REPORT_TITLES = [
    "Ổ gà lớn giữa đường {street}",
    "Đèn đường {street} không sáng",
    "Rác thải tập kết sai nơi quy định ở {street}",
    "Lấn chiếm vỉa hè bán hàng tại {street}",
    "Cống thoát nước bị tắc, ngập khi mưa ở {street}",
    "Cây xanh nghiêng có nguy cơ đổ trên {street}",
    "Tiếng ồn karaoke khuya ở {street}",
    "Đề nghị lắp biển báo giảm tốc trên {street}",
]
STREETS = ["Lạch Tray", "Tô Hiệu", "Trần Nguyên Hãn", "Hai Bà Trưng", "Cầu Đất", "Lê Lợi", "Văn Cao", "Nguyễn Văn Linh"]


def reset_reports(*, log):
    from feedback.models import Report

    deleted, _ = Report.objects.filter(idempotency_key__startswith=REPORT_KEY_PREFIX).delete()
    log(f"reports: {deleted} rows deleted (with their answers, ratings and events)")


def _report_life(rng, created, now):
    """(status, accept due, answer due, accepted, answered, closed) for a report filed at `created`:
    older reports are mostly answered, a few still overdue; recent ones still being handled."""
    import datetime as dt

    day = dt.timedelta(days=1)
    accept_due, answer_due = created + 2 * day, created + 14 * day  # ≈ 1 and 10 working days
    age, r = (now - created) / day, rng.random()
    accepted = created + dt.timedelta(hours=rng.uniform(1, 40))
    if age > 20:
        if r < 0.85:
            answered = created + dt.timedelta(days=rng.uniform(0.5, 18))  # about 1 in 4 late
            closed = answered + 7 * day if answered + 7 * day < now and rng.random() < 0.6 else None
            status = "closed" if closed else "answered"
            return status, accept_due, answer_due, accepted, answered, closed
        if r < 0.89:
            return "rejected", accept_due, None, None, None, created + day
        if r < 0.95:
            return "in_progress", accept_due, answer_due, accepted, None, None  # overdue now
        if r < 0.96:
            return "returned", now + day, None, None, None, None
        return "assigned", accept_due, None, None, None, None  # overdue now
    if r < 0.05:
        return "triage", accept_due, None, None, None, None
    if r < 0.35:
        return "assigned", accept_due, None, None, None, None
    if r < 0.75:
        return "in_progress", accept_due, answer_due, accepted, None, None
    answered = min(created + dt.timedelta(days=rng.uniform(0.5, 10)), now)
    return "answered", accept_due, answer_due, accepted, answered, None


@filler("reports", order=40, help="PAKN reports over the last year, with answers, ratings", reset=reset_reports)
def fill_reports(count, *, log):
    import datetime as dt

    from django.utils import timezone

    from feedback import demo
    from feedback.models import Category, Report, Satisfaction
    from government.models import AdministrativeUnit, Agency
    from smarthp.text import search_key

    fill_agencies(0, log=log)
    demo.load_categories()
    demo.load_routing()
    demo.load_deadlines()
    existing = Report.objects.filter(idempotency_key__startswith=REPORT_KEY_PREFIX).count()
    if existing >= count:
        return 0
    rng = random.Random(existing)
    now = timezone.now()
    units = list(AdministrativeUnit.objects.values_list("code", "seat_lat", "seat_lng"))
    agencies = dict(Agency.objects.values_list("slug", "pk"))
    leaves = list(Category.objects.filter(parent__isnull=False).select_related("parent"))
    city_wide = {slug: agency for _s, _n, _p, children in demo.CATEGORIES for slug, _name, agency in children if agency}
    citizens = list(
        get_user_model().objects.filter(username__startswith=CITIZEN_PREFIX).values_list("pk", flat=True)[:200_000]
    )
    scores = [Satisfaction.VERY_SATISFIED] * 45 + [Satisfaction.SATISFIED] * 35 + [Satisfaction.UNSATISFIED] * 20

    def agency_for(category, unit_code):
        if category.slug in city_wide:
            return agencies.get(city_wide[category.slug])
        if category.parent.slug in demo.WARD_ROUTED:
            return agencies.get(f"ubnd-{unit_code}")
        return None  # no rule: the 1022 centre triaged it to the ward (or still holds it)

    def rows(start):
        for number in range(start, count):
            category = rng.choice(leaves)
            code, lat, lng = rng.choice(units)
            created = now - dt.timedelta(seconds=rng.uniform(0, 365 * 86400))
            status, accept_due, answer_due, accepted, answered, closed = _report_life(rng, created, now)
            agency = agency_for(category, code)
            if status == "triage" or (agency is None and status != "triage"):
                agency = agencies["trung-tam-1022"] if status == "triage" else agencies.get(f"ubnd-{code}")
            title = rng.choice(REPORT_TITLES).format(street=rng.choice(STREETS))
            description = f"{title}. Đề nghị cơ quan chức năng kiểm tra, xử lý sớm."
            report = Report(
                code=f"PA-{created.year}-{REPORT_CODE_START + number}",
                category=category,
                title=title,
                description=description,
                search_key=search_key(f"{title} {description}"),
                lat=lat + rng.uniform(-0.004, 0.004) if lat else None,
                lng=lng + rng.uniform(-0.004, 0.004) if lng else None,
                unit_id=code,
                is_public=rng.random() < 0.85,
                hide_identity=rng.random() < 0.1,
                reporter_id=rng.choice(citizens) if citizens else None,
                idempotency_key=f"{REPORT_KEY_PREFIX}{number}",
                status=status,
                agency_id=agency,
                routed_at=created + dt.timedelta(seconds=2),
                accepted_at=accepted,
                answered_at=answered,
                closed_at=closed,
                accept_due_at=accept_due,
                answer_due_at=answer_due,
            )
            report.created_at = created
            yield report

    # Reports filed over the past year: created_at must keep the value given, not "now".
    # So must the events' times.
    from feedback.models import ReportEvent

    fields = [Report._meta.get_field("created_at"), ReportEvent._meta.get_field("created_at")]
    for field in fields:
        field.auto_now_add = False
    try:
        return _fill_report_batches(rows(existing), existing, count, rng, scores, log)
    finally:
        for field in fields:
            field.auto_now_add = True


HISTORY_CODE_PREFIX = "PA-H"  # PA-H<years back>-<source id>: at most 20 characters
HISTORY_COLUMNS = (
    "title, description, search_key, lat, lng, address, is_public, hide_identity, contact_name, contact_phone, "
    "channel, routing_attempts, follower_count, version, agency_id, assignee_id, category_id, reporter_id, unit_id, "
    "urgency_id"
)
# Years back, every clock moves with the report; what was still open then is long closed now.
HISTORY_SQL = f"""
INSERT INTO feedback_report (code, status, created_at, updated_at, routed_at, accepted_at, answered_at, closed_at,
                             accept_due_at, answer_due_at, {HISTORY_COLUMNS})
SELECT %(prefix)s || id, CASE WHEN status IN ('answered', 'closed', 'rejected') THEN status ELSE 'closed' END,
       created_at - %(shift)s, updated_at - %(shift)s, routed_at - %(shift)s, accepted_at - %(shift)s,
       answered_at - %(shift)s, COALESCE(closed_at, created_at + interval '12 days') - %(shift)s,
       accept_due_at - %(shift)s, answer_due_at - %(shift)s, {HISTORY_COLUMNS}
FROM feedback_report WHERE idempotency_key LIKE %(source)s ORDER BY id LIMIT %(limit)s
"""


def reset_report_history(*, log):
    from feedback.models import Report

    deleted, _ = Report.objects.filter(code__startswith=HISTORY_CODE_PREFIX).delete()
    log(f"report history: {deleted} rows deleted")


@filler(
    "report_history",
    order=45,
    help="PostgreSQL: the filled reports copied whole years back (no photos, events or answers: pages read "
    "the newest) until there are N reports in all; a million in about a minute where the Python fill takes hours",
    reset=reset_report_history,
)
def fill_report_history(count, *, log):
    import datetime as dt

    from django.db import connection

    from feedback.models import Report

    if connection.vendor != "postgresql":
        raise SystemExit("--report_history needs PostgreSQL")
    sources = Report.objects.filter(idempotency_key__startswith=REPORT_KEY_PREFIX).count()
    if not sources:
        raise SystemExit("--report_history copies the benchmark reports: fill --reports first")
    created, years = 0, 0
    while (total := Report.objects.count()) < count:
        years += 1
        prefix = f"{HISTORY_CODE_PREFIX}{years}-"
        if Report.objects.filter(code__startswith=prefix).exists():
            continue  # this year back was copied by an earlier run
        params = {"prefix": prefix, "shift": dt.timedelta(days=365 * years), "source": f"{REPORT_KEY_PREFIX}%",
                  "limit": count - total}  # fmt: skip
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(HISTORY_SQL, params)
            created += cursor.rowcount
        log(f"  report history: {years} year(s) back, {total + cursor.rowcount} reports in all")
    return created


# Photos are rows only: every benchmark photo points at the same (absent) file name, since what is
# measured is the queries, not the disk. About 40 % of citizens' reports carry one to three photos.
BENCH_PHOTO = "reports/bench/photo.jpg"
BENCH_THUMBNAIL = "reports/bench/thumbs/photo.jpg"


def _bench_photos(report, rng):
    from feedback.models import ReportPhoto

    if rng.random() >= 0.4:
        return []
    return [
        ReportPhoto(
            report=report, image=BENCH_PHOTO, thumbnail=BENCH_THUMBNAIL, width=2048, height=1536, position=position
        )
        for position in range(rng.choice((1, 1, 2, 3)))
    ]


def _bench_events(report):
    """The public steps a routed report shows on its page: received, sent to the agency (or 1022),
    accepted, answered, closed; timed after the report's own dates."""
    import datetime as dt

    from feedback.models import EventKind, ReportEvent

    def event(kind, at, to_status="", agency=True):
        made = ReportEvent(
            report=report,
            kind=kind,
            agency_id=report.agency_id if agency else None,
            from_status="",
            to_status=to_status,
            is_public=True,
            notified_at=at,
        )
        made.created_at = at
        return made

    routed = report.routed_at
    to_triage = report.status == "triage"
    events = [
        event(EventKind.SUBMITTED, report.created_at, "submitted", agency=False),
        event(EventKind.RECEIVED, routed),
        event(EventKind.TRIAGE if to_triage else EventKind.ROUTED, routed, "triage" if to_triage else "assigned"),
    ]
    if report.accepted_at:
        events.append(event(EventKind.ACCEPTED, report.accepted_at, "in_progress"))
    if report.answered_at:
        events.append(event(EventKind.ANSWERED, report.answered_at, "answered"))
    if report.closed_at and report.status == "closed":
        events.append(event(EventKind.CLOSED, report.closed_at + dt.timedelta(seconds=1), "closed", agency=False))
    return events


def _fill_report_batches(rows, existing, count, rng, scores, log):
    import datetime as dt

    from feedback.models import Answer, EventKind, Rating, Report, ReportEvent, ReportPhoto

    created_total = 0
    for batch in in_batches(rows):
        with transaction.atomic():
            reports = Report.objects.bulk_create(batch)
            if any(report.pk is None for report in reports):  # a backend that returns no ids
                keys = [report.idempotency_key for report in reports]
                reports = list(Report.objects.filter(idempotency_key__in=keys))
            rated = [r for r in reports if r.answered_at and r.status in ("answered", "closed") and rng.random() < 0.3]
            answers = Answer.objects.bulk_create(
                [
                    Answer(
                        report=r,
                        agency_id=r.agency_id,
                        text="Đơn vị đã kiểm tra và xử lý xong.",
                        status="published",
                        published_at=r.answered_at,
                    )
                    for r in rated
                ]
            )
            if answers and answers[0].pk is not None:
                Rating.objects.bulk_create(
                    [
                        Rating(report_id=a.report_id, answer=a, agency_id=a.agency_id, score=rng.choice(scores))
                        for a in answers
                    ]
                )
            ReportEvent.objects.bulk_create(
                [
                    ReportEvent(
                        report=r,
                        kind=EventKind.REOPENED,
                        to_status="reopened",
                        is_public=True,
                        created_at=r.answered_at + dt.timedelta(days=2),
                        notified_at=r.answered_at + dt.timedelta(days=2),
                    )
                    for r in reports
                    if r.answered_at and rng.random() < 0.03
                ]
            )
            ReportPhoto.objects.bulk_create([photo for r in reports for photo in _bench_photos(r, rng)])
            ReportEvent.objects.bulk_create([event for r in reports for event in _bench_events(r)])
        created_total += len(batch)
        log(f"reports: {existing + created_total}/{count}")
    return created_total


# The other apps' fillers live in modules of their own; each registers itself with @filler on import.
from benchmarks import fillers_campaigns, fillers_news, fillers_publicservices, fillers_utilities  # noqa: E402, F401
