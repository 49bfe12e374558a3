"""Benchmark fillers of publicservices (registered with benchmarks.fillers.filler on import).

`--procedures N`: benchmark procedures (codes BENCH.<n>) over the fields of the demo catalogue,
one in ten named after a real one ("Đăng ký khai sinh …") so a search finds a few dozen.
`--dossiers N`: dossiers (codes BENCH-<7 digits>) spread over the ward committees, Lê Chân getting
one in twenty, in the statuses a year of work leaves. On PostgreSQL one INSERT … SELECT over
generate_series per million rows (about a minute); elsewhere bulk_create in batches.
The desk's queue is timed signed in as `bench-officer-lechan` (`--officers`, an officer of Lê Chân
with a second factor): `python -m benchmarks.pages /can-bo/dich-vu-cong/ --user bench-officer-lechan`.
"""

import datetime as dt
import random

from django.db import connection, transaction
from django.utils import timezone

from benchmarks.fillers import BATCH, filler, in_batches
from smarthp.text import search_key

PROCEDURE_PREFIX = "BENCH."
DOSSIER_PREFIX = "BENCH-"
NAMES = [
    "Đăng ký khai sinh", "Chứng thực bản sao từ bản chính", "Đăng ký thành lập hộ kinh doanh",
    "Cấp bản sao trích lục hộ tịch", "Đăng ký kết hôn", "Thay đổi, cải chính thông tin hộ tịch",
    "Cấp Giấy phép bán lẻ sản phẩm rượu", "Hỗ trợ chi phí mai táng", "Chuyển trường học sinh",
    "Đăng ký kế hoạch bảo vệ môi trường",
]  # fmt: skip
# (status, share in 100): most dossiers are finished; a few wait at each step.
STATUSES = [("returned", 70), ("done", 4), ("processing", 8), ("received", 4), ("new", 5), ("supplement", 3),
            ("refused", 3), ("withdrawn", 2), ("stopped", 1)]  # fmt: skip


def reset_procedures(*, log):
    from publicservices.models import Procedure

    reset_dossiers(log=log)
    deleted, _ = Procedure.objects.filter(code__startswith=PROCEDURE_PREFIX).delete()
    log(f"procedures: {deleted} rows deleted")


@filler("procedures", order=60, help="administrative procedures (publicservices)", reset=reset_procedures)
def fill_procedures(count, *, log):
    from publicservices.demo import load_catalogue
    from publicservices.models import Procedure, ProcedureDocument, ProcedureField

    load_catalogue()  # the fields, and the demo's 38 procedures
    fields = list(ProcedureField.objects.all())
    existing = Procedure.objects.filter(code__startswith=PROCEDURE_PREFIX).count()
    rng = random.Random(existing)
    created = 0
    rows = []
    for number in range(existing, count):
        base = NAMES[number % len(NAMES)] if number % 10 == 0 else f"Thủ tục mẫu số {number}"
        procedure = Procedure(
            code=f"{PROCEDURE_PREFIX}{number:05d}",
            name=f"{base} (mẫu {number})",
            field=rng.choice(fields),
            level="ward",
            online=True,
            online_level=rng.choice(["full", "partial"]),
            processing_days=rng.choice([1, 3, 5, 10, 15]),
            is_sample=True,
        )
        procedure.search_key = search_key(f"{procedure.name} {procedure.code}")
        rows.append(procedure)
    for batch in in_batches(rows):
        with transaction.atomic():
            made = Procedure.objects.bulk_create(batch)
            ProcedureDocument.objects.bulk_create(
                ProcedureDocument(procedure=p, position=i, name=f"Giấy tờ {i + 1}", required=i == 0)
                for p in made
                for i in range(2)
            )
        created += len(batch)
        log(f"procedures: {existing + created}/{count}")
    return created


def reset_dossiers(*, log):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM publicservices_dossier WHERE code LIKE %s", [f"{DOSSIER_PREFIX}%"])
        log(f"dossiers: {cursor.rowcount} rows deleted")


def _status_case(column="n"):
    parts, upper = [], 0
    for status, share in STATUSES:
        upper += share
        parts.append(f"WHEN mod({column}, 100) < {upper} THEN '{status}'")
    return "CASE " + " ".join(parts) + " END"


