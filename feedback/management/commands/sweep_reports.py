"""Queue again what a lost message or a broker outage left undone: routing, notices and SMS.

For cron where Celery beat does not run (every minute: `* * * * * manage.py sweep_reports`; beat
sweeps every 10 seconds, which cron cannot). With --here, stuck reports are routed in this process,
without the broker.
"""

from django.core.management.base import BaseCommand

from feedback import services
from notices import services as notice_pipeline


class Command(BaseCommand):
    help = "Queue again reports whose routing message was lost, and notices and SMS never sent (PAKN)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--here", action="store_true", help="Route stuck reports in this process instead of queueing them."
        )

    def handle(self, *args, here=False, **options):
        if here:
            routed = services.route_unrouted_here()
            self.stdout.write(f"routed here: {routed}")
            return
        routed, notices = services.sweep()
        texts, messages = notice_pipeline.sweep()
        self.stdout.write(
            f"queued for routing: {routed}; notices queued: {notices}; SMS queued again: {texts + messages}"
        )
