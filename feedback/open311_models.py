"""Open311's write side: the keys administrators issue to client apps, and the tokens a POST answers
while its report waits to be routed. Imported by feedback.models, so they are models of `feedback`
(feedback.open311 uses them; the models do not import the API).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Open311Key(models.Model):
    """One client app's api_key. Only a SHA-256 of the key is kept (the key is long and random, so a
    slow hash would add nothing); the administrator sees the key once, when it is issued
    (feedback.open311.keys.issue_key). A revoked key is kept, with what it filed."""

    client_name = models.CharField(_("ứng dụng"), max_length=150)
    contact = models.CharField(_("liên hệ của bên phát triển"), max_length=200, blank=True)
    prefix = models.CharField(_("đầu khóa"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    requests_per_minute = models.PositiveIntegerField(
        _("số phản ánh tối đa mỗi phút"), default=30, help_text=_("Quá giới hạn, ứng dụng nhận lỗi 429.")
    )
    created_at = models.DateTimeField(_("thời điểm cấp"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người cấp"),
        editable=False,
    )
    revoked_at = models.DateTimeField(_("thời điểm thu hồi"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("lần dùng gần nhất"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("khóa API Open311")
        verbose_name_plural = _("khóa API Open311")

    def __str__(self):
        return f"{self.client_name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None


class Open311Token(models.Model):
    """What a POST answered while its report was not yet routed (GET tokens/<token>)."""

    token = models.CharField(max_length=32, unique=True)
    report = models.OneToOneField("feedback.Report", on_delete=models.CASCADE, related_name="open311_token")
    key = models.ForeignKey(Open311Key, on_delete=models.PROTECT, related_name="tokens", verbose_name=_("khóa"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiếu chờ Open311")
        verbose_name_plural = _("phiếu chờ Open311")

    def __str__(self):
        return self.token
