"""When things happen: the period the demo covers, and when its reports are filed."""

import datetime as dt
import math

from django.utils import timezone

DAYS = 183
STALL_DAYS = 30

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def filed_at(rng, now):
    """A moment in the past DAYS days, more of them lately (more citizens use the portal every month)."""
    # Density growing as 1 + 4x from DAYS ago (x = 0) to now (x = 1): the inverse of its distribution.
    x = (-1 + math.sqrt(1 + 24 * rng.random())) / 4
    return now - DAY * DAYS * (1 - x) - dt.timedelta(minutes=10)


def fresh_window(now):
    """Where the current month's quick fixes are filed, and how fast their lives run (1: normal)."""
    local = timezone.localtime(now)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    start = max(month_start, now - 2 * DAY)
    return start, min(1.0, (now - start) / (2 * DAY))
