"""PAKN (phản ánh, kiến nghị): citizens' reports, their photos, routing, deadlines and the officers' work.

Glossary: phản ánh = a report of a problem; kiến nghị = a proposal; tiếp nhận = receive/accept;
trả lời = answer; chuyển = transfer; trả lại = return; 1022 = the city's hotline and triage centre.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from government.models import AdministrativeUnit, Agency, Membership, Role
from smarthp.text import search_key


def _unique_pair(a, b, name):
    """One row per (a, b) where either may be empty ("any"). Partial indexes, because SQLite has no
    NULLS NOT DISTINCT; the both-empty row is checked in clean()."""
    return [
        models.UniqueConstraint(fields=[a, b], name=f"unique_{name}"),
        models.UniqueConstraint(fields=[a], condition=models.Q(**{f"{b}__isnull": True}), name=f"unique_{name}_{a}"),
        models.UniqueConstraint(fields=[b], condition=models.Q(**{f"{a}__isnull": True}), name=f"unique_{name}_{b}"),
    ]


def _check_single_fallback(instance, a, b):
    if getattr(instance, f"{a}_id") is None and getattr(instance, f"{b}_id") is None:
        clash = type(instance).objects.filter(**{f"{a}__isnull": True, f"{b}__isnull": True}).exclude(pk=instance.pk)
        if clash.exists():
            raise ValidationError(_("Đã có một dòng áp dụng cho mọi trường hợp."))


_CHOICE_LABELS = {}


@receiver(setting_changed)
def _forget_choice_labels(*, setting, **kwargs):
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"):  # what Django's own catalogs follow
        _CHOICE_LABELS.clear()


def choice_label(choices, value):
    """What get_FOO_display() gives for `value` of these TextChoices, in the active language. Django's
    own hashes every lazy label of the field (a gettext call each) on every call, about 0.2 ms a row
    of the feed; the labels of one language never change while the process runs, so they are worked
    out once per language."""
    key = (choices, get_language())
    labels = _CHOICE_LABELS.get(key)
    if labels is None:
        labels = _CHOICE_LABELS[key] = {choice: str(label) for choice, label in choices.choices}
    return labels.get(value, value)


class Category(models.Model):
    """The city's five report categories (top level) and their sub-categories: data, not code."""

    name = models.CharField(_("tên"), max_length=150)
    slug = models.SlugField(_("mã"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("nhóm cha")
    )
    description = models.CharField(_("mô tả"), max_length=300, blank=True)
    # Technical-infrastructure categories need a photo of the fix before an answer counts as resolved.
    answer_needs_photo = models.BooleanField(_("trả lời phải kèm ảnh"), default=False)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("lĩnh vực phản ánh")
        verbose_name_plural = _("lĩnh vực phản ánh")

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def lineage_ids(self):
        """This category and its ancestors, most specific first (for routing and deadline lookup)."""
        ids, node = [], self
        while node is not None:
            ids.append(node.pk)
            node = node.parent
        return ids


class Urgency(models.Model):
    name = models.CharField(_("tên"), max_length=80)
    slug = models.SlugField(_("mã"), max_length=40, unique=True)
    level = models.PositiveSmallIntegerField(_("mức"), default=0, help_text=_("Số càng lớn càng khẩn cấp."))

    class Meta:
        ordering = ["level"]
        verbose_name = _("mức độ khẩn cấp")
        verbose_name_plural = _("mức độ khẩn cấp")

    def __str__(self):
        return self.name


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "days", _("ngày làm việc")
    WORKING_HOURS = "hours", _("giờ làm việc")


class DeadlinePolicy(models.Model):
    """Time to accept and time to answer for a category and urgency; empty fields match any.

    The most specific policy wins (category before urgency, sub-category before its parent).
    """

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("lĩnh vực")
    )
    urgency = models.ForeignKey(
        Urgency, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("mức độ")
    )
    accept_within = models.PositiveSmallIntegerField(_("thời hạn tiếp nhận"), default=1)
    answer_within = models.PositiveSmallIntegerField(_("thời hạn trả lời"), default=10)
    unit = models.CharField(
        _("đơn vị thời gian"), max_length=5, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )

    class Meta:
        constraints = _unique_pair("category", "urgency", "deadline_policy")
        verbose_name = _("thời hạn xử lý")
        verbose_name_plural = _("thời hạn xử lý")

    def __str__(self):
        return f"{self.category or _('Mọi lĩnh vực')} / {self.urgency or _('mọi mức độ')}"

    def clean(self):
        _check_single_fallback(self, "category", "urgency")


