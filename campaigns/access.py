"""Who sees what of the campaign, from the officer's memberships (request.memberships).

- ward staff (Role.WARD_STAFF in a ward committee): their ward, names included;
- leaders of a ward committee: their ward's figures and the log of exports (not the lists);
- city staff (Role.CITY_STAFF): every unit's figures, never names.
Anything else is a 404 (government.access.officer_required turns citizens away first).
"""

import functools
from dataclasses import dataclass

from django.http import Http404

from government.access import officer_required
from government.models import AgencyKind, Role


@dataclass(frozen=True)
class CampaignAccess:
    ward_units: frozenset  # names and lists
    leader_units: frozenset  # figures and the export log
    is_city: bool

    @property
    def any(self):
        return bool(self.ward_units or self.leader_units or self.is_city)

    def sees_figures(self, code):
        return self.is_city or code in self.ward_units or code in self.leader_units

    def sees_names(self, code):
        return code in self.ward_units

    def sees_log(self, code):
        return code in self.ward_units or code in self.leader_units


def access_of(memberships):
    ward, leader, city = set(), set(), False
    for membership in memberships:
        agency = membership.agency
        if membership.role == Role.CITY_STAFF:
            city = True
        elif agency.kind == AgencyKind.WARD_COMMITTEE and agency.unit_id:
            if membership.role == Role.WARD_STAFF:
                ward.add(agency.unit_id)
            elif membership.role == Role.LEADER:
                leader.add(agency.unit_id)
    return CampaignAccess(frozenset(ward), frozenset(leader), city)


def campaign_required(view):
    """An officer page of the campaign: sets request.campaign_access; 404 for anyone it serves nothing."""

    @officer_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.campaign_access = access_of(request.memberships)
        if not request.campaign_access.any:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def check_access(access, code, need="figures"):
    """404 unless the officer (their CampaignAccess) may see the unit's `need` ("figures", "names",
    "log")."""
    allowed = {"figures": access.sees_figures, "names": access.sees_names, "log": access.sees_log}[need]
    if not allowed(code):
        raise Http404


def unit_for(request, code, *, need="figures"):
    """The unit `code` if this officer may see its `need` ("figures", "names", "log"), else 404."""
    check_access(request.campaign_access, code, need)
    from .reads import unit

    found = unit(code)  # as AdministrativeUnit.objects.only("code", "name", "kind"), its SQL compiled once
    if found is None:
        raise Http404
    return found
