from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from government.services import BUNDLED_SEATS, BUNDLED_UNITS, DataImportError, import_unit_seats, import_units


class Command(BaseCommand):
    help = (
        "Nhập danh sách đơn vị hành chính (CSV: nso_code,name,division_type) và tọa độ trụ sở "
        "(CSV: nso_code,lat,lng). Không có tham số: dùng danh sách 114 đơn vị kèm theo mã nguồn."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", nargs="?", type=Path, default=None, help=("tệp CSV danh sách đơn vị"))
        parser.add_argument("--seats", type=Path, default=None, help=("tệp CSV tọa độ trụ sở"))

    def handle(self, *args, csv=None, seats=None, **options):
        if csv is None and seats is None:
            csv, seats = BUNDLED_UNITS, BUNDLED_SEATS
        if csv is not None:
            result = _run(import_units, csv)
            self.stdout.write(_("Đơn vị hành chính: %(result)s.") % {"result": result})
        if seats is not None:
            result = _run(import_unit_seats, seats)
            self.stdout.write(_("Tọa độ trụ sở: %(result)s.") % {"result": result})


def _run(function, *args):
    """Call an import; a refused file becomes a CommandError listing every problem."""
    try:
        return function(*args)
    except OSError as exc:
        raise CommandError(_("Không mở được tệp: %(error)s") % {"error": exc}) from exc
    except DataImportError as exc:
        raise CommandError(
            _("Tệp có %(count)s lỗi, chưa nhập gì:\n%(errors)s") % {"count": len(exc.errors), "errors": exc}
        ) from exc
