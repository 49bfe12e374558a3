"""Helpers for the citizens tests: reading codes from the recorded SMS, signing up and in."""

import re

import pytest
from django.urls import reverse

from citizens.models import OutboundSms

PHONE = "+84912345678"


def last_sms(phone=PHONE):
    return OutboundSms.objects.filter(phone=phone).order_by("-created_at", "-id").first()


def last_code(phone=PHONE):
    """The 6-digit code in the newest message to `phone` (DatabaseBackend keeps the text)."""
    message = last_sms(phone)
    assert message is not None, f"no SMS was sent to {phone}"
    match = re.search(r"\b(\d{6})\b", message.text)
    assert match, f"no code in {message.text!r}"
    return match.group(1)


def sms_count(phone=PHONE):
    return OutboundSms.objects.filter(phone=phone).count()


def wrong_code(code):
    return f"{(int(code) + 1) % 1_000_000:06d}"


def start_signup(client, phone="0912 345 678", password="", **extra):
    data = {"phone": phone, "password1": password, **extra}
    return client.post(reverse("account_signup"), data)


def sign_up(client, phone="0912 345 678", password="", **extra):
    """Sign up through the real pages and confirm the SMS code; returns the final response."""
    response = start_signup(client, phone, password, **extra)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("account_verify_phone")
    from citizens.phones import normalize_phone

    return client.post(reverse("account_verify_phone"), {"code": last_code(normalize_phone(phone))})


@pytest.fixture
def ward(db):
    from government.models import AdministrativeUnit, ResidentialGroup, UnitKind

    unit = AdministrativeUnit.objects.create(code="11383", name="Phường Lê Chân", kind=UnitKind.WARD)
    ResidentialGroup.objects.create(unit=unit, name="Tổ dân phố 1")
    ResidentialGroup.objects.create(unit=unit, name="Tổ dân phố 2")
    return unit


@pytest.fixture
def other_ward(db):
    from government.models import AdministrativeUnit, ResidentialGroup, UnitKind

    unit = AdministrativeUnit.objects.create(code="11407", name="Phường An Biên", kind=UnitKind.WARD)
    ResidentialGroup.objects.create(unit=unit, name="Tổ dân phố 5")
    return unit


class _Clock:
    """Moves the clock of allauth's rate limits (and only theirs) forward."""

    def __init__(self):
        import time

        self._time = time
        self.offset = 0.0

    def time(self):
        return self._time.time() + self.offset

    def monotonic(self):
        return self._time.monotonic()

    def sleep(self, seconds):
        self._time.sleep(seconds)

    def advance(self, seconds):
        self.offset += seconds


@pytest.fixture
def rate_clock(monkeypatch):
    """rate_clock.advance(61): the rate limits see a minute pass (the codes' own clock does not)."""
    clock = _Clock()
    monkeypatch.setattr("allauth.core.internal.ratelimit.time", clock)
    return clock


@pytest.fixture
def sqlite_waits_for_locks(monkeypatch):
    """Parallel tests on the in-memory SQLite test database: wait for a lock the way a file database does.

    The portal's SQLite file database waits up to 20 s for a lock (OPTIONS timeout); the shared-cache
    in-memory database pytest-django uses instead answers "database table is locked" at once. This
    retries such a statement for up to 20 s, which keeps what the tests check (that counters hold
    under requests interleaving) and removes the in-memory database's own failure mode. Nothing is
    patched on PostgreSQL.
    """
    import time

    from django.db import connection

    if connection.vendor != "sqlite":
        return
    from django.db.backends.sqlite3 import base

    OperationalError = base.Database.OperationalError

    original = base.SQLiteCursorWrapper.execute

    def execute(self, query, params=None):
        deadline = time.monotonic() + 20
        while True:
            try:
                return original(self, query, params)
            except OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.005)

    monkeypatch.setattr(base.SQLiteCursorWrapper, "execute", execute)
