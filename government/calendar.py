"""The working-day calendar of Vietnamese state agencies, for deadlines.

A day is a working day unless it is a Saturday or Sunday or a public holiday. Three sources decide,
the first that speaks wins:

1. CalendarDay rows kept by administrators: DAY_OFF (an extra day off, e.g. a Tết bridge day) or
   WORKING_DAY (a weekend day worked to make up for one, or a holiday the city works);
2. the `holidays` package for Vietnam: public holidays, lunar Tết included, the substituted days off
   it knows, and the weekend days worked to make up for those (its `weekend_workdays`);
3. Saturday and Sunday are off.

Conventions (every function takes dates or timezone-aware datetimes; naive datetimes are refused,
since a deadline must not depend on the server's clock zone; datetimes are read in
Asia/Ho_Chi_Minh whatever settings.TIME_ZONE says):

* add_working_days(start, n): the nth working day after `start`, which itself does not count
  (a report received on Friday with 1 working day is due on Monday). n = 0 gives `start` back.
  For a datetime the result is a datetime at the same local time of day, in Asia/Ho_Chi_Minh
  (received Friday 16:00, 1 working day: due Monday 16:00), so a deadline never moves earlier
  in the day than its start.
* working_days_between(start, end): how many working days lie after `start` up to and including
  `end`; 0 when they are the same day; the negative of working_days_between(end, start) when `end`
  comes first. So working_days_between(due, today) > 0 means overdue by that many working days,
  and working_days_between(start, add_working_days(start, n)) == n.
* add_working_hours(start, hours) and working_hours_between(a, b) count only the office hours of
  settings.WORKING_HOURS on working days: time outside them (nights, lunch, weekends, holidays)
  does not pass. A result that ends exactly at the close of a period stays there (12:00, not 13:00).

Each call reads the CalendarDay rows of its whole range in one query. WorkingCalendar does the same
for callers with many questions about one period (e.g. the due dates of a page of reports).
"""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .models import CalendarDay, DayKind

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
ONE_DAY = dt.timedelta(days=1)
# Beyond the range asked for, how far a calendar reads ahead when a walk runs past it; wide enough
# that even a deadline crossing Tết needs one query.
READ_AHEAD_DAYS = 45


@lru_cache(maxsize=32)
def _public_calendar(year):
    """(days off, weekend days worked) of one year, from the holidays package. Pure, so cached."""
    vietnam = holidays.country_holidays("VN", years=year)
    days_off = frozenset(vietnam)
    worked = frozenset(day for day in getattr(vietnam, "weekend_workdays", ()) if day.year == year)
    return days_off, worked


class WorkingCalendar:
    """Answers for a period, with the administrators' CalendarDay rows read once.

    Asking about a day outside [first, last] reads the missing stretch (plus some days ahead) in one
    more query, so a walk past the end stays correct.
    """

    def __init__(self, first, last):
        if last < first:
            first, last = last, first
        self.first, self.last = first, last
        self._overrides = self._read(first, last)

    @staticmethod
    def _read(first, last):
        return dict(CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "kind"))

    def _cover(self, day):
        if day > self.last:
            last = day + dt.timedelta(days=READ_AHEAD_DAYS)
            self._overrides.update(self._read(self.last + ONE_DAY, last))
            self.last = last
        elif day < self.first:
            first = day - dt.timedelta(days=READ_AHEAD_DAYS)
            self._overrides.update(self._read(first, self.first - ONE_DAY))
            self.first = first

    def is_working_day(self, day):
        self._cover(day)
        kind = self._overrides.get(day)
        if kind == DayKind.WORKING_DAY:
            return True
        if kind == DayKind.DAY_OFF:
            return False
        days_off, worked = _public_calendar(day.year)
        if day in worked:
            return True
        if day in days_off:
            return False
        return day.weekday() < 5


def _local(value):
    if not isinstance(value, dt.datetime):
        return value
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("Naive datetime: pass a timezone-aware one (django.utils.timezone.now()).")
    return value.astimezone(VIETNAM)


