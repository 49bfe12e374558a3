"""The ward's install campaign: households covered per residential group, the official lists."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Chiến dịch cài đặt ứng dụng")
