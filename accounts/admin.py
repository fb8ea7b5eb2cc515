from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest, HttpResponse

from . import admin_audit  # noqa: F401  (registers the sign-in audit trail and lock-outs)
from .models import AuthEvent, Department, User
from .services import user_deactivated, user_password_changed, user_set_role


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "head"]
    list_select_related = ["head"]
    search_fields = ["name"]
    autocomplete_fields = ["head"]


class LowerCaseEmail:
    """Addresses are stored in lower case, as create_user stores them."""

    cleaned_data: dict[str, Any]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


class UserCreationForm(LowerCaseEmail, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]


class UserEditForm(LowerCaseEmail, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Agents look up only the people on their queues' tickets: the tickets app, which knows the
    queues, registers that scope over this admin (tickets/admin.py)."""

    form = UserEditForm
    add_form = UserCreationForm
    list_display = ["email", "full_name", "role", "department", "is_active", "last_login"]
    list_filter = ["role", "department", "is_active"]
    list_select_related = ["department"]
    search_fields = ["email", "full_name"]
    ordering = ["full_name"]
    autocomplete_fields = ["department"]
    readonly_fields = ["is_staff", "is_superuser", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "department"]}),
        (
            "Role",
            {
                "fields": ["role", "is_active", "is_staff", "is_superuser"],
                "description": "The role decides what someone may do; admin access follows from it.",
            },
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "department", "role", "password1", "password2"],
            },
        )
    ]
    filter_horizontal = ()

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change or "role" in form.changed_data:
            user_set_role(user=obj, role=obj.role)
        if change and "is_active" in form.changed_data and not obj.is_active:
            user_deactivated(user=obj, request=request)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        # Django's view redirects only once the new password is saved.
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.get(pk=id)
            user_password_changed(user=user, request=request, kind=AuthEvent.Kind.PASSWORD_CHANGED)
        return response
