from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from government.services import BUNDLED_BOUNDARIES, import_boundaries

from .import_units import _run


class Command(BaseCommand):
    help = (
        "Nhập ranh giới đơn vị hành chính từ một GeoJSON FeatureCollection (WGS 84); mỗi đối tượng có "
        "thuộc tính code, ma hoặc nso_code là mã đơn vị và hình Polygon hoặc MultiPolygon. Không có tham "
        "số: dùng ranh giới 114 đơn vị kèm theo mã nguồn. Tệp có lỗi thì không nhập gì; chạy lại cùng tệp "
        "không thay đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("geojson", nargs="?", type=Path, default=BUNDLED_BOUNDARIES, help=("tệp GeoJSON"))

    def handle(self, *args, geojson, **options):
        result = _run(import_boundaries, geojson)
        self.stdout.write(_("Ranh giới: %(result)s.") % {"result": result})
