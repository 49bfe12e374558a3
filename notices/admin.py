from django.contrib import admin

from .models import Notice, PushSubscription


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "text", "read_at", "sms_sent_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "sms"]
    readonly_fields = ["sms_queued_at", "sms_sent_at"]
    search_fields = ["text"]

    def has_add_permission(self, request):
        return False  # notices come from the apps' services, never by hand


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "device", "last_sent_at"]
    raw_id_fields = ["user"]
    readonly_fields = ["endpoint", "p256dh", "auth", "device", "created_at", "last_sent_at"]

    def has_add_permission(self, request):
        return False  # a browser subscribes itself (notices.push_views)
