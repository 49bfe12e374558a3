"""Celery tasks of the notice pipeline: thin wrappers around notices.services."""

from celery import shared_task
from django.db import OperationalError

from . import push, services


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=2, max_retries=5)
def send_sms_task(notice_id):
    services.send_sms(notice_id)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=2, max_retries=5)
def send_push_task(notice_id):
    push.send_push(notice_id)


@shared_task(acks_late=True, ignore_result=True)
def sweep_task():
    """Every 10 seconds (CELERY_BEAT_SCHEDULE): SMS and pushes that a lost message left unsent."""
    push.sweep_unsent()
    return services.sweep()
