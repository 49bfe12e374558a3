from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from utilities import services


class Command(BaseCommand):
    help = (
        "Nhập địa điểm từ tệp GeoJSON (xuất từ OpenStreetMap) hoặc CSV. Cả tệp hoặc không gì cả; "
        "nhập lại cùng tệp không tạo bản trùng (theo mã nguồn)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="tệp .geojson, .json hoặc .csv")

    def handle(self, *args, path, **options):
        reader = services.import_csv if path.lower().endswith(".csv") else services.import_geojson
        try:
            with open(path, "rb") as data:
                result = reader(data)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except services.ImportFailed as exc:
            raise CommandError("\n".join([_("Chưa nhập địa điểm nào:"), *exc.errors])) from exc
        self.stdout.write(self.style.SUCCESS(_("Đã nhập địa điểm: %(result)s.") % {"result": result}))
