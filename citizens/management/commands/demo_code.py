from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core.management.base import BaseCommand

from citizens.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Prints the current second-factor code of the demo officer accounts (demo data only)."

    def handle(self, *args, **options):
        counter = next(yield_hotp_counters_from_time())
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
