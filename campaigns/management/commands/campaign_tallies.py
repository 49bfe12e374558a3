from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from campaigns import tallies


class Command(BaseCommand):
    help = (
        "Đếm lại số liệu chiến dịch cài đặt ứng dụng (theo tổ dân phố, cơ quan) của mọi đơn vị từ các tài khoản "
        "đã đăng ký. Chạy một lần sau khi triển khai hoặc sau khi nhập dữ liệu hàng loạt; sau đó số liệu tự cập nhật."
    )

    def handle(self, *args, **options):
        units = tallies.refresh_all()
        self.stdout.write(_("Đã đếm lại số liệu của %(n)s đơn vị.") % {"n": units})
