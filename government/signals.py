"""A change of a unit's boundary or seat bumps GeoDataVersion, which every process's point-in-ward
index (government.geo) compares against."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import AdministrativeUnit, GeoDataVersion

GEO_FIELDS = {"boundary", "seat_lat", "seat_lng"}


@receiver(post_save, sender=AdministrativeUnit, dispatch_uid="government.geo_version_on_save")
def unit_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    # A save limited to other fields (a rename) leaves the map as it was.
    if created or update_fields is None or GEO_FIELDS & set(update_fields):
        GeoDataVersion.bump()


@receiver(post_delete, sender=AdministrativeUnit, dispatch_uid="government.geo_version_on_delete")
def unit_deleted(sender, instance, **kwargs):
    GeoDataVersion.bump()
