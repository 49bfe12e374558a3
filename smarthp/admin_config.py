from importlib import import_module

from django.apps import apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import module_has_submodule

# django-leaflet's admin module imports GeoDjango, which needs the GDAL C library. The portal does
# its geometry with shapely and only uses django-leaflet for its settings and static files.
SKIP_ADMIN_OF = {"leaflet"}


class PortalAdminConfig(SimpleAdminConfig):
    default_site = "django.contrib.admin.sites.AdminSite"

    def ready(self):
        super().ready()
        for app_config in apps.get_app_configs():
            if app_config.name in SKIP_ADMIN_OF or not module_has_submodule(app_config.module, "admin"):
                continue
            import_module(f"{app_config.name}.admin")
