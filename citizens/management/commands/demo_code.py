import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from citizens.demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Prints the current second-factor code of the demo officer accounts (demo data only)."

    def handle(self, *args, **options):
        counter = int(time.time()) // mfa_settings.TOTP_PERIOD  # this 30-second step's
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
