"""Helpers for the few queries the apps run on a raw cursor (their SQL compiled once per process)."""

import datetime

from django.utils import timezone


def aware(value):
    """A raw cursor's datetime as the ORM would give it: PostgreSQL's as it is, SQLite's UTC text
    parsed and made aware."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value
