from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from utilities import services


class Command(BaseCommand):
    help = "Hiển thị UBND và công an các phường, xã trong danh bạ cơ quan như địa điểm (tại trụ sở phường, xã)."

    def handle(self, *args, **options):
        result = services.sync_agency_places()
        self.stdout.write(self.style.SUCCESS(_("UBND, công an: %(result)s.") % {"result": result}))
