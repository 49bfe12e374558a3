from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from smarthp.text import search_key

from .addresses import household_key


class UserQuerySet(models.QuerySet):
    def pending_signups(self):
        """Sign-ups that never verified their phone nor signed in: nothing hangs on them, and the
        number they hold is free to register again. Staff, officers and VNeID accounts never count."""
        return self.filter(
            phone__isnull=False,
            phone_verified=False,
            last_login__isnull=True,
            is_staff=False,
            is_superuser=False,
            memberships__isnull=True,
            socialaccount__isnull=True,
        )

    def holding_phone(self, phone):
        """The account that owns `phone`: any holder but a pending sign-up."""
        return self.filter(phone=phone).exclude(pk__in=self.pending_signups().filter(phone=phone).values("pk"))


class CitizenUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in: a citizen (phone first) or an officer (created by administrators).

    `phone` is stored in E.164 (+84912345678). Officers' roles come from their agency
    memberships (government.Membership), not from fields here.
    """

    phone = models.CharField(_("số điện thoại"), max_length=16, unique=True, null=True, blank=True)
    phone_verified = models.BooleanField(_("đã xác minh số điện thoại"), default=False)
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)

    objects = CitizenUserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self):
        return self.full_name or self.phone or self.username

    def get_full_name(self):
        return self.full_name or super().get_full_name()


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")
    OTHER = "other", _("Khác")


class Profile(models.Model):
    """A citizen's personal information (Cập nhật thông tin cá nhân). Every field is optional.

    The ward and residential group feed the install-rate reports. The citizen ID is kept as its
    12-digit number only, never as an image of the card.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile", verbose_name=_("người dùng"))
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices, blank=True)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    ward = models.ForeignKey(
        "government.AdministrativeUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("phường, xã, đặc khu"),
    )
    residential_group = models.ForeignKey(
        "government.ResidentialGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("tổ dân phố, thôn"),
    )
    street_address = models.CharField(_("số nhà, đường phố"), max_length=200, blank=True)
    workplace_name = models.CharField(_("tên cơ quan, doanh nghiệp nơi làm việc"), max_length=200, blank=True)
    workplace_address = models.CharField(_("địa chỉ nơi làm việc"), max_length=255, blank=True)
    referral_code = models.CharField(_("mã giới thiệu"), max_length=20, blank=True)
    evn_customer_code = models.CharField(_("mã khách hàng điện (EVN)"), max_length=13, blank=True)
    social_insurance_number = models.CharField(_("mã số BHXH"), max_length=10, blank=True)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    health_insurance_number = models.CharField(_("mã thẻ BHYT"), max_length=15, blank=True)
    citizen_id = models.CharField(_("số CCCD"), max_length=12, null=True, blank=True, unique=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    # Kept by save() for the install campaign (campaigns.figures): one home per (group, household_key),
    # staff matched to a workplace by its folded name. Bulk writes must fill them themselves.
    household_key = models.CharField(max_length=200, blank=True, editable=False)
    workplace_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name = _("hồ sơ cá nhân")
        verbose_name_plural = _("hồ sơ cá nhân")
        # A helper's recount (campaigns.tallies.refresh_helpers) finds the unit's residents who typed
        # their number without reading the unit's 60,000 profiles.
        indexes = [models.Index(fields=["ward", "referral_code"], name="profile_ward_referral")]

    def __str__(self):
        return str(self.user)

    def save(self, *args, **kwargs):
        self.household_key = household_key(self.street_address)
        self.workplace_key = search_key(self.workplace_name)[:200]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "household_key", "workplace_key"}
        super().save(*args, **kwargs)


class ConsentPurpose(models.TextChoices):
    PROCESSING = "processing", _("Xử lý phản ánh, hồ sơ")
    NOTICES = "notices", _("Nhận thông báo")
    # Being named, with one's phone, in the ward's install-campaign lists (campaigns.exports).
    CAMPAIGN_LIST = "campaign_list", _("Công khai tên trong danh sách cài đặt ứng dụng")


class Consent(models.Model):
    """One decision of a citizen about one purpose (Luật Bảo vệ dữ liệu cá nhân): rows are only added,
    the latest per purpose is in force. `version` names the text the citizen was shown."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents", verbose_name=_("người dùng"))
    purpose = models.CharField(_("mục đích"), max_length=16, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("đồng ý"))
    version = models.CharField(_("phiên bản văn bản"), max_length=20)
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "purpose", "-at"], name="consent_latest")]
        verbose_name = _("đồng ý xử lý dữ liệu")
        verbose_name_plural = _("đồng ý xử lý dữ liệu")

    def __str__(self):
        return f"{self.get_purpose_display()}: {self.granted} ({self.version})"


class PhoneCode(models.Model):
    """One SMS code issued by allauth's phone flows (sign-up, sign-in by code, phone change).

    Only a keyed hash of the code is stored. `tries` is raised with a conditional UPDATE before a
    code is compared, so parallel guesses cannot get past the limit; `used_at` makes it single use.
    """

    phone = models.CharField(max_length=16, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã xác thực SMS")
        verbose_name_plural = _("mã xác thực SMS")

    def __str__(self):
        return f"{self.phone} {self.created_at:%Y-%m-%d %H:%M}"


class SmsStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Lỗi")


class OutboundSms(models.Model):
    """A text message to a phone. The development backend keeps the text to show it at /dev/sms/;
    the gateway backend clears it once the gateway has it (it holds a code)."""

    phone = models.CharField(_("số điện thoại"), max_length=16)
    text = models.TextField(_("nội dung"), blank=True)
    backend = models.CharField(max_length=100)
    status = models.CharField(_("trạng thái"), max_length=8, choices=SmsStatus.choices, default=SmsStatus.QUEUED)
    # A notice's message is still worth sending a minute late: when its task is lost with the broker,
    # the sweeper queues it again (queued_at). A sign-in code is not: it goes stale, the citizen asks again.
    resend_if_lost = models.BooleanField(default=False, editable=False)
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["queued_at"],
                condition=models.Q(status__in=["queued", "sending"], resend_if_lost=True),
                name="sms_lost_candidates",
            )
        ]
        verbose_name = _("tin nhắn SMS")
        verbose_name_plural = _("tin nhắn SMS")

    def __str__(self):
        return f"{self.phone} {self.get_status_display()}"


class SmsDailyCount(models.Model):
    """How many messages the city sent on a day (Asia/Ho_Chi_Minh): the budget cap's counter."""

    day = models.DateField(unique=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số tin nhắn trong ngày")
        verbose_name_plural = _("số tin nhắn trong ngày")

    def __str__(self):
        return f"{self.day}: {self.count}"


class RateLimitEntry(models.Model):
    """One entry of allauth's rate limits (a counter's hit times, or its lock), kept in the database
    so that a Redis outage neither lifts nor resets them: see citizens.ratelimit."""

    key = models.CharField(max_length=255, primary_key=True)
    value = models.JSONField()
    expires = models.DateTimeField(null=True, db_index=True)

    class Meta:
        verbose_name = _("bộ đếm giới hạn")
        verbose_name_plural = _("bộ đếm giới hạn")

    def __str__(self):
        return self.key
