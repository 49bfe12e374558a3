"""Issue an Open311 api_key to a client app and print it, once (only its hash is kept):

    manage.py issue_open311_key "Ứng dụng Hải Phòng Xanh" --contact dev@example.vn --per-minute 30

Revoke a key in the admin (Phản ánh kiến nghị › Khóa API Open311)."""

from django.core.management.base import BaseCommand, CommandError

from feedback.open311 import keys


class Command(BaseCommand):
    help = "Issue an Open311 api_key to a client app; the key is printed once and never stored."

    def add_arguments(self, parser):
        parser.add_argument("client_name", help="the client app's name, as administrators will see it")
        parser.add_argument("--contact", default="", help="who develops it (e-mail, phone)")
        parser.add_argument("--per-minute", type=int, default=30, help="reports it may file per minute (default 30)")

    def handle(self, *args, client_name, contact, per_minute, **options):
        if not client_name.strip():
            raise CommandError("client_name is empty")
        if per_minute < 1:
            raise CommandError("--per-minute must be at least 1")
        key, raw_key = keys.issue_key(client_name=client_name, contact=contact, requests_per_minute=per_minute)
        self.stderr.write(f"Issued key {key.prefix}… for {key.client_name} ({per_minute}/min). It is shown once:")
        self.stdout.write(raw_key)
