"""Every write of the install campaign: the group survey, workplaces, the household roster, exports
(logged), the monthly report and its reminder, the weekly snapshots. Views, tasks and commands call
these; keyword arguments throughout."""

import contextlib
import csv
import datetime as dt
import io
import logging
import os
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens.phones import normalize_phone
from government.models import AdministrativeUnit, Agency, AgencyKind, Membership, ResidentialGroup, Role
from government.services import DataImportError
from smarthp.sweeping import publish_on_commit
from smarthp.text import search_key

from . import exports, figures, tallies
from .models import (
    ExportJob,
    ExportKind,
    ExportLog,
    Household,
    HouseholdPhone,
    JobStatus,
    MonthlyReport,
    Snapshot,
    Workplace,
)

log = logging.getLogger(__name__)

MAX_COUNT = 1_000_000
COMMON_REASONS = [
    "Không có điện thoại thông minh",
    "Người cao tuổi, chưa biết sử dụng",
    "Đi làm ăn xa, vắng nhà",
    "Chưa có tài khoản định danh điện tử (VNeID)",
    "Điện thoại không cài được ứng dụng",
    "Chưa có nhu cầu",
]


# --- Group survey -----------------------------------------------------------------------------


def update_group_survey(*, group_id, unit, households, smartphone_households, surveyed_on, leader_name):
    """Save the group leader's survey of one group of `unit`. Raises ValidationError (Vietnamese)."""
    if households is not None and smartphone_households is not None and smartphone_households > households:
        raise ValidationError(_("Số hộ có điện thoại thông minh không thể lớn hơn tổng số hộ."))
    with transaction.atomic():
        group = ResidentialGroup.objects.select_for_update().filter(pk=group_id, unit=unit).first()
        if group is None:
            raise ValidationError(_("Tổ dân phố này không còn trong danh sách của phường."))
        group.households = households
        group.smartphone_households = smartphone_households
        group.surveyed_on = surveyed_on
        group.leader_name = (leader_name or "").strip()
        group.save(update_fields=["households", "smartphone_households", "surveyed_on", "leader_name", "search_key"])
        transaction.on_commit(lambda: figures.forget_ward(unit.pk))
    return group


def import_groups(*, unit, file):
    """The government import of groups (line-numbered, all-or-nothing), then fresh figures."""
    from government.services import import_residential_groups

    result = import_residential_groups(unit, file)
    figures.forget_ward(unit.pk)
    return result


# --- Workplaces -------------------------------------------------------------------------------


def save_workplace(*, unit, name, kind, headcount, workplace_id=None):
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Hãy nhập tên cơ quan, đơn vị."))
    try:
        with transaction.atomic():
            if workplace_id:
                place = Workplace.objects.select_for_update().filter(pk=workplace_id, unit=unit).first()
                if place is None:
                    raise ValidationError(_("Cơ quan này không còn trong danh sách của phường."))
            else:
                place = Workplace(unit=unit)
            place.name, place.kind, place.headcount = name, kind, headcount
            place.save()
            tallies.refresh_workplaces([(place.pk, unit.pk, place.name_key)])
    except IntegrityError:
        raise ValidationError(_("Phường đã có cơ quan, đơn vị mang tên này.")) from None
    figures.forget_ward(unit.pk)
    return place


def delete_workplace(*, unit, workplace_id):
    Workplace.objects.filter(pk=workplace_id, unit=unit).delete()
    figures.forget_ward(unit.pk)


# --- Household roster -------------------------------------------------------------------------

_ROSTER_COLUMNS = {
    "group": {"to dan pho", "to", "thon", "group"},
    "code": {"ma ho", "so ho khau", "ho", "household", "ma"},
    "head": {"chu ho", "ho ten chu ho", "head"},
    "address": {"dia chi", "address", "so nha"},
    "phones": {"so dien thoai", "dien thoai", "phones", "phone"},
}
_PHONE_SPLIT = re.compile(r"[;,/\n]+")


