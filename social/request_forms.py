"""Forms of the asks that need a yes (access, exceptions), the access review and offboarding."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from crispy_forms.layout import Layout
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from approvals.models import Approval
from approvals.services import REASON_MAX_CHARS
from tickets.models import Platform

from .forms import _helper, _pair
from .models import Access, CompanyAccount


def _until_field(help_text: str) -> forms.DateField:
    return forms.DateField(
        label="Until (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=help_text,
    )


def _last_moment(day: date | None) -> datetime | None:
    if day is None:
        return None
    if day < timezone.localdate():
        raise forms.ValidationError("That day has passed: choose today or a later day, or leave it empty.")
    # It lasts through its last day.
    return timezone.make_aware(datetime.combine(day, time.max))


REASON_HELP = "What you will do with it, so that the approver can say yes."


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CompanyAccount) -> str:
        return f"{obj.name} ({obj.platform})"


class AccessRequestForm(forms.Form):
    account = AccountChoiceField(
        queryset=CompanyAccount.objects.none(),
        label="Account",
        empty_label="Choose an account",
        error_messages={
            "required": "Choose the account you need.",
            "invalid_choice": "Choose an account from the list.",
        },
    )
    role = forms.ChoiceField(label="Role wanted", choices=Access.Role.choices, initial=Access.Role.EDITOR)
    role_label = forms.CharField(
        label="Role name on the platform", required=False, max_length=60, help_text="Only for Other."
    )
    reason = forms.CharField(
        label="Why you need it",
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REASON_HELP,
        error_messages={"required": "Say why you need access: the owner decides on it."},
    )
    until = _until_field("The last day you need it; the access ends by itself then.")

    def __init__(self, *args: Any, accounts: QuerySet[CompanyAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["account"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = accounts
        self.helper = _helper(Layout("account", _pair("role", "role_label"), "reason", "until"))

    def clean_until(self) -> datetime | None:
        return _last_moment(self.cleaned_data.get("until"))


class ExceptionForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is it?",
        choices=[
            (Approval.Kind.NETWORK, "A site blocked by the company network"),
            (Approval.Kind.SOFTWARE, "Software I need"),
        ],
        widget=forms.RadioSelect,
        initial=Approval.Kind.NETWORK,
    )
    what = forms.CharField(
        label="Which site or software",
        max_length=200,
        help_text="Such as facebook.com, or the Hootsuite desktop app.",
        error_messages={"required": "Name the site or the software."},
    )
    platform = forms.ModelChoiceField(
        queryset=Platform.objects.filter(is_active=True),
        label="Platform (optional)",
        required=False,
        empty_label="Not one of them",
    )
    reason = forms.CharField(
        label="Why you need it",
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Your department head decides on it, then IT sets it up.",
        error_messages={"required": "Say why you need it: your department head decides on it."},
    )
    until = _until_field("The last day you need it; leave empty if for good.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Layout("kind", _pair("what", "platform"), "reason", "until"))

    def clean_until(self) -> datetime | None:
        return _last_moment(self.cleaned_data.get("until"))


class ReviewForm(forms.Form):
    """Keep or revoke each current access; the fields are named access-<id>."""

    note = forms.CharField(
        label="Note",
        required=False,
        max_length=300,
        help_text="Required when you revoke someone: why their access ends.",
    )

    def __init__(self, *args: Any, accesses: list[Access], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.accesses = accesses
        for access in accesses:
            self.fields[f"access-{access.pk}"] = forms.ChoiceField(
                label=f"{access.holder}, {access.role_name}",
                choices=[("keep", "Keep"), ("revoke", "Revoke")],
                initial="keep",
                widget=forms.RadioSelect,
            )

    def revoked_ids(self) -> list[int]:
        return [a.pk for a in self.accesses if self.cleaned_data.get(f"access-{a.pk}") == "revoke"]

    def choice(self, access: Access) -> forms.BoundField:
        return self[f"access-{access.pk}"]


class OffboardForm(forms.Form):
    leaving_on = forms.DateField(
        label="Leaving date",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Revoke tickets open now. On or after this day the person can no longer sign in.",
        error_messages={"required": "Give the leaving date."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class PersonForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("full_name"),
        label="Who is leaving?",
        error_messages={
            "required": "Choose the person who leaves.",
            "invalid_choice": "Choose someone from the list.",
        },
    )
