"""The ward's install campaign: households covered per residential group, the official lists."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Chiến dịch cài đặt ứng dụng")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from citizens.models import Profile
        from government import desk
        from smarthp import home

        from . import desk as campaign_desk
        from . import home as campaign_home
        from . import signals

        desk.register("campaigns", roles=campaign_desk.ROLES, sections=campaign_desk.sections, nav=campaign_desk.nav)
        home.register("campaigns", campaign_home.panel, order=40)
        post_save.connect(signals.profile_saved, sender=Profile, dispatch_uid="campaigns-profile")
        post_save.connect(signals.user_saved, sender=get_user_model(), dispatch_uid="campaigns-user")
