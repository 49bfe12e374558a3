"""Administrative procedures (thủ tục hành chính), dossiers (hồ sơ) and officer ratings.

Glossary: thủ tục hành chính = administrative procedure; hồ sơ = dossier; thành phần hồ sơ = the
documents a dossier is made of; tiếp nhận = receive at the one-stop desk (bộ phận một cửa);
bổ sung = supplement; trả kết quả = return the result; phiếu = printed form (Mẫu 01–04 of
Thông tư 01/2018/TT-VPCP).
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from government.models import Agency
from smarthp.text import search_key


class Level(models.TextChoices):
    CITY = "city", _("Cấp thành phố")
    WARD = "ward", _("Cấp xã")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class ProcedureField(models.Model):
    """A field (lĩnh vực) of procedures: Tư pháp, Nội vụ, …"""

    name = models.CharField(_("tên"), max_length=150, unique=True)
    slug = models.SlugField(_("mã"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self):
        return self.name


class ProcedureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_active=True)

    def search(self, text):
        key = search_key(text)
        return self.filter(search_key__contains=key) if key else self


class Procedure(models.Model):
    """A procedure as Nghị định 63/2010 Art. 8 describes it. Ward-level ones (`agency` empty) are
    carried out by every ward committee: the applicant picks theirs when submitting."""

    code = models.CharField(_("mã thủ tục"), max_length=30, unique=True)
    name = models.CharField(_("tên thủ tục"), max_length=400)
    search_key = models.CharField(max_length=500, editable=False, db_index=True)
    field = models.ForeignKey(
        ProcedureField, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("lĩnh vực")
    )
    level = models.CharField(_("cấp thực hiện"), max_length=8, choices=Level.choices)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="procedures",
        verbose_name=_("cơ quan thực hiện"),
        help_text=_("Để trống với thủ tục cấp xã: mỗi UBND phường, xã thực hiện."),
    )
    in_person = models.BooleanField(_("nộp trực tiếp"), default=True)
    online = models.BooleanField(_("nộp trực tuyến"), default=False)
    by_post = models.BooleanField(_("nộp qua bưu chính công ích"), default=False)
    online_level = models.CharField(
        _("mức dịch vụ trực tuyến"), max_length=8, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    processing_days = models.PositiveSmallIntegerField(_("thời hạn giải quyết (ngày làm việc)"), default=0)
    processing_hours = models.PositiveSmallIntegerField(
        _("thời hạn giải quyết (giờ làm việc)"), null=True, blank=True, help_text=_("Dùng thay cho số ngày nếu có.")
    )
    fees = models.TextField(_("phí, lệ phí"), blank=True)
    steps = models.TextField(_("trình tự thực hiện"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    is_sample = models.BooleanField(
        _("dữ liệu mẫu"), default=False, help_text=_("Một số chi tiết là dữ liệu minh họa, không phải bản chính thức.")
    )
    is_active = models.BooleanField(_("đang công bố"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            # The catalogue's first page in name order without sorting every published procedure.
            models.Index(fields=["name", "id"], name="procedure_catalogue", condition=models.Q(is_active=True)),
            # The agencies that have a published procedure (the catalogue's agency filter), probed one by one.
            models.Index(fields=["agency"], name="procedure_published_agency", condition=models.Q(is_active=True)),
        ]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")

    def __str__(self):
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs):
        self.search_key = search_key(f"{self.name} {self.code}")[:500]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("publicservices:procedure", args=[self.code])

    @property
    def accepts_online(self):
        return self.is_active and self.online and self.online_level != OnlineLevel.NONE


class ProcedureDocument(models.Model):
    """One item of the dossier (thành phần hồ sơ)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=400)
    required = models.BooleanField(_("bắt buộc"), default=True)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=1)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    blank_form = models.FileField(_("mẫu đơn, tờ khai"), upload_to="publicservices/forms/", blank=True)

    class Meta:
        ordering = ["procedure", "position", "pk"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self):
        return self.name


