"""Opening hours in OpenStreetMap's `opening_hours` syntax, read by the opening_hours library (the
Rust parser of the OSM community, not a hand-made one), evaluated in the city's time zone with
Vietnam's public holidays (so "PH off" works)."""

import datetime
import functools
import zoneinfo
from dataclasses import dataclass

import opening_hours
from django.conf import settings
from django.utils import timezone


class InvalidHours(ValueError):
    """The text is not valid opening_hours syntax."""


@dataclass(frozen=True)
class State:
    known: bool  # False: no hours given, or the hours say "unknown" now
    is_open: bool
    next_change: datetime.datetime | None  # in the city's time; None: never (24/7) or not known
    next_change_today: bool = False


UNKNOWN = State(known=False, is_open=False, next_change=None)


def city_zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@functools.lru_cache(maxsize=4096)
def _parse(text):
    # The same few strings come back on every page ("Mo-Su 07:00-22:00"): parse each once.
    return opening_hours.OpeningHours(text, timezone=city_zone(), country="VN")


def parse(text):
    """The parsed hours of `text`; raises InvalidHours when the library cannot read it."""
    text = (text or "").strip()
    try:
        return _parse(text)
    except (opening_hours.ParserError, SyntaxError, ValueError, TypeError) as exc:
        raise InvalidHours(text) from exc


def normalize(text):
    """`text` stripped, or raises InvalidHours. Empty stays empty (hours not known)."""
    text = " ".join((text or "").split())
    if text:
        parse(text)
    return text


def state(text, *, at=None):
    """Open or closed at `at` (default now), in the city's time."""
    if not text:
        return UNKNOWN
    try:
        parsed = parse(text)
    except InvalidHours:
        return UNKNOWN
    moment = (at or timezone.now()).astimezone(city_zone())
    if parsed.is_unknown(moment):
        return UNKNOWN
    change = parsed.next_change(moment)
    today = change is not None and change.astimezone(city_zone()).date() == moment.date()
    return State(known=True, is_open=parsed.is_open(moment), next_change=change, next_change_today=today)
