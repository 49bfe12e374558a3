"""How work for the workers is queued: on commit the first time, again by a sweeper when the message
was lost (routing, notices, SMS, ...).

Every outbox in the portal (report events awaiting their notices, notices awaiting their SMS,
gateway messages awaiting delivery) keeps the time its work was last queued. A sweeper lists the
rows still undone a minute after that and calls `queue_again` on them.
"""

import logging

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

log = logging.getLogger(__name__)


def publish_on_commit(task, *args):
    """Queue `task(*args)` once the current transaction commits (in-process when Celery is eager).

    A broker that is down does not fail the request whose rows are already committed: the failure
    is logged and the outbox row waits for its sweeper.
    """

    def send():
        try:
            task.delay(*args)
        except OperationalError:
            log.warning("broker unavailable: %s%r left to the sweeper", task.name, args)

    transaction.on_commit(send)


def queue_again(pending, rows, queued_field, task, **still):
    """Queue `task` for each (pk, last queued time) of `pending`, claiming each first by moving its
    queued time with a conditional UPDATE (healthchecks-style; `still` adds conditions the row must
    still meet): two sweepers queue it once, and a slow queue gets one more message a minute, not one
    every sweep. A duplicate that does arrive is harmless, since every task claims its row before it
    acts. Stops at the first broker error, putting that row's time back for the next sweep. Returns
    how many were queued.
    """
    current = timezone.now()
    queued = 0
    for pk, seen in pending:
        if not rows.filter(pk=pk, **{queued_field: seen}, **still).update(**{queued_field: current}):
            continue
        try:
            task.delay(pk)
        except OperationalError:
            rows.filter(pk=pk).update(**{queued_field: seen})
            log.warning("sweep: broker unavailable, %s left for the next sweep", task.name)
            break
        queued += 1
    return queued
