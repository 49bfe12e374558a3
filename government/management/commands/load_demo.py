from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _

# Later apps' demo data points at earlier apps' rows (reports need wards, agencies and citizens).
ORDER = ["government", "citizens", "feedback", "publicservices", "utilities", "news", "campaigns"]


def demo_modules():
    """The `demo` module of every project app that has one, government first, then in ORDER."""
    project_apps = [
        config
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
        and not {"site-packages", "dist-packages"} & set(Path(config.path).parts)
    ]
    project_apps.sort(key=lambda config: ORDER.index(config.name) if config.name in ORDER else len(ORDER))
    return [
        import_module(f"{config.name}.demo") for config in project_apps if module_has_submodule(config.module, "demo")
    ]


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu của mọi ứng dụng (đơn vị, cơ quan, tài khoản thử, phản ánh...). Chạy lại nhiều "
        "lần không tạo bản trùng."
    )

    def handle(self, *args, **options):
        # All or nothing: a failure in one app's demo leaves no half-loaded demo behind.
        with transaction.atomic():
            for module in demo_modules():
                self.stdout.write(self.style.MIGRATE_HEADING(module.__name__))
                module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(_("Đã nạp dữ liệu mẫu.")))
