"""The world every life is lived against, read once: categories, wards, agencies, routing, officers, calendar."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from government import calendar
from government.models import AdministrativeUnit, Agency, AgencyKind

from .. import deadlines
from ..models import Category, TimeUnit, Urgency
from .content import TRIAGED_TO, WARDS
from .timeline import DAYS


class World:
    """What every life reads, read once: categories, policies, agencies, people."""

    def __init__(self, now):
        self.now = now
        self.categories = {category.slug: category for category in Category.objects.select_related("parent")}
        self.units = {
            unit.code: unit
            for unit in AdministrativeUnit.objects.filter(code__in=WARDS).only("code", "seat_lat", "seat_lng")
        }
        self.agencies = {agency.slug: agency for agency in Agency.objects.all()}
        self.hotline = next((a for a in self.agencies.values() if a.kind == AgencyKind.HOTLINE), None)
        self.urgent = Urgency.objects.filter(slug="khan").first()
        from .. import demo

        self.city_wide = {
            slug: agency for _s, _n, _p, children in demo.CATEGORIES for slug, _name, agency in children if agency
        }
        self.ward_routed = set(demo.WARD_ROUTED)
        users = get_user_model().objects.filter(username__in=["canbo.lechan", "lanhdao.lechan", "dieuphoi.1022"])
        users = {user.username: user for user in users}
        self.officer, self.leader, self.operator = (
            users.get(name) for name in ("canbo.lechan", "lanhdao.lechan", "dieuphoi.1022")
        )
        self._policies = {}
        today = timezone.localdate(now)
        self.calendar = calendar.WorkingCalendar(today - dt.timedelta(days=DAYS + 10), today + dt.timedelta(days=90))

    def top(self, category):
        return category.parent or category

    def rule_agency(self, category, unit_code):
        """The agency the demo's routing rules give (feedback.demo.load_routing), or None: 1022."""
        if category.slug in self.city_wide:
            return self.agencies.get(self.city_wide[category.slug])
        if self.top(category).slug in self.ward_routed:
            return self.agencies.get(f"ubnd-{unit_code}")
        return None

    def triage_target(self, category, unit_code):
        return self.agencies.get(TRIAGED_TO.get(category.slug, f"ubnd-{unit_code}"))

    def due_after(self, start, amount, unit):
        """deadlines.due_after, with the calendar read once for the whole period (a query per clock
        made loading take seconds); tests/feedback/test_demo.py checks both agree on every report."""
        if unit != TimeUnit.WORKING_DAYS:
            return deadlines.due_after(start, amount, unit)
        day = timezone.localtime(start).date()
        if amount <= 0:
            return deadlines.due_after(start, amount, unit)
        while amount:
            day += dt.timedelta(days=1)
            amount -= self.calendar.is_working_day(day)
        return deadlines._office_close(day)  # the same close of office hours as every deadline

    def policy(self, report):
        key = (report.category_id, report.urgency_id)
        if key not in self._policies:
            self._policies[key] = deadlines.policy_for(report)
        return self._policies[key]

    def handlers(self, agency):
        """(officer, leader) acting for the agency: the demo's own for Lê Chân, nobody named elsewhere."""
        if agency is not None and agency.slug == "ubnd-11383":
            return self.officer, self.leader
        return None, None
