"""News' part of the officer desk (government.desk): editors' tools, and utility companies' outages.

`nav` is called on every officer page and must not touch the database: it reads the memberships
already in hand (government.access keeps each membership's agency with it).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from government.desk import Item, Link, Section
from government.models import AgencyKind, Role

from .models import Article, ArticleStatus, Outage
from .services.common import UTILITY_ROLES as _UTILITY_ROLES

EDITOR_ROLES = (Role.EDITOR,)
UTILITY_ROLES = _UTILITY_ROLES


def _is_editor(memberships):
    return any(m.role == Role.EDITOR for m in memberships)


def utility_agencies(memberships):
    seen = {}
    for m in memberships:
        if m.role in UTILITY_ROLES and m.agency.kind == AgencyKind.UTILITY:
            seen[m.agency.pk] = m.agency
    return list(seen.values())


def editor_sections(request, memberships):
    if not _is_editor(memberships):
        return []
    drafts = Article.objects.filter(status=ArticleStatus.DRAFT).count()
    return [
        Section(
            title=_("Tin tức, thông báo"),
            note=_("Bài viết cho thành phố và các phường, thông báo đến phường, lịch tiếp dân"),
            items=(
                Item(_("Viết bài mới"), reverse("news_officer:article_new")),
                Item(_("Bản nháp"), reverse("news_officer:articles") + "?trang-thai=draft", drafts, "new"),
                Item(_("Gửi thông báo đến phường"), reverse("news_officer:notice_new")),
                Item(_("Lịch tiếp dân, tiếp xúc cử tri"), reverse("news_officer:schedules")),
            ),
        )
    ]


def editor_nav(request, memberships):
    if not _is_editor(memberships):
        return []
    return [
        Link(_("Bài viết"), reverse("news_officer:articles")),
        Link(_("Thông báo"), reverse("news_officer:notices")),
        Link(_("Lịch tiếp dân"), reverse("news_officer:schedules")),
    ]


def outage_sections(request, memberships):
    agencies = utility_agencies(memberships)
    if not agencies:
        return []
    ahead = Outage.objects.ahead(timezone.now()).filter(company__in=agencies).count()
    return [
        Section(
            title=_("Lịch cắt điện, nước"),
            note=", ".join(agency.name for agency in agencies),
            items=(
                Item(_("Lịch sắp tới"), reverse("news_officer:outages"), ahead),
                Item(_("Thêm lịch"), reverse("news_officer:outage_new")),
                Item(_("Nhập từ tệp CSV"), reverse("news_officer:outage_import")),
            ),
        )
    ]


def outage_nav(request, memberships):
    if not utility_agencies(memberships):
        return []
    return [Link(_("Lịch cắt điện, nước"), reverse("news_officer:outages"))]
