"""Celery tasks of news: thin wrappers around news.services."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=2, max_retries=5)
def deliver_task(delivery_id):
    services.deliver(delivery_id)


@shared_task(acks_late=True, ignore_result=True)
def warn_outages_task():
    """Every few minutes (CELERY_BEAT_SCHEDULE): the day-before warnings whose time has come."""
    return services.warn_due_outages()


@shared_task(acks_late=True, ignore_result=True)
def sweep_deliveries_task():
    """Fan-outs a lost message or a killed worker left unfinished."""
    return services.sweep_deliveries()
