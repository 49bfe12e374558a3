from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernmentConfig(AppConfig):
    name = "government"
    verbose_name = _("Chính quyền")

    def ready(self):
        from . import signals  # noqa: F401
