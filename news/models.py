"""City and ward news, notices targeted to wards, reception schedules, power and water outage schedules.

Glossary: tin tức (news article), thông báo (ward notice), lịch tiếp dân (a leader's citizen
reception day), lịch tiếp xúc cử tri (a deputies' meeting with voters), lịch cắt điện / nước
(outage schedule), trạm biến áp (substation).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smarthp.text import search_key


class ArticleCategory(models.TextChoices):
    CITY = "thoi-su", _("Thời sự")
    GOVERNMENT = "chinh-quyen", _("Chính quyền")
    SOCIETY = "xa-hoi", _("Xã hội")
    ECONOMY = "kinh-te", _("Kinh tế")
    CULTURE = "van-hoa", _("Văn hóa, du lịch")
    HEALTH = "y-te", _("Y tế, giáo dục")
    TRAFFIC = "giao-thong", _("Giao thông, đô thị")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã xuất bản")


class ArticleQuerySet(models.QuerySet):
    def public(self, now=None):
        """Published and due: an article scheduled for later is not shown until its time comes
        (computed here, so no task has to flip it)."""
        return self.filter(status=ArticleStatus.PUBLISHED, published_at__lte=now or timezone.now())

    def for_ward(self, ward_code):
        """City-wide articles and those written for this ward."""
        of_ward = Article.wards.through.objects.filter(article_id=OuterRef("pk"), administrativeunit_id=ward_code)
        return self.filter(Q(is_citywide=True) | Exists(of_ward))

    def only_ward(self, ward_code):
        of_ward = Article.wards.through.objects.filter(article_id=OuterRef("pk"), administrativeunit_id=ward_code)
        return self.filter(Exists(of_ward))


class Article(models.Model):
    title = models.CharField(_("tiêu đề"), max_length=200)
    summary = models.CharField(_("tóm tắt"), max_length=400)
    # Sanitised HTML (news.services.articles.clean_body): only the short allow-list survives.
    body = models.TextField(_("nội dung"), max_length=50_000)
    search_key = models.TextField(editable=False, default="")
    category = models.CharField(_("chuyên mục"), max_length=16, choices=ArticleCategory.choices)
    is_citywide = models.BooleanField(_("tin toàn thành phố"), default=True)
    wards = models.ManyToManyField(
        "government.AdministrativeUnit", blank=True, related_name="+", verbose_name=_("phường, xã")
    )
    picture = models.ImageField(upload_to="news/%Y/%m/", blank=True)
    thumbnail = models.ImageField(upload_to="news/%Y/%m/thumbs/", blank=True)
    picture_caption = models.CharField(_("chú thích ảnh"), max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("tác giả")
    )
    author_name = models.CharField(_("tên tác giả hiển thị"), max_length=150, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=ArticleStatus.choices, default="draft")
    published_at = models.DateTimeField(_("thời điểm xuất bản"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Corrections are noted on the page (đính chính), never silently rewritten.
    correction = models.TextField(_("đính chính"), blank=True, max_length=2000)
    corrected_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at", "-id"], name="article_public_recent")]
        verbose_name = _("bài viết")
        verbose_name_plural = _("bài viết")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.refresh_search_key()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:article", args=[self.pk])

    @property
    def is_public(self):
        return self.status == ArticleStatus.PUBLISHED and self.published_at and self.published_at <= timezone.now()

    def refresh_search_key(self):
        from .sanitize import plain_text

        self.search_key = search_key(f"{self.title} {self.summary} {plain_text(self.body)}")[:20_000]


class WardNoticeQuerySet(models.QuerySet):
    def current(self, now=None):
        now = now or timezone.now()
        return self.filter(published_at__lte=now).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))

    def for_ward(self, ward_code):
        of_ward = WardNotice.wards.through.objects.filter(wardnotice_id=OuterRef("pk"), administrativeunit_id=ward_code)
        return self.filter(Exists(of_ward))


class WardNotice(models.Model):
    """Thông báo: to one or more wards, shown on the home page of their citizens and sent to them."""

    title = models.CharField(_("tiêu đề"), max_length=160)
    body = models.TextField(_("nội dung"), max_length=5000)
    wards = models.ManyToManyField("government.AdministrativeUnit", related_name="+", verbose_name=_("phường, xã"))
    is_urgent = models.BooleanField(_("khẩn"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    published_at = models.DateTimeField(_("thời điểm đăng"), default=timezone.now)
    expires_at = models.DateTimeField(_("hiển thị đến"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WardNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        # The current notices (current()) without reading the expired ones: most notices expire.
        indexes = [models.Index(fields=["expires_at"], name="notice_expires")]
        verbose_name = _("thông báo phường")
        verbose_name_plural = _("thông báo phường")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:notice", args=[self.pk])


class ScheduleKind(models.TextChoices):
    RECEPTION = "tiep-dan", _("Lịch tiếp công dân")
    VOTERS = "tiep-xuc-cu-tri", _("Lịch tiếp xúc cử tri")


class Schedule(models.Model):
    kind = models.CharField(_("loại lịch"), max_length=16, choices=ScheduleKind.choices)
    title = models.CharField(_("nội dung"), max_length=200)
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"))
    place = models.CharField(_("địa điểm"), max_length=255)
    host = models.CharField(_("người tiếp"), max_length=255, help_text=_("Ví dụ: Chủ tịch UBND phường"))
    ward = models.ForeignKey(
        "government.AdministrativeUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phường, xã"),
        help_text=_("Để trống nếu là lịch của thành phố."),
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["ward", "starts_at"], name="schedule_ward_start")]
        verbose_name = _("lịch tiếp dân, tiếp xúc cử tri")
        verbose_name_plural = _("lịch tiếp dân, tiếp xúc cử tri")

    def __str__(self):
        return self.title


class UtilityKind(models.TextChoices):
    POWER = "dien", _("Điện")
    WATER = "nuoc", _("Nước")


class OutageKind(models.TextChoices):
    PLANNED = "planned", _("Theo kế hoạch")
    EMERGENCY = "emergency", _("Sự cố, khẩn cấp")


class OutageQuerySet(models.QuerySet):
    def ahead(self, now=None):
        """Not cancelled, not over yet."""
        return self.filter(cancelled_at__isnull=True, ends_at__gt=now or timezone.now())

    def for_ward(self, ward_code):
        of_ward = Outage.wards.through.objects.filter(outage_id=OuterRef("pk"), administrativeunit_id=ward_code)
        return self.filter(Exists(of_ward))


class Outage(models.Model):
    """A power or water cut as the company publishes it (Thông tư 22/2020/TT-BCT: place, reason,
    start and expected restore time; planned cuts at least five days ahead)."""

    company = models.ForeignKey(
        "government.Agency", on_delete=models.PROTECT, related_name="outages", verbose_name=_("đơn vị cấp")
    )
    utility = models.CharField(_("dịch vụ"), max_length=4, choices=UtilityKind.choices, default=UtilityKind.POWER)
    kind = models.CharField(_("loại"), max_length=10, choices=OutageKind.choices, default=OutageKind.PLANNED)
    area = models.TextField(_("khu vực"), max_length=2000)
    wards = models.ManyToManyField("government.AdministrativeUnit", related_name="+", verbose_name=_("phường, xã"))
    # Substations (trạm biến áp) or streets, one per line, as the company names them.
    places = models.TextField(_("trạm biến áp, đường phố"), blank=True, max_length=4000)
    # The places' search keys, one per line: what a citizen's saved substation or street is matched against.
    place_keys = models.TextField(editable=False, blank=True, default="")
    starts_at = models.DateTimeField(_("từ"), db_index=True)
    ends_at = models.DateTimeField(_("đến (dự kiến có lại)"))
    reason = models.CharField(_("lý do"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # When the day-before warning goes out (the day before at OUTAGE_WARN_HOUR, or at once when late).
    warn_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    warned_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = OutageQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        # The outages ahead (ahead()) without reading the year of those over.
        indexes = [models.Index(fields=["ends_at"], name="outage_ends")]
        verbose_name = _("lịch cắt điện, nước")
        verbose_name_plural = _("lịch cắt điện, nước")

    def __str__(self):
        return f"{self.company} {self.starts_at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        self.refresh_keys()  # the admin too: places and the warning time always follow what was typed
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:outage", args=[self.pk])

    def place_list(self):
        return [line.strip() for line in self.places.splitlines() if line.strip()]

    def refresh_keys(self):
        self.place_keys = "\n".join(dict.fromkeys(search_key(line) for line in self.place_list()))
        local = timezone.localtime(self.starts_at)
        hour = getattr(settings, "OUTAGE_WARN_HOUR", 7)
        day_before = (local - datetime.timedelta(days=1)).replace(hour=hour, minute=0, second=0, microsecond=0)
        self.warn_at = min(day_before, self.starts_at)


class OutageFollow(models.Model):
    """A citizen's EVN customer code, saved with the substation and street printed on their bill.

    The portal cannot look a customer code up at the power company: an outage reaches this person
    when its places name this substation or street (or their profile's ward is in it)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outage_follow")
    customer_code = models.CharField(_("mã khách hàng điện (EVN)"), max_length=13)
    substation = models.CharField(_("trạm biến áp"), max_length=120, blank=True)
    street = models.CharField(_("đường phố"), max_length=120, blank=True)
    substation_key = models.CharField(max_length=120, blank=True, db_index=True, editable=False)
    street_key = models.CharField(max_length=120, blank=True, db_index=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("theo dõi lịch cắt điện")
        verbose_name_plural = _("theo dõi lịch cắt điện")

    def __str__(self):
        return self.customer_code

    def save(self, *args, **kwargs):
        self.substation_key = search_key(self.substation)
        self.street_key = search_key(self.street)
        super().save(*args, **kwargs)


class Delivery(models.Model):
    """The fan-out of one ward notice or outage warning, in batches over the recipients by user id.

    `cursor` is the last user id done; each batch's notices and the cursor commit together, and
    notices.notify skips whoever that source already told, so a worker killed anywhere resumes
    without sending twice."""

    source = models.CharField(max_length=80, unique=True)
    cursor = models.BigIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đợt gửi thông báo")
        verbose_name_plural = _("đợt gửi thông báo")

    def __str__(self):
        return self.source
