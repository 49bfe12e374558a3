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
