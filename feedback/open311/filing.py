"""Filing a report that came by Open311, through the web form's own service (`submit_report`), and
the token that stands for it until it is routed.

Who reported: a client app names the person (first_name, last_name, phone). A phone that belongs to
a verified account files the report as that account's (it shows in their reports, its notices go to
them); any other report is filed without an account, with the name only and no phone (the portal
texts no number it cannot trust), on the app channel. Keys are issued only to apps the city trusts
to name their users truthfully.
"""

import hashlib
import re
import secrets
import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from government.models import AdministrativeUnit
from smarthp.text import search_key

from .. import services
from ..models import Channel, Open311Token, ReportStatus
from ..rules import TITLE_MIN_LENGTH, ReportActionError

TITLE_LENGTH = 80
_UNIT_WORDS = re.compile(r"^(phường|xã|đặc khu|phuong|xa|dac khu)\s+")


def title_from(description, category):
    """A report's title from its description (Open311 has none): the first line, cut at a word
    near TITLE_LENGTH characters; the service's name when that is too short."""
    line = (description or "").strip().splitlines()[0].strip() if (description or "").strip() else ""
    if len(line) > TITLE_LENGTH:
        cut = line[:TITLE_LENGTH].rsplit(" ", 1)[0] or line[:TITLE_LENGTH]
        line = cut.rstrip(" ,.;:") + "…"
    return line if len(line) >= TITLE_MIN_LENGTH else category.name


def _lower(text):
    return unicodedata.normalize("NFC", text or "").lower()


def _names(name):
    """A ward's name, and without its "Phường"/"Xã"/"Đặc khu" (addresses often leave it out)."""
    return [name, _UNIT_WORDS.sub("", name)]


def unit_in_address(address):
    """The ward an address names ("… Phường Lê Chân", or "… Lê Chân"), or None when it names none or
    more than one (the longest name found wins). Names are matched with their accents first: Xã
    Cẩm Giang and Xã Cẩm Giàng fold to the same letters, so only accents tell them apart."""
    units = list(AdministrativeUnit.objects.only("pk", "code", "name", "search_key"))
    for text, fold in ((_lower(address), _lower), (search_key(address), search_key)):
        found = {}
        for unit in units:
            for name in _names(fold(unit.name)):
                if name and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                    found.setdefault(len(name), set()).add(unit.pk)
        if found:
            best = found[max(found)]
            return next(unit for unit in units if unit.pk in best) if len(best) == 1 else None
    return None


def reporter_with_phone(phone):
    """The verified, active account holding this E.164 phone, or None."""
    if not phone:
        return None
    return get_user_model().objects.holding_phone(phone).filter(phone_verified=True, is_active=True).first()


def _scoped_key(key, idempotency_key):
    if not idempotency_key:
        return None
    return f"o311-{key.pk}-{hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]}"


def file_request(
    *,
    key,
    category,
    description,
    lat=None,
    lng=None,
    address="",
    unit=None,
    photos=(),
    first_name="",
    last_name="",
    phone=None,
    idempotency_key=None,
):
    """File a report for the client holding `key`. Returns (report, token, created).

    Raises ReportActionError (nothing saved) for what the web form would refuse. The same
    `idempotency_key` from the same client returns the report it filed the first time.
    Call outside any transaction, as submit_report asks.
    """
    reporter = reporter_with_phone(phone)
    contact_name = "" if reporter else " ".join(part.strip() for part in (first_name, last_name) if part).strip()
    if len(contact_name) > 150:
        raise ReportActionError(_("Họ tên người phản ánh quá dài (tối đa 150 ký tự)."))
    report, created = services.submit_report(
        reporter=reporter,
        category=category,
        title=title_from(description, category),
        description=description or "",
        unit=unit,
        lat=lat,
        lng=lng,
        address=address,
        photos=photos,
        idempotency_key=_scoped_key(key, idempotency_key),
        channel=Channel.API,
        contact_name=contact_name,
    )
    token, _new = Open311Token.objects.get_or_create(
        report=report, defaults={"key": key, "token": secrets.token_urlsafe(16)}
    )
    report.refresh_from_db(fields=["status"])
    return report, token, created


def is_routed(report):
    """Whether the report left intake: from then on its tracking code is what Open311 shows."""
    return report.status != ReportStatus.SUBMITTED


def find_token(value):
    """The token row (with its report) if it exists and is younger than OPEN311_TOKEN_DAYS, or None."""
    if not value or len(value) > 32:
        return None
    days = getattr(settings, "OPEN311_TOKEN_DAYS", 30)
    since = timezone.now() - timezone.timedelta(days=days)
    return (
        Open311Token.objects.filter(token=value, created_at__gte=since)
        .select_related("report")
        .only("token", "report__code", "report__status")
        .first()
    )
