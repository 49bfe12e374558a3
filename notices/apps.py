from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("Thông báo")

    def ready(self):
        from citizens.signals import personal_data_requested

        from . import privacy

        personal_data_requested.connect(privacy.export_sections, dispatch_uid="notices-export")
