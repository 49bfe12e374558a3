"""Directory of places on the map: health, schools, offices, bus stations, fuel, ATM, wifi, tourism.

Kinds follow OpenStreetMap's tags (utilities.kinds maps tags to kinds), so the city can import an
OSM export as it is. A place's ward is computed from its point (government.geo.unit_at) whenever
the point is written; a point outside the city is refused by the services.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smarthp.text import search_key

from . import hours


class PlaceKind(models.TextChoices):
    # The OSM tag each kind comes from is in utilities.kinds.
    HOSPITAL = "hospital", _("Bệnh viện")
    CLINIC = "clinic", _("Phòng khám, trạm y tế")
    PHARMACY = "pharmacy", _("Nhà thuốc")
    KINDERGARTEN = "kindergarten", _("Trường mầm non")
    SCHOOL = "school", _("Trường học")
    UNIVERSITY = "university", _("Trường đại học, cao đẳng")
    GOVERNMENT = "government", _("Cơ quan nhà nước")
    POLICE = "police", _("Công an")
    BUS_STATION = "bus_station", _("Bến xe")
    BUS_STOP = "bus_stop", _("Điểm dừng xe buýt")
    FUEL = "fuel", _("Cây xăng")
    ATM = "atm", _("ATM")
    BANK = "bank", _("Ngân hàng")
    WIFI = "wifi", _("Wifi công cộng")
    TOURISM = "tourism", _("Du lịch, tham quan")


class PlaceSource(models.TextChoices):
    OSM = "osm", _("OpenStreetMap (GeoJSON)")
    CSV = "csv", _("Tệp CSV")
    EDITOR = "editor", _("Biên tập viên")
    AGENCY = "agency", _("Danh sách cơ quan")


class PlaceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Place(models.Model):
    """One place of the directory. `source_id` (an OSM id such as "node/123", a CSV row's id, an
    agency's "agency/<slug>") makes imports idempotent: importing it again updates the same row."""

    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=20, choices=PlaceKind.choices)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    unit = models.ForeignKey(
        "government.AdministrativeUnit",
        on_delete=models.PROTECT,
        related_name="places",
        verbose_name=_("phường, xã"),
    )
    lat = models.FloatField(_("vĩ độ"))
    lng = models.FloatField(_("kinh độ"))
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    opening_hours = models.CharField(
        _("giờ mở cửa"),
        max_length=255,
        blank=True,
        help_text=_("Theo cú pháp opening_hours của OpenStreetMap, ví dụ: Mo-Sa 07:00-21:00; Su 08:00-12:00"),
    )
    website = models.URLField(_("trang web"), max_length=300, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    agency = models.ForeignKey(
        "government.Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="places",
        verbose_name=_("cơ quan"),
    )
    source = models.CharField(_("nguồn"), max_length=10, choices=PlaceSource.choices, default=PlaceSource.EDITOR)
    source_id = models.CharField(_("mã nguồn"), max_length=100, blank=True)
    is_active = models.BooleanField(_("đang hiển thị"), default=True)
    search_key = models.CharField(max_length=500, editable=False, db_index=True)
    # Editors correct places at the same time: a save names the version it was read at.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            # "Near me": a box on latitude (a range), longitude checked inside the index.
            models.Index(fields=["kind", "lat", "lng"], name="place_kind_box", condition=Q(is_active=True)),
            models.Index(fields=["lat", "lng"], name="place_box", condition=Q(is_active=True)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["source_id"], condition=~Q(source_id=""), name="place_unique_source_id"),
        ]
        verbose_name = _("địa điểm")
        verbose_name_plural = _("địa điểm")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_key = search_key(f"{self.name} {self.address}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("utilities:place", args=[self.pk])

    def hours_state(self, at=None):
        """hours.State for now (or `at`): open, closed, unknown, with the next change."""
        return hours.state(self.opening_hours, at=at)

    @property
    def tel_href(self):
        return tel_href(self.phone)

    @property
    def geo_href(self):
        # RFC 5870; Android opens the map app on it, the label (q=) names the pin.
        return f"geo:{self.lat:.6f},{self.lng:.6f}?q={self.lat:.6f},{self.lng:.6f}"

    @property
    def osm_url(self):
        return f"https://www.openstreetmap.org/?mlat={self.lat:.6f}&mlon={self.lng:.6f}#map=18/{self.lat:.6f}/{self.lng:.6f}"

    def directions_url(self, origin=None):
        return directions_url(self.lat, self.lng, origin)


def tel_href(phone):
    """The tel: link of a place's phone. OSM separates several numbers with ";": the first is the one to call."""
    first = (phone or "").replace(",", ";").split(";")[0]
    digits = "".join(ch for ch in first if ch.isdigit() or ch == "+")
    return f"tel:{digits}" if digits else ""


def directions_url(lat, lng, origin=None):
    """OpenStreetMap's directions to (lat, lng), from `origin` (lat, lng) when known."""
    start = f"{origin[0]:.6f},{origin[1]:.6f}" if origin else ""
    return f"https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route={start}%3B{lat:.6f}%2C{lng:.6f}"


class Problem(models.TextChoices):
    CLOSED = "closed", _("Địa điểm đã đóng cửa hoặc không còn")
    LOCATION = "location", _("Vị trí trên bản đồ sai")
    PHONE = "phone", _("Số điện thoại sai")
    HOURS = "hours", _("Giờ mở cửa sai")
    DETAILS = "details", _("Tên, địa chỉ hoặc thông tin khác sai")


class PlaceReportStatus(models.TextChoices):
    OPEN = "open", _("Chờ xử lý")
    FIXED = "fixed", _("Đã sửa")
    DISMISSED = "dismissed", _("Không cần sửa")


class PlaceReport(models.Model):
    """A citizen's word that a place's details are wrong; editors work these as a queue."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="reports", verbose_name=_("địa điểm"))
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="place_reports"
    )
    problem = models.CharField(_("vấn đề"), max_length=10, choices=Problem.choices)
    message = models.CharField(_("mô tả"), max_length=500, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PlaceReportStatus.choices, default=PlaceReportStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="placereport_queue")]
        constraints = [
            # A double tap, or the same person again before an editor looked: one open report.
            models.UniqueConstraint(
                fields=["place", "reporter"],
                condition=Q(status="open") & Q(reporter__isnull=False),
                name="placereport_one_open_per_person",
            ),
        ]
        verbose_name = _("báo sai thông tin địa điểm")
        verbose_name_plural = _("báo sai thông tin địa điểm")

    def __str__(self):
        return f"{self.place} – {self.get_problem_display()}"
