import os
import re

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands.runserver import naiveip_re
from django.utils.translation import gettext as _

from government.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

DEFAULT_ADDRPORT = "127.0.0.1:8000"


def site_root_for(addrport, *, ipv6=False):
    """The root URL of the portal served on `addrport` (runserver's forms: "8101", "0.0.0.0:8101",
    "[::1]:8101", "localhost:8101"), for the links in text messages; None when runserver would refuse it.

    A server listening on every interface (0.0.0.0, ::) is linked at the loopback address: the demo
    cannot know which of the machine's addresses a phone would reach; SITE_ROOT says so when it matters.
    """
    match = re.match(naiveip_re, addrport)
    if match is None:
        return None
    address, _ipv4, ipv6_literal, _fqdn, port = match.groups()
    if ipv6_literal:
        address, ipv6 = ipv6_literal[1:-1], True
    if address in ("", None):
        address = "::1" if ipv6 else "127.0.0.1"
    elif address in ("0", "0.0.0.0"):  # noqa: S104 - compared, not bound
        address = "127.0.0.1"
    elif address == "::":
        address = "::1"
    host = f"[{address}]" if ":" in address else address
    return f"http://{host}:{port}"


class Command(BaseCommand):
    help = (
        "Chạy thử cổng thông tin: migrate, nạp dữ liệu mẫu, rồi runserver (mặc định 127.0.0.1:8000). "
        "Cổng và các tùy chọn --noreload, --nothreading, --ipv6 được chuyển cho runserver, ví dụ: rundemo 8001."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default=DEFAULT_ADDRPORT, help=("cổng hoặc địa chỉ:cổng"))
        # The runserver options worth passing on.
        for flag in ("--noreload", "--nothreading", "--ipv6"):
            parser.add_argument(flag, action="store_true")

    def handle(self, *args, addrport, **options):
        runserver_args = [addrport] + [f"--{name}" for name in ("noreload", "nothreading", "ipv6") if options[name]]
        site_root = site_root_for(addrport, ipv6=options["ipv6"])
        if site_root is None:
            raise CommandError(
                _("“%(addrport)s” không phải cổng hoặc địa chỉ:cổng hợp lệ (ví dụ 8001 hoặc 0.0.0.0:8001).")
                % {"addrport": addrport}
            )
        # Text messages link to SITE_ROOT: to the port served here, unless the environment chose one.
        # The autoreloader's child, which serves, computes the same from the same arguments.
        configured = settings.SITE_ROOT
        if "SITE_ROOT" not in os.environ:
            settings.SITE_ROOT = site_root
        try:
            self.serve(runserver_args)
        finally:
            settings.SITE_ROOT = configured

    def serve(self, runserver_args):
        # runserver's autoreloader starts this command again in a child process (RUN_MAIN=true);
        # the parent has already migrated and loaded the demo.
        if os.environ.get("RUN_MAIN") != "true":
            call_command("migrate", interactive=False, verbosity=1, stdout=self.stdout)
            if isinstance(staticfiles_storage, ManifestFilesMixin):
                # Without DEBUG the pages link hashed file names, which need a collected manifest.
                call_command("collectstatic", interactive=False, verbosity=0, stdout=self.stdout)
            call_command("load_demo", stdout=self.stdout)
            self.print_accounts()
        call_command("runserver", *runserver_args)

    def print_accounts(self):
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING(_("Tài khoản thử (mật khẩu: %(password)s)") % {"password": DEMO_PASSWORD})
        )
        width = max(len(username) for username, _role in DEMO_ACCOUNTS)
        for username, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username.ljust(width)}  {role}")
        self.stdout.write("")
