"""Open311 client keys in the admin: issue (the key is shown once, on the page after saving),
see when each was last used, change a key's limit, revoke. Keys are never deleted: the reports a
key filed keep pointing at it."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Open311Key
from . import keys


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    list_display = ["client_name", "prefix", "state", "requests_per_minute", "last_used_at", "created_at", "created_by"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["client_name", "contact", "prefix"]
    list_select_related = ["created_by"]
    actions = ["revoke"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]

    def get_fields(self, request, obj=None):
        editable = ["client_name", "contact", "requests_per_minute"]
        return editable if obj is None else [*editable, *self.readonly_fields]

    @admin.display(description=_("trạng thái"))
    def state(self, key):
        return _("đang dùng") if key.is_active else _("đã thu hồi")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        _key, raw_key = keys.issue_key(
            client_name=obj.client_name,
            contact=obj.contact,
            requests_per_minute=obj.requests_per_minute,
            issued_by=request.user,
            instance=obj,
        )
        request.open311_raw_key = raw_key  # shown by response_add, and nowhere else

    def response_add(self, request, obj, post_url_continue=None):
        """The key, once: a page of its own rather than a message, which would sit in a cookie or
        the session until shown."""
        context = {
            **self.admin_site.each_context(request),
            "title": _("Khóa API đã cấp"),
            "key": obj,
            "raw_key": request.open311_raw_key,
            "opts": self.opts,
            "list_url": reverse("admin:feedback_open311key_changelist"),
        }
        response = TemplateResponse(request, "admin/feedback/open311key/issued.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("Thu hồi các khóa đã chọn"))
    def revoke(self, request, queryset):
        count = keys.revoke_keys(queryset)
        self.message_user(
            request,
            ngettext("Đã thu hồi %(count)d khóa.", "Đã thu hồi %(count)d khóa.", count) % {"count": count},
            messages.SUCCESS,
        )

    def has_delete_permission(self, request, obj=None):
        return False