def _read(file):
    data = file.read() if hasattr(file, "read") else Path(file).read_bytes()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DataImportError(
                [(1, _("tệp không phải văn bản UTF-8; hãy lưu lại tệp với bảng mã UTF-8."))]
            ) from None
    return data.lstrip("\ufeff")


def import_roster(*, unit, file):
    """Replace the household roster of the groups named in a CSV file of `unit`.

    Columns: Tổ dân phố, Mã hộ, Chủ hộ, Địa chỉ, Số điện thoại (several separated by ";"). Every
    problem is reported with its line; a file with any problem writes nothing. Returns
    {"households": n, "phones": m, "groups": k}.
    """
    text = _read(file)
    dialect = csv.excel
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        raise DataImportError([(1, _("tệp trống."))])
    positions, errors = {}, []
    for index, name in enumerate(header):
        key = search_key(name.replace("_", " "))
        column = next((c for c, names in _ROSTER_COLUMNS.items() if key in names), None)
        if column:
            positions[column] = index
        elif key:
            errors.append((1, _("cột “%(name)s” không được hỗ trợ.") % {"name": name.strip()}))
    for column, label in (("group", "Tổ dân phố"), ("code", "Mã hộ"), ("phones", "Số điện thoại")):
        if column not in positions:
            errors.append((1, _("thiếu cột “%(name)s”.") % {"name": label}))
    if errors:
        raise DataImportError(errors)
    groups = {g.search_key: g for g in ResidentialGroup.objects.filter(unit=unit)}
    rows, seen = [], {}
    for line, row in enumerate(reader, 2):
        if not any(cell.strip() for cell in row):
            continue

        def value(column, row=row):
            index = positions.get(column)
            return " ".join(row[index].split()) if index is not None and index < len(row) else ""

        group = groups.get(search_key(value("group")))
        if group is None:
            errors.append((line, _("không có tổ dân phố “%(name)s” trong phường.") % {"name": value("group")}))
            continue
        code = value("code")
        if not code:
            errors.append((line, _("thiếu mã hộ.")))
            continue
        if (group.pk, code) in seen:
            errors.append(
                (line, _("hộ “%(code)s” trùng với dòng %(line)s.") % {"code": code, "line": seen[group.pk, code]})
            )
            continue
        seen[group.pk, code] = line
        phones = []
        for raw in _PHONE_SPLIT.split(value("phones")):
            if not raw.strip():
                continue
            phone = normalize_phone(raw)
            if phone is None:
                errors.append((line, _("số điện thoại “%(phone)s” không hợp lệ.") % {"phone": raw.strip()}))
            elif phone not in phones:
                phones.append(phone)
        rows.append((group, code, value("head")[:150], value("address")[:255], phones))
    if errors:
        raise DataImportError(errors)
    with transaction.atomic():
        touched = {group.pk for group, *_ in rows}
        Household.objects.filter(group_id__in=touched).delete()
        households = Household.objects.bulk_create(
            [
                Household(group=group, code=code, head_name=head, address=address)
                for group, code, head, address, _p in rows
            ]
        )
        phones = [
            HouseholdPhone(household=household, phone=phone)
            for household, (*_, numbers) in zip(households, rows, strict=True)
            for phone in numbers
        ]
        HouseholdPhone.objects.bulk_create(phones)
        tallies.refresh_groups(unit.pk, touched)
    figures.forget_ward(unit.pk)
    return {"households": len(households), "phones": len(phones), "groups": len(touched)}


# --- Exports ----------------------------------------------------------------------------------


def export_root():
    return Path(getattr(settings, "CAMPAIGN_EXPORT_ROOT", Path(settings.MEDIA_ROOT).parent / "private-exports"))


def sync_rows():
    """Lists up to this many rows are built in the request; longer ones by a worker."""
    return getattr(settings, "CAMPAIGN_EXPORT_SYNC_ROWS", 3000)


def log_export(*, user, unit, kind, label, fmt, named):
    return ExportLog.objects.create(user=user, unit=unit, kind=kind, label=label[:255], fmt=fmt, named=named)


