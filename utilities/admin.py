from django.contrib import admin

from .models import Place, PlaceReport


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    # Editors add and correct places on the officer site (utilities.services checks every field:
    # the point inside the city, the opening hours' syntax); the admin only looks up and hides.
    list_display = ("name", "kind", "unit", "phone", "source", "is_active", "updated_at")
    list_filter = ("kind", "source", "is_active")
    search_fields = ("search_key", "source_id", "phone")
    list_select_related = ("unit",)
    readonly_fields = (
        "name", "kind", "address", "phone", "opening_hours", "website", "note", "unit", "lat", "lng",
        "source", "source_id", "agency", "version", "created_at", "updated_at",
    )  # fmt: skip
    fields = ("is_active", *readonly_fields)

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("unit__boundary")


@admin.register(PlaceReport)
class PlaceReportAdmin(admin.ModelAdmin):
    list_display = ("place", "problem", "status", "created_at", "handled_at")
    list_filter = ("status", "problem")
    raw_id_fields = ("place", "reporter", "handled_by")
