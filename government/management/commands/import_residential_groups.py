from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from government.services import import_residential_groups

from .import_units import _run


class Command(BaseCommand):
    help = "Nhập tổ dân phố / thôn của một đơn vị từ CSV (cột name; households, smartphone_households không bắt buộc)."

    def add_arguments(self, parser):
        parser.add_argument("unit_code", help=("mã đơn vị, ví dụ 11383"))
        parser.add_argument("csv", type=Path, help=("tệp CSV"))

    def handle(self, *args, unit_code, csv, **options):
        result = _run(import_residential_groups, unit_code, csv)
        self.stdout.write(_("Tổ dân phố / thôn: %(result)s.") % {"result": result})
