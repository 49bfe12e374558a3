"""manage.py import_procedures FILE.json: procedures in the national catalogue's field names.

The shape of the file is documented in publicservices.services.catalogue. The import is idempotent
and all or nothing: one bad row imports nothing and is named.
"""

from django.core.management.base import BaseCommand, CommandError

from publicservices.services.catalogue import ImportError_, import_procedures


class Command(BaseCommand):
    help = "Nhập thủ tục hành chính từ tệp JSON theo tên trường của CSDL quốc gia về TTHC."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8") as source:
                counts = import_procedures(source)
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp: {exc}") from None
        except ImportError_ as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            f"Thêm mới {counts['created']}, cập nhật {counts['updated']}, không đổi {counts['unchanged']}."
        )
