from django.contrib import admin
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.translation import gettext_lazy as _

from smarthp.text import search_key

from .models import AdministrativeUnit, Agency, CalendarDay, Membership, ResidentialGroup


class FoldedSearchMixin:
    """Search the diacritic-free key too, so "le chan" and "Lê Chân" find the same unit."""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        folded = search_key(search_term)
        if folded and hasattr(self.model, "search_key"):
            results |= queryset.filter(search_key__contains=folded)
        return results, may_have_duplicates


class ResidentialGroupInline(admin.TabularInline):
    model = ResidentialGroup
    fields = ["name", "households", "smartphone_households", "surveyed_on", "leader_name"]
    extra = 0


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "has_boundary", "has_seat"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "kind", "seat_lat", "seat_lng", "boundary_summary"]
    readonly_fields = ["boundary_summary"]
    inlines = [ResidentialGroupInline]
    list_per_page = 120

    def get_queryset(self, request):
        # The changelist only needs to know whether there is a boundary, not carry all of them.
        return (
            super()
            .get_queryset(request)
            .defer("boundary")
            .annotate(boundary_loaded=ExpressionWrapper(Q(boundary__isnull=False), output_field=BooleanField()))
        )

    def get_readonly_fields(self, request, obj=None):
        # The code is the key other records point at: set once.
        return [*self.readonly_fields, "code"] if obj else self.readonly_fields

    @admin.display(boolean=True, description=_("có ranh giới"), ordering="boundary_loaded")
    def has_boundary(self, unit):
        return unit.boundary_loaded

    @admin.display(boolean=True, description=_("có tọa độ trụ sở"))
    def has_seat(self, unit):
        return unit.seat_lat is not None and unit.seat_lng is not None

    @admin.display(description=_("ranh giới"))
    def boundary_summary(self, unit):
        # Boundaries come from the import_boundaries command; a hand-edited polygon is a mistake waiting.
        if not unit or not unit.boundary:
            return _("Chưa có (nhập bằng lệnh import_boundaries).")
        coordinates = unit.boundary.get("coordinates") or []
        polygons = coordinates if unit.boundary.get("type") == "MultiPolygon" else [coordinates]
        points = sum(len(ring) for polygon in polygons for ring in polygon)
        return _("%(type)s, %(polygons)s vùng, %(points)s điểm (nhập bằng lệnh import_boundaries).") % {
            "type": unit.boundary.get("type"),
            "polygons": len(polygons),
            "points": points,
        }


@admin.register(ResidentialGroup)
class ResidentialGroupAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "unit", "households", "smartphone_households", "surveyed_on", "leader_name"]
    list_filter = [("unit", admin.RelatedOnlyFieldListFilter), "unit__kind"]
    search_fields = ["name", "unit__name", "unit__code"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "is_active"]
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "unit", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "slug", "unit__name", "unit__code"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role", "is_active"]
    list_filter = ["role", "is_active", "agency__kind"]
    search_fields = ["user__username", "user__full_name", "user__phone", "agency__name", "agency__slug"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["agency"]
    list_select_related = ["user", "agency"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Tết bridge days off and make-up Saturdays; public holidays themselves come from the `holidays` package."""

    list_display = ["date", "kind", "name"]
    list_display_links = ["date"]
    list_editable = ["kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]
