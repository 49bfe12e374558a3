import os

from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from government.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

DEFAULT_ADDRPORT = "127.0.0.1:8000"


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