def request_export_job(*, user, unit, kind, target_id, fmt, label, total):
    """Queue a large list for a worker (logged now: asking for it is the export)."""
    with transaction.atomic():
        job = ExportJob.objects.create(
            user=user, unit=unit, kind=kind, target_id=target_id, fmt=fmt, label=label[:255], total=total
        )
        log_export(user=user, unit=unit, kind=kind, label=label, fmt=fmt, named=total)
        from .tasks import run_export_job_task

        publish_on_commit(run_export_job_task, job.pk)
    return job


def spec_for(*, unit, kind, target_id):
    """The ListSpec of a group's, a workplace's or the whole unit's list; None when it is not this unit's."""
    if kind == ExportKind.WARD_LIST:
        return exports.ListSpec(unit.pk, unit.name, heading=unit.name, whole_ward=True)
    if kind == ExportKind.GROUP_LIST:
        if target_id is None:
            return exports.ListSpec(
                unit.pk, unit.name, None, None, _("Chưa ghi tổ dân phố – %(unit)s") % {"unit": unit.name}
            )
        group = ResidentialGroup.objects.filter(pk=target_id, unit=unit).values("pk", "name").first()
        if group is None:
            return None
        return exports.ListSpec(
            unit.pk, unit.name, group["pk"], None, exports.heading_for_group(group["name"], unit.name)
        )
    place = Workplace.objects.filter(pk=target_id, unit=unit).values("name", "name_key").first()
    if place is None:
        return None
    return exports.ListSpec(
        unit.pk, unit.name, None, place["name_key"], exports.heading_for_group(place["name"], unit.name)
    )


