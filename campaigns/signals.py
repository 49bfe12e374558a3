"""Fresh figures after a registration: a resident's profile saved (or their phone verified) drops
the cached figures of their ward and group, so the campaign page and the home panel move at once."""

from django.core.cache import cache
from django.db import transaction

from . import figures
from .home import group_key


def _forget(ward_id, group_id):
    figures.forget_ward(ward_id)
    if group_id:
        cache.delete(group_key(group_id))


def profile_saved(sender, instance, **kwargs):
    if instance.ward_id:
        ward_id, group_id = instance.ward_id, instance.residential_group_id
        transaction.on_commit(lambda: _forget(ward_id, group_id))


def user_saved(sender, instance, update_fields=None, **kwargs):
    # A sign-in saves last_login only: that changes no figure worth a query here.
    if update_fields is not None and "phone_verified" not in update_fields and "is_active" not in update_fields:
        return
    from citizens.models import Profile

    row = Profile.objects.filter(user_id=instance.pk).values("ward_id", "residential_group_id").first()
    if row and row["ward_id"]:
        transaction.on_commit(lambda: _forget(row["ward_id"], row["residential_group_id"]))
