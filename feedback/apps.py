from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Phản ánh kiến nghị")

    def ready(self):
        from django.db.models.signals import post_delete, post_init, post_save

        from citizens.signals import account_erasing, personal_data_requested
        from government import desk as officer_desk

        from . import desk, home, officer_pagecache, pagecache, privacy
        from .models import Answer, Category, Report
        from .selectors import forget_categories

        # Any saved report may change what the public feed shows: its cached pages go stale.
        post_save.connect(pagecache.report_saved, sender=Report, dispatch_uid="feedback-public-pages")
        # The officer site's cached lists of an agency go stale when one of its reports or answers changes.
        post_init.connect(officer_pagecache.report_loaded, sender=Report, dispatch_uid="feedback-officer-loaded")
        post_save.connect(officer_pagecache.report_saved, sender=Report, dispatch_uid="feedback-officer-pages")
        post_save.connect(officer_pagecache.answer_saved, sender=Answer, dispatch_uid="feedback-officer-answers")
        # The forms keep the list of categories in the cache for a minute; a change shows at once.
        post_save.connect(forget_categories, sender=Category, dispatch_uid="feedback-categories-saved")
        post_delete.connect(forget_categories, sender=Category, dispatch_uid="feedback-categories-deleted")
        # A citizen's export and erasure (citizens.services) include their reports.
        personal_data_requested.connect(privacy.export_sections, dispatch_uid="feedback-export")
        account_erasing.connect(privacy.erase, dispatch_uid="feedback-erase")
        # The officer desk (/can-bo/) and the officer site's navigation bar: PAKN's sections and links.
        officer_desk.register("feedback", roles=desk.ROLES, sections=desk.sections, nav=desk.nav)
        # The home page's "my reports that moved" panel (smarthp.home).
        home.register_panel()
