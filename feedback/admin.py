"""Administration of PAKN: categories, urgencies, routing rules, deadlines, answer templates; reports
read-only (their state changes go through the officer site, which logs every step)."""

from django.contrib import admin

from smarthp.text import search_key

from .models import (
    AnswerTemplate,
    Category,
    DeadlinePolicy,
    Report,
    ReportEvent,
    ReportPhoto,
    RoutingRule,
    Urgency,
)
from .open311 import admin as open311_admin  # noqa: F401  (the client keys' admin)


class SubCategoryInline(admin.TabularInline):
    model = Category
    fk_name = "parent"
    fields = ["name", "slug", "answer_needs_photo", "position", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "answer_needs_photo", "position", "is_active"]
    list_filter = ["is_active", "answer_needs_photo", "parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]
    inlines = [SubCategoryInline]


@admin.register(Urgency)
class UrgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "level"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """Category × ward → agency. The most specific active rule wins: the category itself, then its
    parent (for each, this ward before any ward), then a ward-only rule, then a catch-all.
    Without a matching rule a report goes to the 1022 centre for triage."""

    list_display = ["category", "unit", "agency", "is_active"]
    list_filter = ["is_active", "category", "agency__kind"]
    search_fields = ["agency__name", "unit__name", "unit__code", "category__name"]
    autocomplete_fields = ["unit", "agency"]
    list_select_related = ["category", "category__parent", "unit", "agency"]
    list_per_page = 120


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ["category", "urgency", "accept_within", "answer_within", "unit"]
    list_select_related = ["category", "category__parent", "urgency"]


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "agency"]
    autocomplete_fields = ["agency"]


class ReportPhotoInline(admin.TabularInline):
    model = ReportPhoto
    fields = ["kind", "position", "width", "height", "is_hidden"]
    readonly_fields = ["kind", "position", "width", "height"]
    extra = 0
    can_delete = False


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    fields = ["created_at", "kind", "agency", "actor", "from_status", "to_status", "message", "is_public"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "category", "unit", "agency", "status", "created_at", "routed_at"]
    list_filter = ["status", "channel", "is_public"]
    search_fields = ["code"]
    date_hierarchy = "created_at"
    list_select_related = ["category", "category__parent", "unit", "agency"]
    readonly_fields = [
        "code",
        "category",
        "urgency",
        "unit",
        "agency",
        "assignee",
        "reporter",
        "status",
        "channel",
        "routed_at",
        "routing_attempts",
        "created_at",
        "accept_due_at",
        "answer_due_at",
        "merged_into",
        "version",
    ]
    fields = ["title", "description", "address", "lat", "lng", "is_public", "hide_identity", *readonly_fields]
    inlines = [ReportPhotoInline, ReportEventInline]
    show_full_result_count = False  # no COUNT(*) over a million rows on every page

    def get_search_results(self, request, queryset, search_term):
        """By code, or by every word of the folded text ("duong" finds "đường")."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        words = search_key(search_term).split()[:6]
        if words:
            folded = queryset
            for word in words:
                folded = folded.filter(search_key__contains=word)
            results = results | folded
        return results, may_have_duplicates

    def has_add_permission(self, request):
        return False  # reports are filed by citizens and the 1022 centre, with their routing
