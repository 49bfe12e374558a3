"""Limits on sending SMS codes, on allauth's rate-limit machinery (ACCOUNT_RATE_LIMITS).

Per number: 60 s between two codes, 3 in 15 minutes, 10 a day; per IP address: 20 an hour; and the
city-wide daily budget (citizens.sms). allauth counts each limit under a lock, so parallel
requests cannot both take the last unit; both live in the database (citizens.ratelimit), so the
limits hold across processes and stay the same while Redis is away: they guard the SMS budget.
"""

from allauth.core import ratelimit
from allauth.core.exceptions import RateLimited
from django.utils.translation import gettext_lazy as _

from . import sms

# (allauth action, the message a citizen reads when it is the one that stops them), checked in order.
LIMITS = [
    ("sms_code_wait", _("Vui lòng đợi 60 giây kể từ mã trước rồi mới yêu cầu mã mới.")),
    (
        "sms_code_phone",
        _(
            "Số điện thoại này đã nhận quá nhiều mã (tối đa 3 mã trong 15 phút và 10 mã mỗi ngày). Vui lòng thử lại sau."  # noqa: E501
        ),
    ),
    ("sms_code_ip", _("Có quá nhiều yêu cầu gửi mã từ mạng của bạn. Vui lòng thử lại sau một giờ.")),
]
BUDGET_MESSAGE = _(
    "Hôm nay hệ thống đã gửi hết số tin nhắn cho phép. Vui lòng thử lại vào ngày mai hoặc gọi tổng đài 1022."
)


class SmsLimitReached(RateLimited):
    """A limit on SMS codes stops this request; `message` says which, in the citizen's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def check(request, phone):
    """The message of the first limit that would refuse a code to `phone` now, or None. Counts nothing."""
    for action, message in LIMITS:
        if not ratelimit.consume(request, action=action, key=phone, dry_run=True):
            return message
    if sms.budget_left() <= 0:
        return BUDGET_MESSAGE
    return None


def consume(request, phone):
    """Count one code to `phone` against every limit, or raise SmsLimitReached.

    Each limit is checked without counting first, so that a refusal by one does not use up another
    (a refused resend must not start a new 60-second wait).
    """
    message = check(request, phone)
    if message:
        raise SmsLimitReached(message)
    for action, message in LIMITS:
        # A parallel request may have taken the last unit since the check: refuse, never overshoot.
        if not ratelimit.consume(request, action=action, key=phone):
            raise SmsLimitReached(message)
