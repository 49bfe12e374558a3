"""Every write of news goes through this package (views, API, tasks and commands alike), split by
concern: articles, ward notices, schedules, outages, and the batched fan-out of notices."""

from .articles import check_body, correct_article, publish_article, save_article, unpublish_article
from .common import NewsError, is_editor, utility_agency_ids
from .delivery import deliver, recipients, sweep_deliveries
from .notices import publish_notice, withdraw_notice
from .outages import (
    PLANNED_NOTICE_DAYS,
    cancel_outage,
    import_outages,
    save_outage,
    save_outage_follow,
    stop_outage_follow,
    warn_due_outages,
)
from .schedules import delete_schedule, save_schedule

__all__ = [
    "PLANNED_NOTICE_DAYS",
    "NewsError",
    "cancel_outage",
    "check_body",
    "correct_article",
    "delete_schedule",
    "deliver",
    "import_outages",
    "is_editor",
    "publish_article",
    "publish_notice",
    "recipients",
    "save_article",
    "save_outage",
    "save_outage_follow",
    "save_schedule",
    "stop_outage_follow",
    "sweep_deliveries",
    "unpublish_article",
    "utility_agency_ids",
    "warn_due_outages",
    "withdraw_notice",
]
