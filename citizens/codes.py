"""SMS codes: issued and checked here, while allauth's phone flows drive the pages around them.

allauth keeps a flow's state (which number, how many tries) in the session. Two parallel requests
in one session each read the same state, so a burst of guesses would get past a counter kept there.
This module is the authoritative guard: the code is stored only as a keyed hash, and every answer
is settled by one conditional UPDATE on a live code (a wrong guess counts a try, a right one spends it).
allauth's session state only holds the row's reference ("pc:<id>"), never the code itself.

Rules (DESIGN §4): 6 digits, valid 5 minutes, single use, at most 5 tries; a new code for a number
retires the earlier ones.
"""

import enum
import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import PhoneCode

CODE_DIGITS = 6
CODE_TTL = timedelta(minutes=5)
MAX_TRIES = 5
REF_PREFIX = "pc:"


class Check(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    SPENT = "spent"  # used, or retired by a newer code
    TOO_MANY = "too_many"


MESSAGES = {
    Check.EXPIRED: _("Mã xác thực đã hết hạn (mỗi mã chỉ dùng được trong 5 phút). Hãy bấm “Gửi lại mã”."),
    Check.SPENT: _("Mã này đã được dùng hoặc đã được thay bằng mã mới. Hãy nhập mã trong tin nhắn mới nhất."),
    Check.TOO_MANY: _("Bạn đã nhập sai quá 5 lần nên mã này không còn dùng được. Hãy bấm “Gửi lại mã” để nhận mã mới."),
}


def wrong_code_message(tries_left):
    return ngettext(
        "Mã xác thực không đúng. Bạn còn %(count)s lần thử.",
        "Mã xác thực không đúng. Bạn còn %(count)s lần thử.",
        tries_left,
    ) % {"count": tries_left}


def _digest(phone, code):
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def issue(phone):
    """A new code for `phone`: returns (reference, code). Earlier unused codes of the number die."""
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    now = timezone.now()
    with transaction.atomic():
        PhoneCode.objects.filter(phone=phone, used_at__isnull=True).update(used_at=now)
        row = PhoneCode.objects.create(phone=phone, code_hash=_digest(phone, code))
    return f"{REF_PREFIX}{row.pk}", code


def _row_id(reference):
    if not isinstance(reference, str) or not reference.startswith(REF_PREFIX):
        return None
    try:
        return int(reference[len(REF_PREFIX) :])
    except ValueError:
        return None


def _state_of(row, now):
    if row is None or row.used_at is not None:
        return Check.SPENT
    if row.tries >= MAX_TRIES:
        return Check.TOO_MANY
    if row.created_at < now - CODE_TTL:
        return Check.EXPIRED
    return None


def check(reference, phone, entered):
    """Try `entered` against the code behind `reference` (sent to `phone`, when the caller knows it).

    Returns (Check, tries_left). Safe under parallel requests: every outcome is decided by one
    conditional UPDATE on a live code (unused, under five wrong tries, not expired). A wrong guess
    counts with `SET tries = tries + 1`; the right code is spent with `SET used_at`, and only while
    fewer than five wrong guesses have counted. So a burst of guesses gets five chances at most, and
    the right code sent twice at once (a double tap) signs in once; the other tap hears "spent",
    not "too many tries".
    """
    now = timezone.now()
    row_id = _row_id(reference)
    rows = PhoneCode.objects.filter(pk=row_id)
    if phone is not None:
        rows = rows.filter(phone=phone)
    row = rows.first() if row_id else None
    state = _state_of(row, now)
    if state:
        return state, 0
    live = rows.filter(used_at__isnull=True, tries__lt=MAX_TRIES, created_at__gte=now - CODE_TTL)
    digits = re.sub(r"\D", "", entered or "")
    if hmac.compare_digest(_digest(row.phone, digits), row.code_hash):
        if live.update(used_at=now):
            return Check.OK, 0
        return _state_of(rows.first(), now) or Check.SPENT, 0
    if not live.update(tries=F("tries") + 1):
        return _state_of(rows.first(), now) or Check.SPENT, 0
    tries = rows.values_list("tries", flat=True).first() or MAX_TRIES
    return Check.WRONG, max(MAX_TRIES - tries, 0)


def purge(before):
    """Delete codes created before `before` (they are long dead)."""
    return PhoneCode.objects.filter(created_at__lt=before).delete()[0]
