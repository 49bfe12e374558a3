"""The 1022 centre files a report phoned in by a caller."""

from django.utils.translation import gettext as _

from citizens.phones import INVALID_PHONE, normalize_phone

from ..models import (
    Channel,
    EventKind,
)
from ..officer_access import roles_for
from .common import (
    _check_operator,
    _require,
    _required_text,
    log_event,
)
from .submission import submit_report


def intake_phone_report(
    *,
    actor,
    caller_name,
    caller_phone,
    category,
    title,
    description,
    unit=None,
    address="",
    urgency=None,
    is_public=True,
    hide_identity=False,
    idempotency_key=None,
):
    """A 1022 operator files a report phoned in by a caller, through the same `submit_report` as the
    web form (channel "phone"). The caller needs no account: their name and phone are kept on the
    report, and the receipt with the tracking code goes to that phone by SMS (`notify_event`).
    Returns the report.
    """
    _check_operator(roles_for(actor))
    name = _required_text(caller_name, _("Vui lòng nhập họ tên người gọi."), 150)
    phone = normalize_phone(caller_phone)
    _require(phone is not None, str(INVALID_PHONE))
    report, created = submit_report(
        reporter=None,
        category=category,
        title=title,
        description=description,
        unit=unit,
        address=address,
        is_public=is_public,
        hide_identity=hide_identity,
        idempotency_key=idempotency_key,
        urgency=urgency,
        channel=Channel.PHONE,
        contact_name=name,
        contact_phone=phone,
    )
    if created:
        log_event(
            report,
            EventKind.NOTE,
            actor=actor,
            message=_("Điều phối viên ghi nhận phản ánh qua tổng đài 1022."),
            is_public=False,
        )
    return report
