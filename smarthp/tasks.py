"""Diagnostic tasks for operators: is a worker alive, and does it read the same database?"""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone


def heartbeat_key(token):
    return f"ops:worker-heartbeat:{token}"


@shared_task(name="smarthp.worker_heartbeat")
def worker_heartbeat(token):
    """Leave in the cache, under heartbeat_key(token), which worker ran this, when, and how many
    administrative units it sees. Writes nothing to the database.

    An operator sends it with a fresh token and reads the key back (through the shared Redis cache):
    no answer means no worker consumes the queue; a unit count that differs from the web's means the
    worker points at another database.
    """
    from government.models import AdministrativeUnit

    answer = {
        "token": token,
        "worker": worker_heartbeat.request.hostname or "eager",
        "units": AdministrativeUnit.objects.count(),
        "at": timezone.now().isoformat(),
    }
    cache.set(heartbeat_key(token), answer, 3600)
    return answer
