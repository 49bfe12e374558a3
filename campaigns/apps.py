"""The ward's install campaign: households covered per residential group, the official lists."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Chiến dịch cài đặt ứng dụng")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

        from citizens.models import Profile
        from government import desk
        from government.models import ResidentialGroup
        from smarthp import home

        from . import desk as campaign_desk
        from . import home as campaign_home
        from . import reads, signals
        from .models import Campaign, Deadline

        desk.register("campaigns", roles=campaign_desk.ROLES, sections=campaign_desk.sections, nav=campaign_desk.nav)
        home.register("campaigns", campaign_home.panel, order=40)
        pre_save.connect(signals.profile_before_save, sender=Profile, dispatch_uid="campaigns-profile-before")
        post_save.connect(signals.profile_saved, sender=Profile, dispatch_uid="campaigns-profile")
        post_delete.connect(signals.profile_deleted, sender=Profile, dispatch_uid="campaigns-profile-deleted")
        post_save.connect(signals.user_saved, sender=get_user_model(), dispatch_uid="campaigns-user")
        post_delete.connect(signals.user_deleted, sender=get_user_model(), dispatch_uid="campaigns-user-deleted")
        user_logged_in.connect(signals.user_signed_in, dispatch_uid="campaigns-signed-in")
        post_save.connect(signals.group_changed, sender=ResidentialGroup, dispatch_uid="campaigns-group")
        post_delete.connect(signals.group_changed, sender=ResidentialGroup, dispatch_uid="campaigns-group-deleted")
        # The campaign in force and its deadlines are memoised under a version (campaigns.reads).
        for model in (Campaign, Deadline):
            post_save.connect(reads.campaign_changed, sender=model, dispatch_uid=f"campaigns-version-{model.__name__}")
            post_delete.connect(
                reads.campaign_changed, sender=model, dispatch_uid=f"campaigns-version-{model.__name__}-deleted"
            )
        units = Campaign.units.through
        m2m_changed.connect(reads.campaign_changed, sender=units, dispatch_uid="campaigns-version-units")
