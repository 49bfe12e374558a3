"""PAKN's panel of the home page (smarthp.home): my reports that moved lately.

One query: the latest public steps of the signed-in person's reports taken by someone else (an
agency accepted, answered, transferred...) in the last PAKN_HOME_DAYS days, one line per report.
Nothing for a visitor, nor for someone none of whose reports moved.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from smarthp import home as home_panels
from smarthp.home import Panel
from smarthp.sql import Compiled, aware, id_marker, moment_marker

from .models import EventKind, ReportEvent

# Steps the reporter did themselves, or that say nothing new about where the report stands.
QUIET_KINDS = (EventKind.SUBMITTED, EventKind.RATED, EventKind.NOTE, EventKind.ANSWER_DRAFTED, EventKind.REDACTED)
SHOWN = 5


def _moved(user, since):
    return (
        ReportEvent.objects.filter(report__reporter_id=user, is_public=True, created_at__gte=since)
        .exclude(kind__in=QUIET_KINDS)
        .exclude(actor_id=user)
        .order_by("-created_at", "-id")
        .values_list("report__code", "report__title", "kind", "created_at")[:30]
    )


# Compiled once (smarthp.sql): building it through the ORM cost more CPU than running it.
_moved_query = Compiled(_moved, user=id_marker(), since=moment_marker())


def panel(request):
    user = request.user
    if not user.is_authenticated:
        return None
    days = getattr(settings, "PAKN_HOME_DAYS", 14)
    since = timezone.now() - datetime.timedelta(days=days)
    labels = dict(EventKind.choices)
    moved = {}
    for code, title, kind, created_at in _moved_query.run(user=user.pk, since=since):
        if code not in moved:
            moved[code] = {
                "url": reverse("feedback:detail", args=[code]),
                "code": code,
                "title": title,
                "kind": labels.get(kind, kind),
                "created_at": aware(created_at),
            }
        if len(moved) == SHOWN:
            break
    if not moved:
        return None
    return Panel("feedback/_home_moved.html", {"events": list(moved.values())})


def register_panel():
    home_panels.register("feedback", panel, order=10)
