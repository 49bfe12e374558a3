"""PAKN's panel of the home page (smarthp.home): my reports that moved lately.

One query: the latest public steps of the signed-in person's reports taken by someone else (an
agency accepted, answered, transferred...) in the last PAKN_HOME_DAYS days, one line per report.
Nothing for a visitor, nor for someone none of whose reports moved.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from smarthp import home as home_panels
from smarthp.home import Panel

from .models import EventKind, ReportEvent

# Steps the reporter did themselves, or that say nothing new about where the report stands.
QUIET_KINDS = (EventKind.SUBMITTED, EventKind.RATED, EventKind.NOTE, EventKind.ANSWER_DRAFTED, EventKind.REDACTED)
SHOWN = 5


def panel(request):
    user = request.user
    if not user.is_authenticated:
        return None
    days = getattr(settings, "PAKN_HOME_DAYS", 14)
    since = timezone.now() - datetime.timedelta(days=days)
    events = (
        ReportEvent.objects.filter(report__reporter=user, is_public=True, created_at__gte=since)
        .exclude(kind__in=QUIET_KINDS)
        .exclude(actor=user)
        .select_related("report")
        .only("kind", "created_at", "report__code", "report__title", "report__status")
        .order_by("-created_at", "-id")[:30]
    )
    moved = {}
    for event in events:
        if event.report.code not in moved:
            moved[event.report.code] = event
        if len(moved) == SHOWN:
            break
    if not moved:
        return None
    return Panel("feedback/_home_moved.html", {"events": list(moved.values())})


def register_panel():
    home_panels.register("feedback", panel, order=10)
