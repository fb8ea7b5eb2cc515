from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from socialit.change_history import ChangeHistoryAdmin

from .days_off import countries, public_holidays, subdivisions
from .models import Calendar, CompanyDay, Policy, WorkingPeriod

NO_PUBLIC_HOLIDAYS = ""


def place_choices() -> list[tuple[str, Any]]:
    """Each country, then its subdivisions, as FR or FR-57: one list the admin picks from."""
    choices: list[tuple[str, Any]] = [(NO_PUBLIC_HOLIDAYS, "None: company days only")]
    for code, name in countries().items():
        places = [(code, f"{name}, whole country ({code})")]
        places += [
            (f"{code}-{sub}", f"{name}, {sub_name} ({code}-{sub})")
            for sub, sub_name in subdivisions(code).items()
        ]
        choices.append((name, places))
    return choices


class CalendarForm(forms.ModelForm):
    place = forms.ChoiceField(
        label="Public holidays",
        required=False,
        choices=place_choices,
        help_text="The country, or the region of it, whose public holidays stop the clock. "
        "Add the company's own days off below.",
    )

    class Meta:
        model = Calendar
        fields = ["name", "time_zone", "always_open"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("place", self.instance.place)

    def clean(self) -> dict[str, Any]:
        super().clean()
        # Country codes have two letters, and no subdivision code has a dash.
        country, _, subdivision = self.cleaned_data.get("place", "").partition("-")
        self.instance.country, self.instance.subdivision = country, subdivision
        return self.cleaned_data


class WorkingPeriodInline(admin.TabularInline):
    model = WorkingPeriod
    extra = 0


class CompanyDayInline(admin.TabularInline):
    model = CompanyDay
    extra = 0
    verbose_name_plural = "company days (closed on top of the public holidays)"


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    form = CalendarForm
    list_display = ["name", "time_zone", "public_holidays", "always_open"]
    search_fields = ["name"]
    fields = ["name", "time_zone", "always_open", "place", "public_holidays_this_year"]
    readonly_fields = ["public_holidays_this_year"]
    inlines = [WorkingPeriodInline, CompanyDayInline]

    @admin.display(description="Public holidays", ordering="country")
    def public_holidays(self, calendar: Calendar) -> str:
        return calendar.place or "None"

    @admin.display(description="This year's public holidays")
    def public_holidays_this_year(self, calendar: Calendar) -> str:
        if not calendar.country:
            return "None: only the company days below stop the clock."
        days = public_holidays(calendar.country, calendar.subdivision, timezone.localdate().year)
        if not days:
            return "None this year."
        rows = format_html_join(
            "", "<li>{}: {}</li>", ((f"{day:%a} {day.day} {day:%b}", name) for day, name in days.items())
        )
        return format_html('<ul class="public-holidays">{}</ul>', rows)


@admin.register(Policy)
class PolicyAdmin(ChangeHistoryAdmin):
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
