from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("Tin tức")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from government import desk as officer_desk
        from smarthp import home as home_panels

        from . import desk, home
        from .models import Article, Outage, Schedule, WardNotice
        from .selectors import bump_generation

        # What the home page keeps of the news in the cache goes stale at any save (news.selectors).
        for model in (Article, WardNotice, Schedule, Outage):
            post_save.connect(bump_generation, sender=model, dispatch_uid=f"news-saved-{model.__name__}")
            post_delete.connect(bump_generation, sender=model, dispatch_uid=f"news-deleted-{model.__name__}")
            if hasattr(model, "wards"):
                m2m_changed.connect(
                    bump_generation, sender=model.wards.through, dispatch_uid=f"news-wards-{model.__name__}"
                )
        # The officer desk: editors (articles, notices, schedules) and utility companies' staff (outages).
        officer_desk.register("news", roles=desk.EDITOR_ROLES, sections=desk.editor_sections, nav=desk.editor_nav)
        officer_desk.register("outages", roles=desk.UTILITY_ROLES, sections=desk.outage_sections, nav=desk.outage_nav)
        # The home page: notices and outages of my ward, or the city's latest for a visitor.
        home_panels.register("news", home.panel, order=30)
