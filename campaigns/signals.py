"""Fresh figures after a registration: a resident's profile saved or deleted, or their account's
phone verified, changed or switched off, recounts what they count in (campaigns.tallies: their
group, workplace and helper) and drops the cached figures of their ward and group, so the
campaign page and the home panel move at once. A sign-in recounts the person's group (the 30-day
sign-in figure)."""

from django.core.cache import cache
from django.db import transaction

from . import figures, tallies
from .home import group_key


def _forget(ward_id, group_id):
    figures.forget_ward(ward_id)
    if group_id:
        cache.delete(group_key(group_id))


def _recount(people, phones=(), helpers=()):
    """After the commit: recount, then drop the cached figures of every ward and group touched."""
    people = {person for person in people if person[0] or person[2]}
    phones = [phone for phone in phones if phone]
    helpers = {(ward, code) for ward, code in helpers if ward and code}
    if not people and not phones and not helpers:
        return

    def run():
        tallies.refresh_people(people, phones, helpers)
        for ward, group, _key in people:
            _forget(ward, group)

    # Robust: a recount that fails is logged, never the sign-in or the profile save that asked for
    # it (the counts older than a day are recounted on read, and every night).
    transaction.on_commit(run, robust=True)


FIELDS = ("ward_id", "residential_group_id", "workplace_key", "referral_code")


def _where(profile):
    return (profile.ward_id, profile.residential_group_id, profile.workplace_key)


def _helped(rows):
    """(ward, referral code) of profiles' rows (FIELDS)."""
    return [(ward, code) for ward, _group, _key, code in rows]


def profile_before_save(sender, instance, **kwargs):
    # A move from one group (or workplace, or helper) to another recounts the one left too.
    instance._campaign_before = None
    if instance.pk:
        from citizens.models import Profile

        instance._campaign_before = Profile.objects.filter(pk=instance.pk).values_list(*FIELDS).first()


def profile_saved(sender, instance, **kwargs):
    before = getattr(instance, "_campaign_before", None)
    now = (*_where(instance), instance.referral_code)
    rows = [now, *([before] if before else [])]
    _recount([row[:3] for row in rows], helpers=_helped(rows))


def profile_deleted(sender, instance, **kwargs):
    _recount([_where(instance)], helpers=[(instance.ward_id, instance.referral_code)])


def user_saved(sender, instance, update_fields=None, **kwargs):
    # A sign-in saves last_login only (user_signed_in recounts); anything else changes no figure.
    if update_fields is not None and not {"phone_verified", "is_active", "phone"} & set(update_fields):
        return
    from citizens.models import Profile

    rows = list(Profile.objects.filter(user_id=instance.pk).values_list(*FIELDS))
    _recount([row[:3] for row in rows], [instance.phone], helpers=_helped(rows))


def user_deleted(sender, instance, **kwargs):
    # The profile's own delete recounts its group; the rosters that list the phone are left.
    _recount([], [instance.phone])


def user_signed_in(sender, user, **kwargs):
    from citizens.models import Profile

    rows = Profile.objects.filter(user_id=user.pk, residential_group__isnull=False).values_list(
        "ward_id", "residential_group_id"
    )
    _recount([(ward, group, "") for ward, group in rows])


def group_changed(sender, instance, **kwargs):
    """A group added, deleted or its survey edited: after the commit, its unit's total (the city
    page's row: campaigns.tallies.refresh_total), and the cached figures dropped."""
    unit_code = instance.unit_id

    def run():
        from government.models import AdministrativeUnit

        if AdministrativeUnit.objects.filter(code=unit_code).exists():  # not a unit being deleted
            tallies.refresh_total(unit_code)
        figures.forget_ward(unit_code)

    transaction.on_commit(run, robust=True)