@filler("dossiers", order=65, help="dossiers (publicservices), spread over the ward committees", reset=reset_dossiers)
def fill_dossiers(count, *, log):
    from government.models import Agency, AgencyKind
    from publicservices.models import Dossier, Procedure

    existing = Dossier.objects.filter(code__startswith=DOSSIER_PREFIX).count()
    if existing >= count:
        return 0
    procedures = list(Procedure.objects.order_by("pk").values_list("pk", flat=True))
    agencies = list(Agency.objects.filter(kind=AgencyKind.WARD_COMMITTEE).order_by("pk").values_list("pk", flat=True))
    lechan = Agency.objects.filter(slug="ubnd-11383").values_list("pk", flat=True).first() or agencies[0]
    if not procedures or not agencies:
        raise SystemExit("dossiers need procedures and agencies: add --procedures N --agencies")
    now = timezone.now()
    if connection.vendor == "postgresql":
        return _fill_with_sql(existing, count, procedures, agencies, lechan, now, log)
    rng = random.Random(existing)
    statuses = [status for status, share in STATUSES for _ in range(share)]
    rows = []
    for n in range(existing, count):
        submitted = now - dt.timedelta(minutes=(count - n) % 525_600)
        status = statuses[n % 100]
        received = submitted + dt.timedelta(hours=2) if status not in ("new", "refused") else None
        rows.append(
            Dossier(
                code=f"{DOSSIER_PREFIX}{n:07d}",
                procedure_id=procedures[n % len(procedures)],
                agency_id=lechan if n % 20 == 0 else agencies[n % len(agencies)],
                applicant_name="Người nộp thử",
                applicant_phone="+84980000000",
                status=status,
                submitted_at=submitted,
                received_at=received,
                due_at=received + dt.timedelta(days=rng.choice([3, 5, 10])) if received else None,
                finished_at=received + dt.timedelta(days=2) if status in ("done", "returned") else None,
                secret=f"bench{n}",
            )
        )
    created = 0
    for batch in in_batches(rows, BATCH):
        Dossier.objects.bulk_create(batch)
        created += len(batch)
    return created


def _fill_with_sql(existing, count, procedures, agencies, lechan, now, log):
    procedure_array = "ARRAY[" + ",".join(map(str, procedures)) + "]"
    agency_array = "ARRAY[" + ",".join(map(str, agencies)) + "]"
    status = _status_case()
    created = 0
    step = 250_000
    for start in range(existing, count, step):
        stop = min(start + step, count) - 1
        due = "received + (3 + mod(n, 8)) * interval '1 day'"
        sql = f"""
        INSERT INTO publicservices_dossier (
            code, procedure_id, agency_id, applicant_name, applicant_phone, applicant_address,
            applicant_id_number, note, status, submitted_at, received_at, due_at, original_due_at,
            finished_at, holder_unit, result_note, apologised, secret)
        SELECT code, procedure_id, agency_id, 'Người nộp thử', '+84980000000', '', '', '', status,
               submitted, received, {due}, {due},
               CASE WHEN status IN ('done', 'returned') THEN received + (1 + mod(n, 10)) * interval '1 day' END,
               '', '', false, 'bench' || n
        FROM (
            SELECT n, %(prefix)s || lpad(n::text, 7, '0') AS code,
                   ({procedure_array})[1 + mod(n, {len(procedures)})] AS procedure_id,
                   CASE WHEN mod(n, 20) = 0 THEN {lechan} ELSE ({agency_array})[1 + mod(n, {len(agencies)})] END
                       AS agency_id,
                   {status} AS status,
                   %(now)s - mod(%(count)s - n, 525600) * interval '1 minute' AS submitted
            FROM generate_series(%(start)s, %(stop)s) AS n
        ) AS g
        CROSS JOIN LATERAL (
            SELECT CASE WHEN g.status IN ('new', 'refused') THEN NULL ELSE g.submitted + interval '2 hours' END
                AS received
        ) AS r
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, {"prefix": DOSSIER_PREFIX, "now": now, "count": count, "start": start, "stop": stop})
            created += cursor.rowcount
        log(f"dossiers: {existing + created}/{count}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE publicservices_dossier")
    return created
