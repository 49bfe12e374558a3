"""The home page's panel (smarthp.home): "Tổ dân phố 2: 41 / 60 hộ", and the citizen's own referral
code (their phone number) to help a neighbour sign up.

The profile and its group come from the home page's one read of the profile
(smarthp.home.profile_row); the group's figure is kept in the cache for CAMPAIGN_FIGURES_SECONDS
(dropped when a resident saves their profile), and a miss reads the group's kept count
(campaigns.tallies): one query.
"""

from dataclasses import dataclass

from django.core.cache import cache

from citizens.phones import display_phone
from smarthp import home
from smarthp.home import Panel
from smarthp.sql import Compiled, text_marker

from . import figures, tallies
from .models import Tally


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


# Compiled once (smarthp.sql): the ORM took longer to build this one-row read than to run it.
_covered = Compiled(
    lambda unit, key: Tally.objects.filter(unit_id=unit, key=key).order_by("pk").values_list("covered")[:1],
    unit=text_marker("unit"),
    key=text_marker("key"),
)


def _kept_covered(ward_id, group_id):
    found = _covered.run(unit=ward_id, key=tallies.group_key(group_id))
    return found[0][0] if found else None


def group_covered(group_id, ward_id):
    key = group_key(group_id)
    found = cache.get(key)
    if found is not None:
        return found
    covered = _kept_covered(ward_id, group_id)
    if covered is None:  # not counted yet (a group added since the last recount)
        tallies.refresh_groups(ward_id, [group_id])
        covered = _kept_covered(ward_id, group_id) or 0
    cache.set(key, covered, figures.figures_seconds() or 1)
    return covered


def group_progress(request):
    row = home.profile_row(request)
    if row is None or row["residential_group_id"] is None:
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
