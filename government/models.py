"""Shared domain: administrative units, residential groups, agencies, officer roles, calendar."""

import secrets

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from smarthp.text import search_key


class UnitKind(models.TextChoices):
    WARD = "phuong", _("Phường")
    COMMUNE = "xa", _("Xã")
    SPECIAL_ZONE = "dac_khu", _("Đặc khu")


class AdministrativeUnit(models.Model):
    """One of the city's 114 units since 1 July 2025, keyed on its statistics-office code.

    Names are not unique once diacritics go (Xã Cẩm Giang 10888, Xã Cẩm Giàng 10903), so
    nothing keys on them.
    """

    code = models.CharField(_("mã"), max_length=5, primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=8, choices=UnitKind.choices)
    search_key = models.CharField(max_length=100, editable=False, db_index=True)
    # GeoJSON geometry (Polygon or MultiPolygon) as text; shapely reads it, no GDAL needed.
    boundary = models.JSONField(_("ranh giới"), null=True, blank=True)
    seat_lat = models.FloatField(_("vĩ độ trụ sở"), null=True, blank=True)
    seat_lng = models.FloatField(_("kinh độ trụ sở"), null=True, blank=True)

    class Meta:
        ordering = ["name", "code"]
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.name)
        super().save(*args, **kwargs)


class ResidentialGroup(models.Model):
    """Tổ dân phố (in a ward) or thôn (in a commune); kept by ward staff, imported from CSV."""

    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="residential_groups", verbose_name=_("đơn vị")
    )
    name = models.CharField(_("tên"), max_length=100)
    search_key = models.CharField(max_length=100, editable=False, db_index=True)
    households = models.PositiveIntegerField(_("số hộ"), null=True, blank=True)
    smartphone_households = models.PositiveIntegerField(_("số hộ có điện thoại thông minh"), null=True, blank=True)
    # The group leader's survey the two figures come from, and who keeps the group (the campaign's pages).
    surveyed_on = models.DateField(_("ngày khảo sát"), null=True, blank=True)
    leader_name = models.CharField(_("tổ trưởng"), max_length=150, blank=True)

    class Meta:
        ordering = ["unit", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="unique_group_name_per_unit")]
        verbose_name = _("tổ dân phố / thôn")
        verbose_name_plural = _("tổ dân phố / thôn")

    def __str__(self):
        return f"{self.name}, {self.unit.name}"

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.name)
        super().save(*args, **kwargs)


class AgencyKind(models.TextChoices):
    DEPARTMENT = "department", _("Sở, ban, ngành")
    WARD_COMMITTEE = "ward_committee", _("UBND phường, xã, đặc khu")
    POLICE = "police", _("Công an")
    UTILITY = "utility", _("Doanh nghiệp dịch vụ (điện, nước)")
    HOTLINE = "hotline", _("Trung tâm 1022")


class Agency(models.Model):
    """An agency that handles reports and dossiers. `unit` is empty for city-wide agencies."""

    name = models.CharField(_("tên"), max_length=200)
    slug = models.SlugField(_("mã"), max_length=60, unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=AgencyKind.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("địa bàn"),
    )
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    # Some agencies publish an officer's answer only after a leader approves it.
    answers_need_approval = models.BooleanField(_("trả lời phải được lãnh đạo duyệt"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    OFFICER = "officer", _("Cán bộ xử lý")
    LEADER = "leader", _("Lãnh đạo")
    OPERATOR = "operator", _("Điều phối viên 1022")
    WARD_STAFF = "ward_staff", _("Cán bộ phường, xã")
    EDITOR = "editor", _("Biên tập viên")
    # City-level: the install campaign's figures across all 114 units (figures, never names).
    CITY_STAFF = "city_staff", _("Cán bộ thành phố")


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, agency__is_active=True)


class Membership(models.Model):
    """An officer's place in an agency, with one role. A person may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("người dùng")
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("cơ quan"))
    role = models.CharField(_("vai trò"), max_length=12, choices=Role.choices)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="unique_membership_role")]
        verbose_name = _("thành viên cơ quan")
        verbose_name_plural = _("thành viên cơ quan")

    def __str__(self):
        return f"{self.user} – {self.agency} ({self.get_role_display()})"


class DayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc bù")


class CalendarDay(models.Model):
    """A day the government moved: an extra day off, or a weekend day worked to make up for one.

    Public holidays themselves (lunar ones included) come from the `holidays` package; only the
    yearly decisions around them (Tết swaps) are kept here by administrators.
    """

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=12, choices=DayKind.choices)
    name = models.CharField(_("lý do"), max_length=150, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày điều chỉnh lịch làm việc")
        verbose_name_plural = _("ngày điều chỉnh lịch làm việc")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} – {self.get_kind_display()}"


class GeoDataVersion(models.Model):
    """A number that changes, in the same transaction, whenever a unit's boundary or seat may have changed.

    Every process keeps its own point-in-ward index (government.geo) and compares its number with
    this one row before answering, so an import in one process reaches all the others without a
    shared cache. One row, id 1; a missing row reads as 0. The new number is random rather than
    the next one, so a change rolled back (or a database flushed, as tests do) never comes back
    under a number a process has already seen. Saves through the ORM bump it (government.signals);
    bulk_create() and QuerySet.update() of units must call bump() themselves.
    """

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phiên bản dữ liệu bản đồ")
        verbose_name_plural = _("phiên bản dữ liệu bản đồ")

    def __str__(self):
        return str(self.number)

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=1).values_list("number", flat=True).first() or 0

    @classmethod
    def bump(cls):
        # geo reads this row at most once a second: this process must see its own change at once.
        from .geo import forget_version  # geo imports models

        forget_version()
        number = secrets.randbits(62) + 1
        if cls.objects.filter(pk=1).update(number=number):
            return
        try:
            with transaction.atomic():
                cls.objects.create(pk=1, number=number)
        except IntegrityError:  # another process created the row first
            cls.objects.filter(pk=1).update(number=number)
