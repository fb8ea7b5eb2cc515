from __future__ import annotations

from django.contrib import admin

from .models import Calendar, Holiday, Policy, WorkingPeriod


class WorkingPeriodInline(admin.TabularInline):
    model = WorkingPeriod
    extra = 0


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 0


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone", "always_open"]
    search_fields = ["name"]
    inlines = [WorkingPeriodInline, HolidayInline]


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "calendar",
        "first_response_minutes",
        "resolution_minutes",
        "warning_percent",
        "raise_priority_on_breach",
    ]
    list_select_related = ["calendar"]
    search_fields = ["name"]
