"""Who may see and work which PAKN report on the officer site.

- Officers (cán bộ xử lý) and leaders (lãnh đạo) see and work the reports of their own agency.
- Leaders alone assign reports to officers and approve answers.
- 1022 operators (điều phối viên) see every report: they triage, route and correct.
- A report whose reporter asked to hide their identity shows the handling agency no name or phone;
  the 1022 centre, which may have to call them back, still sees them.

Anything else is a 404 (never a 403 that confirms the report exists).
"""

from collections import defaultdict

from django.http import Http404

from government.access import memberships_of
from government.models import Role

from .models import Report

HANDLER_ROLES = frozenset({Role.OFFICER, Role.LEADER})


class PaknRoles:
    """A person's PAKN roles, from their active memberships (read once per request)."""

    def __init__(self, memberships):
        self.by_agency = defaultdict(set)
        self.agencies = {}
        for membership in memberships:
            self.by_agency[membership.agency_id].add(membership.role)
            self.agencies[membership.agency_id] = membership.agency

    @property
    def is_operator(self):
        return any(Role.OPERATOR in roles for roles in self.by_agency.values())

    @property
    def handling_agency_ids(self):
        return sorted(agency_id for agency_id, roles in self.by_agency.items() if roles & HANDLER_ROLES)

    @property
    def handling_agencies(self):
        return [self.agencies[agency_id] for agency_id in self.handling_agency_ids]

    @property
    def led_agency_ids(self):
        return sorted(agency_id for agency_id, roles in self.by_agency.items() if Role.LEADER in roles)

    @property
    def works_pakn(self):
        return self.is_operator or bool(self.handling_agency_ids)

    def works_at(self, agency_id):
        return agency_id is not None and bool(self.by_agency.get(agency_id, set()) & HANDLER_ROLES)

    def leads(self, agency_id):
        return agency_id is not None and Role.LEADER in self.by_agency.get(agency_id, set())

    def can_see(self, report):
        return self.is_operator or self.works_at(report.agency_id)

    def sees_identity(self, report):
        return self.is_operator or not report.hide_identity


def roles_for(user, memberships=None):
    """PaknRoles of `user`; pass `request.memberships` (set by officer_required) to save a query."""
    if memberships is None:
        memberships = memberships_of(user)
    return PaknRoles(memberships)


def reports_for(roles):
    """The reports these roles may see on the officer site."""
    if roles.is_operator:
        return Report.objects.all()
    return Report.objects.filter(agency_id__in=roles.handling_agency_ids)


def get_report_or_404(roles, code, queryset=None):
    """The report with this tracking code if these roles may see it; otherwise a 404."""
    queryset = queryset if queryset is not None else reports_for(roles)
    report = queryset.filter(code=code).first()
    if report is None:
        raise Http404
    return report
