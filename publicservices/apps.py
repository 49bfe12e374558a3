from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicServicesConfig(AppConfig):
    name = "publicservices"
    verbose_name = _("Dịch vụ công")

    def ready(self):
        from citizens.signals import account_erasing, personal_data_requested
        from government import desk as officer_desk
        from smarthp import home

        from . import desk, privacy

        # The officer desk (/can-bo/): the one-stop desk's queue per agency, and the leaders' figures.
        officer_desk.register("publicservices", roles=desk.ROLES, sections=desk.sections, nav=desk.nav)
        # The home page: the signed-in applicant's dossiers that moved lately.
        home.register("publicservices", desk.home_panel, order=30)
        # A citizen's export and erasure (citizens.services) include their dossiers.
        personal_data_requested.connect(privacy.export_sections, dispatch_uid="publicservices-export")
        account_erasing.connect(privacy.erase, dispatch_uid="publicservices-erase")
