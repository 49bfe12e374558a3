"""Celery tasks of the citizens app: thin wrappers around citizens.sms and citizens.services."""

from celery import shared_task

from . import services, sms

SMS_MAX_RETRIES = 5


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(sms.GatewayTemporaryError,),
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=SMS_MAX_RETRIES,
)
def deliver_sms(self, message_id):
    """Post one message to the SMS gateway; 5xx and timeouts retry after 5, 10, 20, 40, 80 s (jittered)."""
    sms.deliver(message_id, final_attempt=self.request.retries >= SMS_MAX_RETRIES)


@shared_task(acks_late=True)
def purge_stale_account_data():
    """Hourly: sign-ups whose phone was never verified, spent SMS codes, old development messages."""
    return services.purge_stale_account_data()
