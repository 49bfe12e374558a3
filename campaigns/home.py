"""The home page's panel (smarthp.home): "Tổ dân phố 2: 41 / 60 hộ", and the citizen's own referral
code (their phone number) to help a neighbour sign up.

One query for the profile and its group; the group's figure is kept in the cache for
CAMPAIGN_FIGURES_SECONDS (dropped when a resident saves their profile), so a miss costs two more.
"""

from dataclasses import dataclass

from django.core.cache import cache

from citizens.models import Profile
from citizens.phones import display_phone
from smarthp.home import Panel

from . import figures
from .models import Household


@dataclass(frozen=True)
class Progress:
    group_name: str
    covered: int
    smartphone_households: int | None
    referral_code: str

    @property
    def rate(self):
        return figures.rate(self.covered, self.smartphone_households)


def group_key(group_id):
    return f"campaigns:group:{group_id}"


def group_covered(group_id, ward_id):
    key = group_key(group_id)
    found = cache.get(key)
    if found is not None:
        return found
    rosters = figures.roster_counts(Household.objects.filter(group_id=group_id))
    if group_id in rosters:
        covered = rosters[group_id][1]
    else:
        counts = figures.group_counts(
            figures.verified_profiles().filter(ward_id=ward_id, residential_group_id=group_id)
        )
        covered = counts.get(group_id, (0, 0, 0))[1]
    cache.set(key, covered, figures.figures_seconds() or 1)
    return covered


def group_progress(request):
    if not request.user.is_authenticated:
        return None
    row = (
        Profile.objects.filter(user=request.user, residential_group__isnull=False)
        .values(
            "residential_group_id", "ward_id", "residential_group__name", "residential_group__smartphone_households"
        )
        .first()
    )
    if row is None:
        return None
    return Progress(
        group_name=row["residential_group__name"],
        covered=group_covered(row["residential_group_id"], row["ward_id"]),
        smartphone_households=row["residential_group__smartphone_households"],
        referral_code=display_phone(request.user.phone) if request.user.phone_verified else "",
    )


def panel(request):
    progress = group_progress(request)
    if progress is None:
        return None
    return Panel("campaigns/_home_panel.html", {"progress": progress})