class DossierStatus(models.TextChoices):
    """The statuses the national portal shows. Overdue is computed from `due_at`, never stored."""

    NEW = "new", _("Mới đăng ký")
    RECEIVED = "received", _("Được tiếp nhận")
    REFUSED = "refused", _("Không được tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    SUPPLEMENT = "supplement", _("Yêu cầu bổ sung giấy tờ")
    FEES = "fees", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Công dân yêu cầu rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    DONE = "done", _("Đã xử lý xong")
    RETURNED = "returned", _("Đã trả kết quả")


# The clock runs in these states; it is stopped (due_at kept but not counting) in SUPPLEMENT.
RUNNING = (DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.FEES)
FINISHED = (
    DossierStatus.REFUSED,
    DossierStatus.WITHDRAWN,
    DossierStatus.STOPPED,
    DossierStatus.DONE,
    DossierStatus.RETURNED,
)
# The citizen may withdraw until the result is ready.
WITHDRAWABLE = (
    DossierStatus.NEW,
    DossierStatus.RECEIVED,
    DossierStatus.PROCESSING,
    DossierStatus.SUPPLEMENT,
    DossierStatus.FEES,
)


def overdue(status, due_at, finished_at, now):
    """Late: still running past the due date, or finished after it (lists call this on plain rows)."""
    if due_at is None:
        return False
    if status in RUNNING:
        return due_at < now
    if status in (DossierStatus.DONE, DossierStatus.RETURNED) and finished_at:
        return finished_at > due_at
    return False


def new_secret():
    return secrets.token_urlsafe(12)


class DossierQuerySet(models.QuerySet):
    def overdue(self, now=None):
        now = now or timezone.now()
        return self.filter(status__in=RUNNING, due_at__lt=now)


class Dossier(models.Model):
    """A dossier (hồ sơ) submitted online. `applicant` is empty for a submission without an account;
    the confirmed phone is then the only way to tell the applicant."""

    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("cơ quan tiếp nhận")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="dossiers"
    )
    applicant_name = models.CharField(_("họ và tên người nộp"), max_length=150)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=16)
    applicant_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    applicant_id_number = models.CharField(_("số CCCD"), max_length=12, blank=True, db_index=True)
    note = models.TextField(_("ghi chú của người nộp"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=DossierStatus.choices, default=DossierStatus.NEW)
    submitted_at = models.DateTimeField(_("nộp lúc"), default=timezone.now, db_index=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True)
    original_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="held_dossiers",
        verbose_name=_("cán bộ đang giữ"),
    )
    holder_unit = models.CharField(_("bộ phận đang giữ"), max_length=150, blank=True)
    holder_since = models.DateTimeField(null=True, blank=True)
    fee_amount = models.PositiveIntegerField(_("số tiền phải nộp (đồng)"), null=True, blank=True)
    result_note = models.TextField(_("kết quả"), blank=True)
    apologised = models.BooleanField(default=False, editable=False)
    secret = models.CharField(max_length=24, default=new_secret, editable=False)
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True, editable=False)

    objects = DossierQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "status", "submitted_at"], name="dossier_queue"),
            models.Index(fields=["applicant", "submitted_at"], name="dossier_applicant"),
            # The queue's tabs that span several statuses: by due date, and by submission.
            models.Index(fields=["agency", "due_at"], name="dossier_agency_due"),
            models.Index(fields=["agency", "submitted_at"], name="dossier_agency_submitted"),
            # Running dossiers by due date: the "Đang giải quyết" tab in order, and its overdue ones
            # counted from the index alone (the other tabs count from dossier_queue).
            models.Index(
                fields=["agency", "due_at"], name="dossier_running_due", condition=models.Q(status__in=RUNNING)
            ),
            # "Chờ trả kết quả" in the order they were finished, without sorting them all.
            models.Index(
                fields=["agency", "finished_at"],
                name="dossier_done_finished",
                condition=models.Q(status=DossierStatus.DONE),
            ),
        ]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("publicservices:dossier", args=[self.code])

    def lookup_url(self, *, with_secret=True):
        url = reverse("publicservices:lookup") + f"?ma={self.code}"
        return f"{url}&k={self.secret}" if with_secret else url

    def is_overdue(self, now=None):
        return overdue(self.status, self.due_at, self.finished_at, now or timezone.now())

    @property
    def finished_on_time(self):
        return self.finished_at is not None and self.due_at is not None and self.finished_at <= self.due_at

    @property
    def can_withdraw(self):
        return self.status in WITHDRAWABLE


