from django.contrib import admin

from .models import Article, Delivery, Outage, OutageFollow, Schedule, WardNotice


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "status", "published_at", "is_citywide"]
    list_filter = ["status", "category", "is_citywide"]
    search_fields = ["title"]
    raw_id_fields = ["author"]
    filter_horizontal = ["wards"]
    # Bodies are written on the officer site, where they are sanitised (news.services).
    readonly_fields = ["body", "correction", "corrected_at", "version"]


@admin.register(WardNotice)
class WardNoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "is_urgent", "published_at", "expires_at"]
    list_filter = ["is_urgent"]
    readonly_fields = ["title", "body", "is_urgent", "published_at"]
    filter_horizontal = ["wards"]
    raw_id_fields = ["author"]


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "ward"]
    list_filter = ["kind"]
    raw_id_fields = ["author"]


@admin.register(Outage)
class OutageAdmin(admin.ModelAdmin):
    list_display = ["company", "utility", "kind", "starts_at", "ends_at", "cancelled_at", "warned_at"]
    list_filter = ["utility", "kind", "company"]
    readonly_fields = ["warn_at", "warned_at", "place_keys"]
    filter_horizontal = ["wards"]
    raw_id_fields = ["created_by"]


@admin.register(OutageFollow)
class OutageFollowAdmin(admin.ModelAdmin):
    list_display = ["user", "customer_code", "substation", "street"]
    raw_id_fields = ["user"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["source", "cursor", "sent", "created_at", "finished_at"]
    readonly_fields = ["source", "cursor", "sent", "created_at", "queued_at", "finished_at"]
