"""Thin Celery wrappers around campaigns.services."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def run_export_job_task(job_id):
    services.run_export_job(job_id=job_id)


@shared_task
def monthly_reminders_task():
    return services.send_monthly_reminders()


@shared_task
def weekly_snapshots_task():
    return services.take_snapshots()


@shared_task
def purge_exports_task():
    services.purge_old_exports()


@shared_task
def refresh_tallies_task():
    """Nightly: recount every unit, so the 30-day sign-in figure follows the calendar."""
    from . import tallies

    return tallies.refresh_all()
