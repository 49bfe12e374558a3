"""Administration of accounts: officers are created here (there is no self sign-up for them)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Consent, OutboundSms, Profile, User


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["ward"]
    raw_id_fields = ["residential_group"]
    extra = 0


class ConsentInline(admin.TabularInline):
    model = Consent
    fields = ["purpose", "granted", "version", "at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # consents are the citizen's own decisions


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "phone", "phone_verified", "email", "is_staff", "is_active"]
    search_fields = ["username", "full_name", "phone", "email"]
    list_filter = ["is_staff", "is_active", "phone_verified"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "phone", "phone_verified", "email")}),
        (
            _("Quyền"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Thời điểm"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "email", "usable_password", "password1", "password2"),
            },
        ),
    )
    inlines = [ProfileInline, ConsentInline]

    def get_inline_instances(self, request, obj=None):
        # A new account (an officer) has no profile or consents yet: those belong to citizens.
        return super().get_inline_instances(request, obj) if obj else []


@admin.register(OutboundSms)
class OutboundSmsAdmin(admin.ModelAdmin):
    """Delivery state only: the text is not shown (it may hold a live code)."""

    list_display = ["created_at", "phone", "status", "attempts", "error", "sent_at"]
    list_filter = ["status"]
    search_fields = ["phone"]
    fields = ["phone", "backend", "status", "attempts", "error", "created_at", "sent_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
