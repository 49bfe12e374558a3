from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def key_of(obj):
    """The source or target key of a model instance: "app_label.model:pk" (e.g. "feedback.report:12")."""
    return f"{obj._meta.label_lower}:{obj.pk}"


class NoticeQuerySet(models.QuerySet):
    def about(self, obj):
        """Notices whose object is `obj` (the thing the notice links to)."""
        return self.filter(target=key_of(obj))

    def from_source(self, obj):
        """Notices that `obj` (the state that asked for them, e.g. a report event) created."""
        return self.filter(source=key_of(obj))

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """Something the portal told one person: an in-site notice and, where asked, its SMS.

    To a person with an account (`user`), or, for someone who asked by phone without one (a 1022
    caller, a dossier filed without an account), to `phone` only: then it is an SMS and nothing else.
    The row is the outbox of its SMS: `sms_queued_at` says an SMS is wanted, `sms_sent_at` is the
    sender's claim, written in the same transaction as the `sms` message it created.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="notices"
    )
    phone = models.CharField(max_length=16, blank=True)
    # Which feature speaks ("feedback.report", "feedback.reminder", ...): lets a page group or filter.
    kind = models.CharField(max_length=40)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    # The object the notice is about, as a key ("feedback.report:12"), like `source`: a key, not a
    # foreign key to ContentType, so no process holds an id that a flushed table could change.
    target = models.CharField(max_length=80, blank=True)
    # The state that asked for the notice ("feedback.reportevent:42"), one notice per person each.
    source = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    sms_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    sms_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    sms = models.OneToOneField(
        "citizens.OutboundSms", on_delete=models.SET_NULL, null=True, blank=True, related_name="notice"
    )
    # The push message's outbox (notices.push), as for the SMS: queued when the person has a push
    # subscription, claimed by the sender once.
    push_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    push_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notice_user_recent"),
            models.Index(fields=["target"], name="notice_target"),
            models.Index(
                fields=["sms_queued_at"],
                condition=Q(sms_sent_at__isnull=True, sms_queued_at__isnull=False),
                name="notice_sms_unsent",
            ),
            models.Index(
                fields=["push_queued_at"],
                condition=Q(push_sent_at__isnull=True, push_queued_at__isnull=False),
                name="notice_push_unsent",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "source"], condition=~Q(source="") & Q(user__isnull=False), name="notice_once_per_user"
            ),
            models.UniqueConstraint(
                fields=["phone", "source"], condition=~Q(source="") & Q(user__isnull=True), name="notice_once_per_phone"
            ),
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(phone=""), name="notice_has_recipient"),
        ]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return self.url


class PushSubscription(models.Model):
    """One browser of one person that accepted Web Push: where the push service takes its messages.

    `endpoint` is the push service's address for that browser (kept only when its host is on
    WEBPUSH_ALLOWED_HOSTS: the portal posts to it); `p256dh` and `auth` are the browser's keys that
    encrypt each message, so the push service cannot read it. A 404 or 410 from the push service
    means the browser dropped it: the row is deleted (notices.push).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.CharField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    # What the person sees in their data export to tell their phones apart ("Android, Chrome").
    device = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đăng ký nhận thông báo đẩy")
        verbose_name_plural = _("đăng ký nhận thông báo đẩy")

    def __str__(self):
        return self.device or str(self.pk)

    def info(self):
        """The subscription as pywebpush takes it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
