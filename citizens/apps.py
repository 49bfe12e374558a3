from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "citizens"
    verbose_name = _("Công dân")

    def ready(self):
        from allauth.account.decorators import secure_admin_login
        from django.contrib import admin

        # The administration site signs people in through allauth too, so that nobody (an officer
        # with staff rights included) can skip the second factor by using the admin's own form.
        admin.site.login = secure_admin_login(admin.site.login)
