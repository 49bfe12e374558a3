"""Every write to PAKN reports goes through a function of this package: views, the API, tasks and
commands call the same functions, so each rule lives in one place. Split by concern, as Zulip's
`zerver/actions/`; `common` says the conventions every module follows.

Callers use `from feedback import services; services.submit_report(...)`: the names below are the
package's public face. A test that replaces a name must patch the module that looks it up
(e.g. `feedback.services.submission.log_event`), not this one.
"""

from ..rules import DESCRIPTION_MIN_LENGTH, TITLE_MIN_LENGTH, ReportActionError, check_point
from .citizen import (
    REOPEN_WITHIN,
    can_reopen,
    follow_report,
    latest_published_answer,
    rate_answer,
    reopen_report,
    unfollow_report,
)
from .common import (
    AGENCY_OPEN,
    ANSWER_MAX_LENGTH,
    ANSWERING,
    CENTRE_OPEN,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    ROUTING_RETRY_AFTER,
    SWEEP_BATCH,
    lock_report,
    log_event,
    now,
    on_commit,
    set_status,
)
from .intake import (
    intake_phone_report,
)
from .notices import (
    NOTIFY_GIVE_UP_AFTER,
    NOTIFY_RETRY_AFTER,
    SMS_EVENT_KINDS,
    is_notifiable,
    notice_text,
    notify_about_report,
    notify_event,
    notify_officers,
    queue_notification,
    sweep_unnotified,
)
from .officer import (
    _needs_answer_photo,
    accept_report,
    add_internal_note,
    approve_answer,
    assign_officer,
    close_report,
    reject_report,
    save_answer,
    send_back_answer,
)
from .redaction import (
    blur_photo,
    redact_report,
    set_photo_hidden,
)
from .routing import (
    find_routing_rule,
    hotline_agency,
    mark_not_queued,
    queue_routing,
    route_report,
    route_unrouted_here,
    routing_agency_for,
    sweep,
    sweep_unrouted,
    unrouted_due,
)
from .submission import (
    check_submission,
    find_submission,
    next_report_code,
    scoped_idempotency_key,
    submit_report,
)
from .transfers import (
    correct_report,
    merge_duplicate,
    return_to_centre,
    route_to_agency,
)

__all__ = [
    "AGENCY_OPEN",
    "ANSWERING",
    "ANSWER_MAX_LENGTH",
    "CENTRE_OPEN",
    "DESCRIPTION_MIN_LENGTH",
    "NOTE_MAX_LENGTH",
    "NOTIFY_GIVE_UP_AFTER",
    "NOTIFY_RETRY_AFTER",
    "REASON_MAX_LENGTH",
    "REOPEN_WITHIN",
    "ROUTING_RETRY_AFTER",
    "SMS_EVENT_KINDS",
    "SWEEP_BATCH",
    "TITLE_MIN_LENGTH",
    "ReportActionError",
    "_needs_answer_photo",
    "accept_report",
    "add_internal_note",
    "approve_answer",
    "assign_officer",
    "blur_photo",
    "can_reopen",
    "check_point",
    "check_submission",
    "close_report",
    "correct_report",
    "find_routing_rule",
    "find_submission",
    "follow_report",
    "hotline_agency",
    "intake_phone_report",
    "is_notifiable",
    "latest_published_answer",
    "lock_report",
    "log_event",
    "mark_not_queued",
    "merge_duplicate",
    "next_report_code",
    "notice_text",
    "notify_about_report",
    "notify_event",
    "notify_officers",
    "now",
    "on_commit",
    "queue_notification",
    "queue_routing",
    "rate_answer",
    "redact_report",
    "reject_report",
    "reopen_report",
    "return_to_centre",
    "route_report",
    "route_to_agency",
    "route_unrouted_here",
    "routing_agency_for",
    "save_answer",
    "scoped_idempotency_key",
    "send_back_answer",
    "set_photo_hidden",
    "set_status",
    "submit_report",
    "sweep",
    "sweep_unnotified",
    "sweep_unrouted",
    "unfollow_report",
    "unrouted_due",
]
