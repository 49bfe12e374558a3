"""Reads of publicservices, scoped to the person asking."""

from government.access import memberships_of
from government.models import Role

from .models import Dossier, DossierEvent, DossierFile, EventKind, Procedure

HANDLER_ROLES = frozenset({Role.OFFICER, Role.LEADER})


def procedures(*, query="", field=None, level="", agency=None, online=False):
    rows = Procedure.objects.published().select_related("field", "agency")
    if query:
        rows = rows.search(query)
    if field:
        rows = rows.filter(field__slug=field)
    if level:
        rows = rows.filter(level=level)
    if agency:
        rows = rows.filter(agency__slug=agency)
    if online:
        rows = rows.filter(online=True).exclude(online_level="none")
    return rows


def dossiers_of(user):
    """The signed-in applicant's own dossiers."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    return Dossier.objects.filter(applicant=user).select_related("procedure", "agency")


def handling_agency_ids(memberships):
    return sorted({m.agency_id for m in memberships if m.role in HANDLER_ROLES})


def led_agency_ids(memberships):
    return sorted({m.agency_id for m in memberships if m.role == Role.LEADER})


def officer_dossiers(memberships):
    """The dossiers received by the agencies where this person is an officer or a leader."""
    return Dossier.objects.filter(agency_id__in=handling_agency_ids(memberships))


def officer_holds(user, dossier, memberships=None):
    """Whether `user` is an officer or leader of the dossier's receiving agency."""
    if not user.is_authenticated:
        return False
    if memberships is None:
        memberships = memberships_of(user)
    return dossier.agency_id in handling_agency_ids(memberships)


def timeline(dossier):
    return list(DossierEvent.objects.filter(dossier=dossier).order_by("at", "pk"))


def files_of(dossier):
    return list(DossierFile.objects.filter(dossier=dossier).select_related("document"))


def last_event(events, kind):
    matching = [event for event in events if event.kind == kind]
    return matching[-1] if matching else None


def supplement_request(events):
    return last_event(events, EventKind.SUPPLEMENT_ASKED)
