"""The registry in the admin, under the desk's rules.

Who sees and changes what is decided by social/selectors.py, not by model permissions: each
person sees the accounts they may edit (an agent their queues', managers and administrators
all), recovery details only where can_see_recovery allows, and saves go through the services
so that every change is checked and recorded. Nothing can be deleted; access, apps and history
are read-only here and change in the desk.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest
from django.utils.html import format_html_join

from accounts.http import signed_in_user
from accounts.models import User
from tickets.selectors import desk_queues

from . import services
from .history import RECOVERY_FIELDS, history_lines
from .models import Access, AccountEvent, CompanyAccount, ConnectedApp
from .selectors import can_edit_account, can_see_recovery, editable_accounts

PEOPLE = ["owner", "deputy", "second_factor_holder", "recovery_email_holder", "recovery_phone_holder"]


def _names_recovery(lookup: str, account_path: str) -> bool:
    parts = lookup.split(LOOKUP_SEP)
    prefix = account_path.split(LOOKUP_SEP) if account_path else []
    return (
        parts[: len(prefix)] == prefix and len(parts) > len(prefix) and parts[len(prefix)] in RECOVERY_FIELDS
    )


def _desk_user(request: HttpRequest) -> bool:
    # The admin's log-in page lists the apps too, for a visitor not signed in yet.
    return bool(getattr(request.user, "is_desk_user", False))


class RegistryScopedAdmin(admin.ModelAdmin):
    """Rows about the accounts the viewer may edit; read-only unless a subclass says otherwise."""

    account_path = "account"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = super().get_queryset(request)
        accounts = editable_accounts(signed_in_user(request))
        if not self.account_path:
            return rows & accounts
        return rows.filter(**{f"{self.account_path}__in": accounts})

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        # A ?recovery_phone__startswith= probe would spell out a recovery detail one digit at a time.
        return not _names_recovery(lookup, self.account_path) and super().lookup_allowed(
            lookup, value, request
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        # The admin asks this of the anonymous visitor of its login page too.
        return getattr(request.user, "is_desk_user", False)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return getattr(request.user, "is_desk_user", False)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _desk_user(request)


class AccessInline(ReadOnlyInline):
    model = Access
    fields = (
        "holder",
        "role_name",
        "granted_at",
        "granted_by",
        "ends_at",
        "revoked_at",
        "revoked_by",
        "revoke_reason",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Access]:
        return super().get_queryset(request).select_related("holder", "granted_by", "revoked_by")

    @admin.display(description="role")
    def role_name(self, access: Access) -> str:
        return access.role_name


class ConnectedAppInline(ReadOnlyInline):
    model = ConnectedApp
    fields = ("name", "scope", "added_at", "added_by", "removed_at", "removed_by")
    readonly_fields = fields


def changes_shown(event: AccountEvent) -> str:
    # The admin's history never spells out recovery details: it says which changed, and the
    # desk's account page shows the values to those allowed.
    lines = history_lines(event, show_recovery=False)
    return (
        format_html_join(
            "", "<div>{}: {} → {}</div>", ((line.label, line.before, line.after) for line in lines)
        )
        or "—"
    )


class AccountEventInline(ReadOnlyInline):
    model = AccountEvent
    fields = ("created_at", "actor", "summary", "what_changed", "reason")
    readonly_fields = fields
    verbose_name_plural = "history"

    def get_queryset(self, request: HttpRequest) -> QuerySet[AccountEvent]:
        return super().get_queryset(request).select_related("actor")

    @admin.display(description="what changed")
    def what_changed(self, event: AccountEvent) -> str:
        return changes_shown(event)


class AccountAdminForm(forms.ModelForm):
    class Meta:
        model = CompanyAccount
        fields = services.EDITABLE_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in PEOPLE:
            if name in self.fields:
                # A leaver already named stays, so the form saves; nobody who has left can be newly named.
                current = getattr(self.instance, f"{name}_id", None)
                field = self.fields[name]
                assert isinstance(field, forms.ModelChoiceField)
                field.queryset = User.objects.filter(Q(is_active=True) | Q(pk=current))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("second_factor") == CompanyAccount.SecondFactor.NONE:
            data["second_factor_holder"] = None
        return data


@admin.register(CompanyAccount)
class CompanyAccountAdmin(RegistryScopedAdmin):
    account_path = ""
    form = AccountAdminForm
    list_display = [
        "name",
        "platform",
        "handle",
        "queue",
        "owner",
        "status",
        "second_factor",
        "review_due_at",
    ]
    list_filter = ["status", "platform", "second_factor", "queue"]
    list_select_related = ["platform", "queue", "owner"]
    search_fields = ["name", "handle"]
    readonly_fields = ["last_reviewed_at", "review_due_at", "created_at", "updated_at"]
    inlines = [AccessInline, ConnectedAppInline, AccountEventInline]
    details = [
        (None, {"fields": ["platform", "name", "handle", "url", "purpose", "status", "second_factor"]}),
        ("Who", {"fields": ["queue", "owner", "deputy"]}),
    ]
    recovery = (
        "Recovery",
        {
            "fields": [
                "second_factor_holder",
                ("recovery_email", "recovery_email_holder"),
                ("recovery_phone", "recovery_phone_holder"),
                "credentials_location",
            ],
            "description": "Where recovery mail and codes go, and who holds them. Never a password.",
        },
    )
    review = ("Access review", {"fields": ["review_interval_days", "last_reviewed_at", "review_due_at"]})

    def get_fieldsets(self, request: HttpRequest, obj: CompanyAccount | None = None) -> list[Any]:
        shown = obj is None or can_see_recovery(signed_in_user(request), obj)
        fieldsets = [*self.details, *([self.recovery] if shown else []), self.review]
        if obj is None:
            return fieldsets
        return [*fieldsets, ("Dates", {"fields": ["created_at", "updated_at"]})]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        # Only the fields of the fieldsets shown: a hidden recovery field must not be posted either.
        if obj is not None and not can_see_recovery(signed_in_user(request), obj):
            kwargs["exclude"] = sorted(RECOVERY_FIELDS)
        return super().get_form(request, obj, change, **kwargs)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        user = signed_in_user(request)
        if db_field.name == "queue" and not user.sees_every_queue:
            kwargs["queryset"] = desk_queues(user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _desk_user(request) and desk_queues(signed_in_user(request)).exists()

    def has_change_permission(self, request: HttpRequest, obj: CompanyAccount | None = None) -> bool:
        if obj is None:
            return _desk_user(request)
        return can_edit_account(signed_in_user(request), obj)

    def save_model(self, request: HttpRequest, obj: CompanyAccount, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            changes = {name: data[name] for name in form.changed_data if name in services.EDITABLE_FIELDS}
            services.account_update(
                account=CompanyAccount.objects.get(pk=obj.pk), actor=signed_in_user(request), changes=changes
            )
            return
        details = {name: data[name] for name in services.EDITABLE_FIELDS if name in data}
        created = services.account_create(
            actor=signed_in_user(request),
            platform=details.pop("platform"),
            name=details.pop("name"),
            queue=details.pop("queue"),
            owner=details.pop("owner"),
            **details,
        )
        obj.pk = created.pk


@admin.register(Access)
class AccessAdmin(RegistryScopedAdmin):
    list_display = ["holder", "role", "role_label", "account", "granted_at", "ends_at", "revoked_at"]
    list_filter = ["role", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["holder", "account__platform"]
    search_fields = ["holder__full_name", "holder__email", "account__name"]


@admin.register(ConnectedApp)
class ConnectedAppAdmin(RegistryScopedAdmin):
    list_display = ["name", "account", "scope", "added_at", "removed_at"]
    list_select_related = ["account__platform"]
    search_fields = ["name", "account__name"]


@admin.register(AccountEvent)
class AccountEventAdmin(RegistryScopedAdmin):
    list_display = ["created_at", "account", "actor", "kind", "summary"]
    list_filter = ["kind"]
    list_select_related = ["account__platform", "actor"]
    search_fields = ["summary", "account__name"]
    fields = ("account", "actor", "kind", "summary", "what_changed", "reason", "created_at")
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description="what changed")
    def what_changed(self, event: AccountEvent) -> str:
        return changes_shown(event)
