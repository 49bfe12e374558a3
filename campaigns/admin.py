from django.contrib import admin

from .models import Campaign, Deadline, ExportLog, Household, MonthlyReport, Workplace


class DeadlineInline(admin.TabularInline):
    model = Deadline
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "target_percent", "starts_on"]
    filter_horizontal = ["units"]
    inlines = [DeadlineInline]


@admin.register(Workplace)
class WorkplaceAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "kind", "headcount"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["code", "group", "head_name", "address"]
    search_fields = ["code", "head_name"]


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ["unit", "month", "confirmed_at", "confirmed_by"]
    readonly_fields = ["rows", "confirmed_at", "confirmed_by"]


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "unit", "kind", "label", "fmt", "named"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
