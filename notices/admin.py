from django.contrib import admin

from .models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "text", "read_at", "sms_sent_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "sms"]
    readonly_fields = ["sms_queued_at", "sms_sent_at"]
    search_fields = ["text"]

    def has_add_permission(self, request):
        return False  # notices come from the apps' services, never by hand
