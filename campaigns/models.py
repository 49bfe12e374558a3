"""The ward's install campaign (chiến dịch cài đặt ứng dụng Smart Hải Phòng).

Nothing here stores a figure that registrations already tell: households covered, rates and
counts are computed (campaigns.figures). What is kept is what only people know: the campaign and
its deadlines, the workplaces on a ward with their headcounts, the household roster a ward may
import, the weekly snapshots the chart draws, the monthly report a unit confirms, the exports made.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from smarthp.text import search_key


class Audience(models.TextChoices):
    RESIDENTS = "residents", _("Hộ gia đình")
    STAFF = "staff", _("Cán bộ, công chức, viên chức, người lao động")
    PARTY = "party", _("Đảng viên")
    STUDENTS = "students", _("Học sinh, sinh viên")


class Campaign(models.Model):
    """One drive (several over the years). `units` empty: every unit of the city."""

    name = models.CharField(_("tên chiến dịch"), max_length=200)
    target_percent = models.PositiveSmallIntegerField(_("chỉ tiêu (% hộ có điện thoại thông minh)"), default=100)
    starts_on = models.DateField(_("ngày bắt đầu"))
    units = models.ManyToManyField(
        "government.AdministrativeUnit", blank=True, related_name="campaigns", verbose_name=_("đơn vị áp dụng")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("chiến dịch cài đặt ứng dụng")
        verbose_name_plural = _("chiến dịch cài đặt ứng dụng")

    def __str__(self):
        return self.name


class Deadline(models.Model):
    """When an audience must be registered by. `unit` set: that unit's own date (Bạch Long Vĩ asks its
    staff by 30 June and its villages by 31 August), otherwise the campaign's date for everyone."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deadlines")
    audience = models.CharField(_("đối tượng"), max_length=12, choices=Audience.choices)
    unit = models.ForeignKey(
        "government.AdministrativeUnit", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("đơn vị")
    )
    due_on = models.DateField(_("hạn hoàn thành"))

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "audience", "unit"], name="campaign_deadline_unique"),
            models.UniqueConstraint(
                fields=["campaign", "audience"], condition=models.Q(unit__isnull=True), name="campaign_deadline_city"
            ),
        ]
        verbose_name = _("hạn hoàn thành")
        verbose_name_plural = _("hạn hoàn thành")

    def __str__(self):
        return f"{self.get_audience_display()}: {self.due_on:%d/%m/%Y}"


class WorkplaceKind(models.TextChoices):
    AGENCY = "agency", _("Cơ quan, đơn vị")
    POLICE = "police", _("Công an")
    SCHOOL = "school", _("Trường học")
    COMPANY = "company", _("Doanh nghiệp")
    ORGANISATION = "organisation", _("Tổ chức")


class Workplace(models.Model):
    """An agency, school or company on a ward whose staff must register with their workplace.

    Staff are matched by the workplace name in their profile ("Cập nhật thông tin cá nhân"),
    folded like a search key: `name_key` here against citizens.Profile.workplace_key.
    """

    unit = models.ForeignKey(
        "government.AdministrativeUnit", on_delete=models.CASCADE, related_name="workplaces", verbose_name=_("đơn vị")
    )
    name = models.CharField(_("tên cơ quan, đơn vị"), max_length=200)
    kind = models.CharField(_("loại"), max_length=12, choices=WorkplaceKind.choices, default=WorkplaceKind.AGENCY)
    headcount = models.PositiveIntegerField(_("tổng số cán bộ, nhân viên"), null=True, blank=True)
    name_key = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        ordering = ["unit", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name_key"], name="workplace_unique_per_unit")]
        verbose_name = _("cơ quan, trường học, doanh nghiệp")
        verbose_name_plural = _("cơ quan, trường học, doanh nghiệp")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = search_key(self.name)[:200]
        super().save(*args, **kwargs)


class Household(models.Model):
    """One household of a ward's roster (imported): covered when any of its phones is a verified account."""

    group = models.ForeignKey("government.ResidentialGroup", on_delete=models.CASCADE, related_name="households_roster")
    code = models.CharField(_("mã hộ"), max_length=40)
    head_name = models.CharField(_("chủ hộ"), max_length=150, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "code"], name="household_code_per_group")]
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")

    def __str__(self):
        return self.code


class HouseholdPhone(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="phones")
    phone = models.CharField(max_length=16, db_index=True)  # E.164, as citizens.User.phone

    class Meta:
        constraints = [models.UniqueConstraint(fields=["household", "phone"], name="household_phone_unique")]

    def __str__(self):
        return self.phone