class RoutingRule(models.Model):
    """Category × unit → agency. Empty category or unit matches any; the most specific rule wins."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("lĩnh vực")
    )
    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("địa bàn")
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("cơ quan xử lý"))
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        constraints = _unique_pair("category", "unit", "routing_rule")
        verbose_name = _("quy tắc chuyển xử lý")
        verbose_name_plural = _("quy tắc chuyển xử lý")

    def __str__(self):
        return f"{self.category or _('Mọi lĩnh vực')} × {self.unit or _('mọi địa bàn')} → {self.agency}"

    def clean(self):
        _check_single_fallback(self, "category", "unit")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Đã gửi")  # saved; routing not done yet
    TRIAGE = "triage", _("Chờ phân loại")  # at the 1022 centre: no rule matched
    ASSIGNED = "assigned", _("Đã chuyển cơ quan xử lý")  # waiting for the agency to accept
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã đóng")
    REJECTED = "rejected", _("Không được tiếp nhận")
    RETURNED = "returned", _("Bị trả lại 1022")  # the agency says it is not its competence
    REOPENED = "reopened", _("Mở lại")  # the citizen says the answer did not resolve it


class Channel(models.TextChoices):
    WEB = "web", _("Cổng thông tin")
    API = "api", _("Ứng dụng")
    PHONE = "phone", _("Tổng đài 1022")
    SMS = "sms", _("Tin nhắn")


# The states in which a deadline runs (feedback.deadlines): waiting to be accepted (at an agency,
# or at the 1022 centre), being answered.
ACCEPT_CLOCK = models.Q(status__in=["assigned", "triage", "returned"])
AGENCY_ACCEPT_CLOCK = models.Q(status="assigned")
CENTRE_ACCEPT_CLOCK = models.Q(status__in=["triage", "returned"])
ANSWER_CLOCK = models.Q(status__in=["in_progress", "reopened"])
# Open reports ("Đang xử lý" on the public feed): feedback.selectors.OPEN_STATUSES.
OPEN_REPORTS = models.Q(status__in=["triage", "assigned", "in_progress", "returned", "reopened"])


# Who sees a report: the rules of `Report.objects.visible_to(user)` (feedback.selectors builds the
# scoped reads on them).
HANDLER_ROLES = (Role.OFFICER, Role.LEADER)
# Not shown to the public whatever is_public says: not yet through intake, or refused.
PUBLIC_HIDDEN_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.REJECTED)


def active_memberships(user):
    return Membership.objects.filter(user=user, is_active=True, agency__is_active=True)


def visible_reports_q(user):
    """A Q() for the reports `user` may see. Subqueries, not extra queries: it costs nothing to add."""
    public = models.Q(is_public=True, merged_into__isnull=True) & ~models.Q(status__in=PUBLIC_HIDDEN_STATUSES)
    if user is None or not user.is_authenticated:
        return public
    handles = models.Exists(
        active_memberships(user).filter(role__in=HANDLER_ROLES, agency_id=models.OuterRef("agency_id"))
    )
    operator = models.Exists(active_memberships(user).filter(role=Role.OPERATOR))
    return public | models.Q(reporter_id=user.pk) | models.Q(handles) | models.Q(operator)


class ReportQuerySet(models.QuerySet):
    def public(self):
        """What a visitor may see: public reports that passed intake and were not merged away."""
        return self.filter(is_public=True, merged_into__isnull=True).exclude(
            status__in=[ReportStatus.SUBMITTED, ReportStatus.REJECTED]
        )

    def visible_to(self, user):
        """Reports `user` may see (`visible_reports_q` has the rules)."""
        return self.filter(visible_reports_q(user))


class Report(models.Model):
    code = models.CharField(_("mã phản ánh"), max_length=20, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="reports", verbose_name=_("lĩnh vực"))
    urgency = models.ForeignKey(
        Urgency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("mức độ")
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    description = models.TextField(_("nội dung"), max_length=5000)
    search_key = models.TextField(editable=False)
    lat = models.FloatField(_("vĩ độ"), null=True, blank=True)
    lng = models.FloatField(_("kinh độ"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="reports", verbose_name=_("phường, xã")
    )
    is_public = models.BooleanField(_("công khai"), default=True)
    hide_identity = models.BooleanField(_("ẩn danh tính với cơ quan xử lý"), default=False)
    # Null once the reporter erased their account: the report stays, anonymised.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("người phản ánh"),
    )
    # A caller to 1022 may have no account: their name and phone are kept on the report.
    contact_name = models.CharField(_("họ tên người phản ánh"), max_length=150, blank=True)
    contact_phone = models.CharField(_("điện thoại người phản ánh"), max_length=16, blank=True)
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices, default=Channel.WEB)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    status = models.CharField(
        _("trạng thái"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED, db_index=True
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="reports", verbose_name=_("cơ quan xử lý")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_reports",
        verbose_name=_("cán bộ xử lý"),
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates", verbose_name=_("gộp vào")
    )
    # Routing state lives on the row, written with it: the sweeper finds what a lost message left behind.
    routed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    routing_attempts = models.PositiveSmallIntegerField(default=0)
    # When routing was last handed to the broker (on submit, then by the sweeper). NULL when that
    # failed (broker down): no message can still arrive, so the sweeper takes the report at once.
    routing_queued_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(_("thời điểm gửi"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Deadlines are computed once when the clock starts (working-day calendar); overdue is derived.
    accept_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    answer_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    follower_count = models.PositiveIntegerField(default=0)
    # Bumped on every state change; forms carry it so a stale screen cannot act twice.
    version = models.PositiveIntegerField(default=0)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "-created_at"], name="report_agency_queue"),
            models.Index(fields=["unit", "-created_at"], name="report_unit_feed"),
            models.Index(fields=["category", "-created_at"], name="report_category_feed"),
            # "Open reports nearby" looks up a small latitude band first (feedback.selectors.nearby_open).
            models.Index(fields=["lat", "lng"], name="report_point"),
            # The public feed filtered by status, newest first: closed reports are all weeks old, so
            # walking the newest reports to find them would read tens of thousands of rows.
            models.Index(fields=["status", "-created_at"], name="report_status_feed"),
            # Officer queues and the 1022 board list open reports by their running deadline
            # (feedback.deadlines): small partial indexes over the open rows only, read in order.
            models.Index(
                fields=["agency", "accept_due_at"], name="report_agency_accept_clock", condition=AGENCY_ACCEPT_CLOCK
            ),
            models.Index(fields=["accept_due_at"], name="report_accept_clock_city", condition=ACCEPT_CLOCK),
            models.Index(fields=["accept_due_at"], name="report_centre_clock", condition=CENTRE_ACCEPT_CLOCK),
            models.Index(fields=["agency", "answer_due_at"], name="report_answer_clock", condition=ANSWER_CLOCK),
            models.Index(fields=["answer_due_at"], name="report_answer_clock_city", condition=ANSWER_CLOCK),
            # The feed's ward + "being handled" filter, newest first: the open reports are the newest,
            # but two bitmaps (the ward's, the statuses') read every one of both to sort them.
            models.Index(fields=["unit", "-created_at", "-id"], name="report_open_unit_feed", condition=OPEN_REPORTS),
        ]
        verbose_name = _("phản ánh")
        verbose_name_plural = _("phản ánh")

    def __str__(self):
        return f"{self.code} {self.title}"

    def save(self, *args, **kwargs):
        self.search_key = search_key(f"{self.title} {self.description} {self.address} {self.code}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("feedback:detail", args=[self.code])

    def get_status_display(self):
        return choice_label(ReportStatus, self.status)


class ReportCodeCounter(models.Model):
    """The last tracking-code number handed out in a year (PA-2026-000123 is number 123 of 2026).

    One row per year, incremented under its row lock in a short transaction of its own
    (feedback.services.next_report_code), so two parallel submissions never get the same number.
    A submission that fails after taking a number leaves a gap; codes are unique, not gapless.
    """

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class PhotoKind(models.TextChoices):
    REPORT = "report", _("Ảnh phản ánh")
    ANSWER = "answer", _("Ảnh trả lời")


class ReportPhoto(models.Model):
    """A re-encoded photo (no metadata); the original upload is never stored."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(max_length=8, choices=PhotoKind.choices, default=PhotoKind.REPORT)
    answer = models.ForeignKey("Answer", on_delete=models.CASCADE, null=True, blank=True, related_name="photos")
    image = models.ImageField(upload_to="reports/%Y/%m/", width_field="width", height_field="height")
    thumbnail = models.ImageField(upload_to="reports/%Y/%m/thumbs/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)
    is_hidden = models.BooleanField(_("ẩn khỏi công khai"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh")

    def __str__(self):
        return f"{self.report_id}/{self.position}"


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Đã gửi phản ánh")
    RECEIVED = "received", _("Đã tiếp nhận")
    ROUTED = "routed", _("Chuyển cơ quan xử lý")
    TRIAGE = "triage", _("Chuyển Trung tâm 1022 phân loại")
    ACCEPTED = "accepted", _("Cơ quan nhận xử lý")
    ASSIGNED_OFFICER = "assigned_officer", _("Giao cán bộ xử lý")
    NOTE = "note", _("Ghi chú nội bộ")
    ANSWER_DRAFTED = "answer_drafted", _("Soạn trả lời")
    ANSWER_APPROVED = "answer_approved", _("Duyệt trả lời")
    ANSWER_SENT_BACK = "answer_sent_back", _("Trả lời bị yêu cầu sửa")
    ANSWERED = "answered", _("Đã trả lời")
    REJECTED = "rejected", _("Không tiếp nhận")
    RETURNED = "returned", _("Trả lại 1022")
    TRANSFERRED = "transferred", _("Chuyển cơ quan khác")
    MERGED = "merged", _("Gộp phản ánh trùng")
    RECATEGORISED = "recategorised", _("Sửa lĩnh vực, địa điểm")
    REDACTED = "redacted", _("Biên tập nội dung")
    RATED = "rated", _("Đánh giá")
    REOPENED = "reopened", _("Mở lại")
    CLOSED = "closed", _("Đóng")


class ReportEvent(models.Model):
    """One step of a report's life: who, when, what, why. `is_public` steps show on the public timeline."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    from_status = models.CharField(max_length=12, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ReportStatus.choices, blank=True)
    message = models.TextField(blank=True)
    is_public = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Set by the notification task when it claims the event (feedback.services.notify_event), so a
    # redelivered task or the sweeper never notifies twice.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the sweeper last queued the notification task again (the first message left on commit,
    # at created_at): it waits a minute before queueing it once more.
    notify_queued_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at"], condition=models.Q(notified_at__isnull=True), name="event_not_notified"
            ),
        ]
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")

    def __str__(self):
        return f"{self.report.code}: {self.get_kind_display()}"

    def get_kind_display(self):
        return choice_label(EventKind, self.kind)


class AnswerStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PENDING = "pending", _("Chờ lãnh đạo duyệt")
    PUBLISHED = "published", _("Đã công bố")
    SENT_BACK = "sent_back", _("Yêu cầu sửa")


class Answer(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="answers")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("nội dung trả lời"), max_length=10000)
    status = models.CharField(max_length=10, choices=AnswerStatus.choices, default=AnswerStatus.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("trả lời")
        verbose_name_plural = _("trả lời")

    def __str__(self):
        return f"{self.report_id}: {self.get_status_display()}"

    def get_status_display(self):
        return choice_label(AnswerStatus, self.status)


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    UNSATISFIED = "unsatisfied", _("Không hài lòng")


class Rating(models.Model):
    """The reporter's rating of the published answer; one per answer."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="ratings")
    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="rating")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    score = models.CharField(_("mức độ hài lòng"), max_length=16, choices=Satisfaction.choices)
    comment = models.TextField(_("nhận xét"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")

    def __str__(self):
        return self.get_score_display()


class Follow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_reports")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "report"], name="unique_follow")]

    def __str__(self):
        return f"{self.user_id} → {self.report_id}"


class AnswerTemplate(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    title = models.CharField(_("tên mẫu"), max_length=150)
    body = models.TextField(_("nội dung"))

    class Meta:
        ordering = ["title"]
        verbose_name = _("mẫu trả lời")
        verbose_name_plural = _("mẫu trả lời")

    def __str__(self):
        return self.title


# Open311's client keys and tokens, in a module of their own; importing them here makes them feedback's.
from .open311_models import Open311Key, Open311Token  # noqa: E402, F401