def _day(value):
    value = _local(value)
    return value.date() if isinstance(value, dt.datetime) else value


def _days_for(working_days):
    """Calendar days that surely hold this many working days (weekends, Tết)."""
    return int(working_days * 2) + 21


def _periods():
    periods = [(dt.time(h1, m1), dt.time(h2, m2)) for h1, m1, h2, m2 in settings.WORKING_HOURS]
    if not periods or any(start >= end for start, end in periods):
        raise ImproperlyConfigured("WORKING_HOURS must list (start hour, minute, end hour, minute) periods.")
    return periods


def _office_periods(day, periods):
    for start, end in periods:
        yield (dt.datetime.combine(day, start, tzinfo=VIETNAM), dt.datetime.combine(day, end, tzinfo=VIETNAM))


def is_working_day(day):
    """Whether agencies work on this date (or on the local date of this aware datetime)."""
    day = _day(day)
    return WorkingCalendar(day, day).is_working_day(day)


def add_working_days(start, n):
    """The date (or, for a datetime, the same local time on the date) n working days after `start`."""
    if n < 0:
        raise ValueError("n must be zero or more.")
    local = _local(start)
    day = _day(start)
    calendar = WorkingCalendar(day, day + dt.timedelta(days=_days_for(n)))
    remaining = n
    while remaining:
        day += ONE_DAY
        if calendar.is_working_day(day):
            remaining -= 1
    if isinstance(local, dt.datetime):
        return dt.datetime.combine(day, local.time(), tzinfo=VIETNAM)
    return day


def working_days_between(start, end):
    """Working days after `start` up to and including `end`; negative when `end` is earlier."""
    first, last = _day(start), _day(end)
    sign = 1
    if last < first:
        first, last, sign = last, first, -1
    if first == last:
        return 0
    calendar = WorkingCalendar(first + ONE_DAY, last)
    count = 0
    day = first
    while day < last:
        day += ONE_DAY
        count += calendar.is_working_day(day)
    return sign * count


def _as_timedelta(hours):
    return hours if isinstance(hours, dt.timedelta) else dt.timedelta(hours=float(hours))


def add_working_hours(start, hours):
    """The moment when `hours` (a number or a timedelta) of office time have passed since `start`.

    `start` is an aware datetime; the result is in Asia/Ho_Chi_Minh. Starting outside office hours
    counts from the next opening.
    """
    if not isinstance(start, dt.datetime):
        raise TypeError("add_working_hours needs a datetime.")
    start = _local(start)
    remaining = _as_timedelta(hours)
    if remaining < dt.timedelta(0):
        raise ValueError("hours must be zero or more.")
    if not remaining:
        return start
    periods = _periods()
    day_length = sum(
        (dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, begin) for begin, end in periods),
        dt.timedelta(0),
    )
    day = start.date()
    calendar = WorkingCalendar(day, day + dt.timedelta(days=_days_for(remaining / day_length + 1)))
    while True:
        if calendar.is_working_day(day):
            for opening, closing in _office_periods(day, periods):
                if closing <= start:
                    continue
                begin = max(opening, start)
                available = closing - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += ONE_DAY


def working_hours_between(a, b):
    """Office hours (a float) between two aware datetimes; negative when `b` is earlier than `a`."""
    if not (isinstance(a, dt.datetime) and isinstance(b, dt.datetime)):
        raise TypeError("working_hours_between needs two datetimes.")
    a, b = _local(a), _local(b)
    sign = 1
    if b < a:
        a, b, sign = b, a, -1
    periods = _periods()
    calendar = WorkingCalendar(a.date(), b.date())
    total = dt.timedelta(0)
    day = a.date()
    while day <= b.date():
        if calendar.is_working_day(day):
            for opening, closing in _office_periods(day, periods):
                overlap = min(closing, b) - max(opening, a)
                if overlap > dt.timedelta(0):
                    total += overlap
        day += ONE_DAY
    return sign * total.total_seconds() / 3600
