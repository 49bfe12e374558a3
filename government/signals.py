"""Version numbers that other processes and sessions compare against:

- a change of a unit's boundary or seat bumps GeoDataVersion (every process's point-in-ward index);
- a change of a person's memberships or authenticators, or of an agency, bumps their officer access
  version (the access facts kept in their sessions, government.access).
"""

from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from .access import bump_access
from .models import AdministrativeUnit, Agency, GeoDataVersion, Membership

GEO_FIELDS = {"boundary", "seat_lat", "seat_lng"}


@receiver(post_save, sender=AdministrativeUnit, dispatch_uid="government.geo_version_on_save")
def unit_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    # A save limited to other fields (a rename) leaves the map as it was.
    if created or update_fields is None or GEO_FIELDS & set(update_fields):
        GeoDataVersion.bump()


@receiver(post_delete, sender=AdministrativeUnit, dispatch_uid="government.geo_version_on_delete")
def unit_deleted(sender, instance, **kwargs):
    GeoDataVersion.bump()


# --- Officer access facts (government.access): any change of a person's roles or second factor ----


@receiver(post_init, sender=Membership, dispatch_uid="government.access_membership_loaded")
def membership_loaded(sender, instance, **kwargs):
    # The person a membership belonged to when read: moving it to someone else changes both.
    instance._access_user_id = instance.__dict__.get("user_id")


@receiver(post_save, sender=Membership, dispatch_uid="government.access_membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="government.access_membership_deleted")
def membership_changed(sender, instance, **kwargs):
    bump_access(instance.user_id, getattr(instance, "_access_user_id", None))
    instance._access_user_id = instance.user_id


@receiver(post_save, sender=Agency, dispatch_uid="government.access_agency_saved")
def agency_saved(sender, instance, created, **kwargs):
    # Deactivating an agency closes the officer site to its members; a new name shows at once too.
    if not created:
        bump_access(*Membership.objects.filter(agency_id=instance.pk).values_list("user_id", flat=True))


def authenticator_changed(sender, instance, **kwargs):
    bump_access(instance.user_id)


def connect_authenticator_signals():
    from allauth.mfa.models import Authenticator

    post_save.connect(authenticator_changed, sender=Authenticator, dispatch_uid="government.access_mfa_saved")
    post_delete.connect(authenticator_changed, sender=Authenticator, dispatch_uid="government.access_mfa_deleted")


connect_authenticator_signals()