class FileKind(models.TextChoices):
    APPLICANT = "applicant", _("Giấy tờ của người nộp")
    SUPPLEMENT = "supplement", _("Giấy tờ bổ sung")
    RESULT = "result", _("Kết quả")


def private_name(instance, filename):
    # Nothing of the upload's name: the stored name is random, and only a view that checks access serves it.
    extension = ".pdf" if instance.content_type == "application/pdf" else ".jpg"
    return f"private/publicservices/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}{extension}"


def new_token():
    return secrets.token_urlsafe(16)


class DossierFile(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    document = models.ForeignKey(ProcedureDocument, on_delete=models.SET_NULL, null=True, blank=True)
    kind = models.CharField(max_length=12, choices=FileKind.choices, default=FileKind.APPLICANT)
    label = models.CharField(_("tên giấy tờ"), max_length=400)
    file = models.FileField(upload_to=private_name)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(default=0)
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["dossier", "uploaded_at", "pk"]
        verbose_name = _("tệp hồ sơ")
        verbose_name_plural = _("tệp hồ sơ")

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("publicservices:file", args=[self.dossier.code, self.token])


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Nộp hồ sơ trực tuyến")
    RECEIVED = "received", _("Tiếp nhận hồ sơ")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    SUPPLEMENT_ASKED = "supplement_asked", _("Yêu cầu bổ sung giấy tờ")
    SUPPLIED = "supplied", _("Công dân bổ sung giấy tờ")
    HANDED_OVER = "handed_over", _("Chuyển xử lý")
    FEES_ASKED = "fees_asked", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    FEES_PAID = "fees_paid", _("Đã thực hiện nghĩa vụ tài chính")
    APOLOGY = "apology", _("Xin lỗi và hẹn lại ngày trả kết quả")
    DONE = "done", _("Xử lý xong")
    RETURNED = "returned", _("Trả kết quả")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")


class DossierEvent(models.Model):
    """One step of a dossier's timeline: who did what, when, and who holds it afterwards."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    status = models.CharField(max_length=12, choices=DossierStatus.choices)
    note = models.TextField(blank=True)
    items = models.JSONField(default=list, blank=True)
    holder_name = models.CharField(max_length=150, blank=True)
    holder_unit = models.CharField(max_length=150, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["dossier", "at", "pk"]
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")

    def __str__(self):
        return f"{self.dossier_id} {self.kind}"


class DossierCodeCounter(models.Model):
    """The last sequence number of a receiving agency's day (TT 01/2018 Art. 19), taken under its row lock."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="unique_dossier_counter")]

    def __str__(self):
        return f"{self.agency_id} {self.day}: {self.last}"


class PhoneConfirmation(models.Model):
    """A phone confirmed by an SMS code for a submission without an account; spent by that submission."""

    token = models.CharField(max_length=32, unique=True, default=new_token)
    phone = models.CharField(max_length=16)
    reference = models.CharField(max_length=40)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.phone


class Satisfaction(models.TextChoices):
    VERY = "very", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    UNSATISFIED = "unsatisfied", _("Không hài lòng")


class Contacts(models.IntegerChoices):
    ONCE = 1, _("1 lần")
    TWICE = 2, _("2 lần")
    MORE = 3, _("3 lần trở lên")


class Attitude(models.TextChoices):
    GOOD = "good", _("Lịch sự, tận tình")
    FAIR = "fair", _("Bình thường")
    POOR = "poor", _("Thiếu lịch sự, gây khó khăn")


class Rating(models.Model):
    """The applicant's rating of one dossier's service (TT 01/2018 indicators a citizen can judge).

    It keeps the officer rated and the agency, never the rater: the dossier link is what makes it
    once per dossier, and no officer page reads through it.
    """

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    satisfaction = models.CharField(_("mức độ hài lòng"), max_length=12, choices=Satisfaction.choices)
    on_time = models.BooleanField(_("nhận kết quả đúng hẹn"))
    contacts = models.PositiveSmallIntegerField(_("số lần liên hệ với bộ phận một cửa"), choices=Contacts.choices)
    attitude = models.CharField(_("thái độ của cán bộ"), max_length=8, choices=Attitude.choices)
    comment = models.CharField(_("góp ý"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")

    def __str__(self):
        return f"{self.dossier_id}: {self.satisfaction}"
