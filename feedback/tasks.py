"""Celery tasks of the PAKN app: thin wrappers around feedback.services.

Every task is idempotent (the service claims or locks its row first) and acknowledged late (the
global setting), so a message delivered twice, or queued again by the sweeper, does its work once.
"""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def route_report_task(report_id):
    services.route_report(report_id)


@shared_task(acks_late=True)
def notify_event_task(event_id):
    services.notify_event(event_id)


# The SMS of report notices are the shared pipeline's now (notices.tasks.send_sms_task). These two
# names stay for messages queued before the move: notices kept their ids when they moved to
# notices.Notice, and a caller's SMS is the event's phone-only notice.
@shared_task(acks_late=True)
def send_notice_sms_task(notice_id):
    from notices.services import send_sms

    send_sms(notice_id)


@shared_task(acks_late=True)
def send_contact_sms_task(event_id):
    from notices.models import Notice
    from notices.services import send_sms

    for notice_id in Notice.objects.filter(source=f"feedback.reportevent:{event_id}", user__isnull=True).values_list(
        "pk", flat=True
    ):
        send_sms(notice_id)


@shared_task(acks_late=True, ignore_result=True)
def sweep_reports_task():
    """Every 10 seconds (CELERY_BEAT_SCHEDULE): routing and notices that a lost message left undone."""
    return services.sweep()


# --- Officer side: deadline reminders and the public figures ------------------------------------


@shared_task(acks_late=True, ignore_result=True)
def send_deadline_reminders_task():
    """Every 30 minutes (CELERY_BEAT_SCHEDULE): due soon to the officer, overdue to leaders and 1022."""
    from .reminders import send_deadline_reminders

    return send_deadline_reminders()


@shared_task(acks_late=True, ignore_result=True)
def refresh_public_figures_task():
    """Every 5 minutes: recount this month's public figures so that no visitor waits for them."""
    from . import stats

    stats.public_figures(stats.period_from_params({}), refresh=True)