class Snapshot(models.Model):
    """A unit's (group None) or group's figures as they stood at the end of a week: the chart's points."""

    unit = models.ForeignKey("government.AdministrativeUnit", on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("government.ResidentialGroup", on_delete=models.CASCADE, null=True, related_name="+")
    week = models.DateField()  # the Monday the week starts
    registered = models.PositiveIntegerField(default=0)
    covered = models.PositiveIntegerField(default=0)
    smartphone_households = models.PositiveIntegerField(null=True)

    class Meta:
        ordering = ["week"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "group", "week"], name="snapshot_unique"),
            models.UniqueConstraint(
                fields=["unit", "week"], condition=models.Q(group__isnull=True), name="snapshot_unit_unique"
            ),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.week}"


class MonthlyReport(models.Model):
    """Phụ lục 01 of one unit for one month: the reasons the unit entered, and, once confirmed, the
    figures frozen as they were sent (`rows`)."""

    unit = models.ForeignKey("government.AdministrativeUnit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the 1st of the month reported on
    reasons = models.JSONField(default=dict, blank=True)  # {row key: {"common": [...], "text": "..."}}
    rows = models.JSONField(default=list, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="monthly_report_unique")]
        verbose_name = _("báo cáo tháng (Phụ lục 01)")
        verbose_name_plural = _("báo cáo tháng (Phụ lục 01)")

    def __str__(self):
        return f"{self.unit_id} {self.month:%m/%Y}"


class ExportKind(models.TextChoices):
    GROUP_LIST = "group_list", _("Danh sách cài đặt của tổ dân phố")
    WORKPLACE_LIST = "workplace_list", _("Danh sách cài đặt của cơ quan, đơn vị")
    WARD_LIST = "ward_list", _("Danh sách cài đặt của cả phường, xã")
    SUMMARY = "summary", _("Báo cáo tổng hợp")
    MONTHLY = "monthly", _("Báo cáo tháng (Phụ lục 01)")


class ExportLog(models.Model):
    """Who downloaded which list, when (every list with names and phones; shown to ward leaders)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    unit = models.ForeignKey("government.AdministrativeUnit", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ExportKind.choices)
    label = models.CharField(max_length=255)
    fmt = models.CharField(max_length=4)
    named = models.PositiveIntegerField(default=0)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("lượt tải danh sách")
        verbose_name_plural = _("lượt tải danh sách")

    def __str__(self):
        return f"{self.label} ({self.at:%d/%m/%Y %H:%M})"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi")


class ExportJob(models.Model):
    """A large list built by a worker. The file is private: served only to the person who asked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("government.AdministrativeUnit", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ExportKind.choices)
    target_id = models.PositiveIntegerField(null=True)
    fmt = models.CharField(max_length=4)
    label = models.CharField(max_length=255)
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.label

    @property
    def percent(self):
        return min(100, round(100 * self.done / self.total)) if self.total else (100 if self.status == "done" else 0)


class Tally(models.Model):
    """The counts of one group (or of the unit's residents who named no group, or of one workplace)
    as registrations left them: kept by campaigns.tallies on every registration, profile change and
    sign-in, so that a page reads 60 rows instead of counting 60,000 profiles. `key`: "g<id>",
    "w<id>", "none", or "total" (the unit's groups summed: the city page reads 114 rows)."""

    unit = models.ForeignKey("government.AdministrativeUnit", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=24)
    group = models.ForeignKey("government.ResidentialGroup", on_delete=models.CASCADE, null=True, related_name="+")
    workplace = models.ForeignKey(Workplace, on_delete=models.CASCADE, null=True, related_name="+")
    registered = models.PositiveIntegerField(default=0)
    homes = models.PositiveIntegerField(default=0)
    active = models.PositiveIntegerField(default=0)
    roster = models.PositiveIntegerField(null=True)  # households on the imported roster, None without one
    covered = models.PositiveIntegerField(default=0)  # homes, or the roster's households reached
    # The unit's "total" row only (campaigns.tallies.refresh_total): its groups and their surveys'
    # households with a smartphone, beside the other columns summed over its groups' rows.
    groups = models.PositiveIntegerField(null=True)
    smartphone_households = models.PositiveIntegerField(null=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "key"], name="tally_unique")]

    def __str__(self):
        return f"{self.unit_id} {self.key}"