def run_export_job(*, job_id):
    """Build a queued list into its private file. Idempotent: a job already done is left alone;
    claimed with a conditional UPDATE so two workers never build it twice."""
    claimed = ExportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING)
    if not claimed:
        return
    job = ExportJob.objects.select_related("unit").get(pk=job_id)
    try:
        spec = spec_for(unit=job.unit, kind=job.kind, target_id=job.target_id)
        if spec is None:
            raise ValueError("list gone")
        root = export_root()
        root.mkdir(parents=True, exist_ok=True)
        name = f"{uuid.uuid4().hex}.{job.fmt}"

        def progress(done):
            ExportJob.objects.filter(pk=job_id).update(done=done)

        if job.fmt == "xlsx":
            exports.write_list_xlsx(root / name, spec, progress=progress)
        else:
            with open(root / name, "w", encoding="utf-8", newline="") as handle:
                for number, line in enumerate(exports.list_csv_lines(spec)):
                    handle.write(line)
                    if number % exports.CHUNK == 0:
                        progress(number)
        ExportJob.objects.filter(pk=job_id).update(
            status=JobStatus.DONE, file_name=name, finished_at=timezone.now(), done=F("total")
        )
    except Exception:
        log.exception("campaign export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(status=JobStatus.FAILED, finished_at=timezone.now())


def export_file(job):
    return export_root() / job.file_name


def purge_old_exports(*, older_than=dt.timedelta(days=2)):
    """Exports hold names and phones: their files go after two days."""
    cutoff = timezone.now() - older_than
    for job in ExportJob.objects.filter(created_at__lt=cutoff).exclude(file_name=""):
        with contextlib.suppress(FileNotFoundError):
            os.remove(export_file(job))
    ExportJob.objects.filter(created_at__lt=cutoff).delete()


# --- Monthly report (Phụ lục 01) ---------------------------------------------------------------


def save_monthly_reasons(*, unit, month, reasons):
    """Keep the reasons the unit entered ({row key: {"common": [...], "text": str}}). A confirmed
    report is not changed: ValidationError."""
    with transaction.atomic():
        report, _created = MonthlyReport.objects.select_for_update().get_or_create(unit=unit, month=month)
        if report.confirmed_at:
            raise ValidationError(_("Báo cáo tháng này đã được xác nhận, không sửa được nữa."))
        report.reasons = reasons
        report.save(update_fields=["reasons", "updated_at"])
    return report


def confirm_monthly_report(*, unit, month, user):
    """Freeze the month's rows as sent. The second officer to confirm gets a ValidationError."""
    with transaction.atomic():
        report, _created = MonthlyReport.objects.select_for_update().get_or_create(unit=unit, month=month)
        if report.confirmed_at:
            raise ValidationError(_("Báo cáo tháng này đã được xác nhận trước đó."))
        live = figures.ward_figures(unit, use_cache=False)
        report.rows = exports.monthly_rows(live, report.reasons)
        report.confirmed_at = timezone.now()
        report.confirmed_by = user
        report.save()
    return report


def report_month(today=None):
    """The month a report due on the 1st is about: the one ending (the day before), else the current."""
    today = today or timezone.localdate()
    if today.day == 1:
        today -= dt.timedelta(days=1)
    return exports.month_of(today)


def send_monthly_reminders(*, today=None):
    """The day before the 1st: remind the ward staff of every unit in a campaign that has not
    confirmed this month's report. Once per (person, unit, month). Returns how many units."""
    from notices.services import notify

    today = today or timezone.localdate()
    if (today + dt.timedelta(days=1)).day != 1:
        return 0
    month = exports.month_of(today)
    confirmed = set(
        MonthlyReport.objects.filter(month=month, confirmed_at__isnull=False).values_list("unit_id", flat=True)
    )
    units = [
        code
        for code in AdministrativeUnit.objects.values_list("code", flat=True)
        if code not in confirmed and figures.campaign_for(code, today)
    ]
    staff = {}
    for user_id, unit_id in (
        Membership.objects.active()
        .filter(role=Role.WARD_STAFF, agency__kind=AgencyKind.WARD_COMMITTEE, agency__unit_id__in=units)
        .values_list("user_id", "agency__unit_id")
    ):
        staff.setdefault(unit_id, []).append(user_id)
    from django.urls import reverse

    reminded = 0
    for unit_id, user_ids in staff.items():
        with transaction.atomic():
            report, _created = MonthlyReport.objects.get_or_create(unit_id=unit_id, month=month)
            notify(
                user_ids=user_ids,
                text=_(
                    "Nhắc việc: báo cáo tháng %(month)s về cài đặt ứng dụng Smart Hải Phòng (Phụ lục 01) cần xác nhận "
                    "trước 17:00 ngày mai."
                )
                % {"month": f"{month:%m/%Y}"},
                kind="campaign",
                url=reverse("campaigns_officer:monthly", args=[unit_id]),
                target=report,
                source=report,
            )
        reminded += 1
    return reminded


# --- Weekly snapshots --------------------------------------------------------------------------


def take_snapshots(*, day=None):
    """Record every unit's (and group's) figures for the week of `day`; running it again in the
    same week updates that week's row."""
    week = figures.week_start(day or timezone.localdate())
    units = list(
        AdministrativeUnit.objects.filter(residential_groups__isnull=False).distinct().values_list("code", flat=True)
    )
    for code in units:
        unit = AdministrativeUnit(code=code, name="")
        live = figures.compute_ward(unit)
        with transaction.atomic():
            Snapshot.objects.update_or_create(
                unit_id=code,
                group=None,
                week=week,
                defaults={
                    "registered": live.totals["registered"],
                    "covered": live.totals["covered"],
                    "smartphone_households": live.totals["smartphone_households"] or None,
                },
            )
            for row in live.groups:
                Snapshot.objects.update_or_create(
                    unit_id=code,
                    group_id=row.pk,
                    week=week,
                    defaults={
                        "registered": row.registered,
                        "covered": row.covered,
                        "smartphone_households": row.smartphone_households,
                    },
                )
    return len(units)


def ward_committee(unit):
    return Agency.objects.filter(kind=AgencyKind.WARD_COMMITTEE, unit=unit).first()
