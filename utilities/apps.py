from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UtilitiesConfig(AppConfig):
    name = "utilities"
    verbose_name = _("Tiện ích")

    def ready(self):
        from government import desk as officer_desk

        from . import desk

        # The officer desk (/can-bo/) and the navigation bar: editors' places and citizens' reports.
        officer_desk.register("utilities", roles=desk.ROLES, sections=desk.sections, nav=desk.nav)
