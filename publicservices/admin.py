from django.contrib import admin

from .models import Dossier, DossierEvent, Procedure, ProcedureDocument, ProcedureField


@admin.register(ProcedureField)
class ProcedureFieldAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class DocumentInline(admin.TabularInline):
    model = ProcedureDocument
    extra = 1


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "field", "level", "agency", "online_level", "is_active"]
    list_filter = ["level", "online_level", "is_active", "field"]
    search_fields = ["code", "search_key"]
    list_select_related = ["field", "agency"]
    autocomplete_fields = ["field"]
    inlines = [DocumentInline]


class EventInline(admin.TabularInline):
    model = DossierEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "actor_name", "status", "holder_name", "holder_unit", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only: every change of a dossier goes through the officer site's steps (and their log)."""

    list_display = ["code", "procedure", "agency", "status", "submitted_at", "due_at"]
    list_filter = ["status"]
    search_fields = ["code"]
    list_select_related = ["procedure", "agency"]
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
