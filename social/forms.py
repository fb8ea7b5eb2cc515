from __future__ import annotations

from datetime import datetime, time
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from tickets.forms import AccountChoiceMixin
from tickets.models import Platform, Queue, Ticket
from tickets.selectors import REFERENCE_RE

from .incidents import DETAILS_MAX, SIGNS
from .models import Access, CompanyAccount
from .services import CREATE_ONLY_FIELDS, EDITABLE_FIELDS

RECOVERY_LAYOUT = [
    "second_factor",
    "second_factor_holder",
    "recovery_email",
    "recovery_email_holder",
    "recovery_phone",
    "recovery_phone_holder",
    "credentials_location",
]


def _helper(layout: Layout | None = None) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout is not None:
        helper.layout = layout
    return helper


def active_people() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("full_name")


def _pair(*names: str) -> Div:
    return Div(*(Div(name, css_class="col-md-6") for name in names), css_class="row")


class AccountForm(forms.ModelForm):
    """The registry entry: details, people, recovery, review. Saved by the services, not by save()."""

    class Meta:
        model = CompanyAccount
        fields = [*EDITABLE_FIELDS, *CREATE_ONLY_FIELDS]
        labels = {"url": "Address (URL)"}
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "name": {"required": "Name the account, as people call it."},
            "platform": {"required": "Choose the platform the account is on."},
            "queue": {"required": "Choose the team that looks after the account."},
            "owner": {"required": "Every account needs a business owner: choose one."},
        }

    def __init__(self, *args: Any, queues: QuerySet[Queue], creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            for name in CREATE_ONLY_FIELDS:
                del self.fields[name]
            self.fields["reason"] = forms.CharField(
                label="Why the change (optional)",
                required=False,
                max_length=300,
                help_text="Kept in the account's history.",
            )
        else:
            self.fields["last_reviewed_at"] = forms.DateField(
                label="Last access review",
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                help_text="If someone already checked who has access, when. Optional.",
            )
        platform, queue = self.fields["platform"], self.fields["queue"]
        assert isinstance(platform, forms.ModelChoiceField)
        assert isinstance(queue, forms.ModelChoiceField)
        platform.queryset = Platform.objects.filter(is_active=True)
        queue.queryset = queues
        platform.empty_label = "Choose a platform"
        queue.empty_label = "Choose a queue"
        for name in [
            "owner",
            "deputy",
            "second_factor_holder",
            "recovery_email_holder",
            "recovery_phone_holder",
        ]:
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            current = getattr(self.instance, f"{name}_id", None) if self.instance.pk else None
            # A leaver already named stays choosable, so the form saves; the service refuses new ones.
            field.queryset = User.objects.filter(Q(is_active=True) | Q(pk=current)).order_by("full_name")
            field.empty_label = "Nobody" if name != "owner" else "Choose the owner"
        self.fields["credentials_location"].widget.attrs["placeholder"] = "vault: Social/LinkedIn"
        self.fields["credentials_location"].widget.attrs["autocomplete"] = "off"
        review = ["review_interval_days", *(["last_reviewed_at"] if creating else [])]
        self.helper = _helper(
            Layout(
                Fieldset("The account", _pair("platform", "name"), _pair("handle", "url"), "purpose"),
                Fieldset("Who", _pair("queue", "status"), _pair("owner", "deputy")),
                Fieldset(
                    "Recovery",
                    _pair("second_factor", "second_factor_holder"),
                    _pair("recovery_email", "recovery_email_holder"),
                    _pair("recovery_phone", "recovery_phone_holder"),
                    "credentials_location",
                ),
                Fieldset("Access review", _pair(*review) if len(review) == 2 else review[0]),
                *([] if creating else ["reason"]),
            )
        )

    def clean_last_reviewed_at(self) -> Any:
        day = self.cleaned_data.get("last_reviewed_at")
        if day is None:
            return None
        if day > timezone.localdate():
            raise forms.ValidationError("The last review can't be in the future.")
        return timezone.make_aware(datetime.combine(day, time.min))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        # As the services do: without a second factor, nobody holds one.
        if data.get("second_factor") == CompanyAccount.SecondFactor.NONE:
            data["second_factor_holder"] = None
        return data

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in [*EDITABLE_FIELDS, *CREATE_ONLY_FIELDS]}

    def changed_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.changed_data if name in EDITABLE_FIELDS}


class RegistryFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    platform = forms.ModelChoiceField(
        queryset=Platform.objects.all(), required=False, empty_label="Any platform", to_field_name="slug"
    )
    queue = forms.ModelChoiceField(
        queryset=Queue.objects.all(), required=False, empty_label="Any queue", to_field_name="slug"
    )
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False, empty_label="Any owner")
    status = forms.ChoiceField(choices=[("", "Any status"), *CompanyAccount.Status.choices], required=False)
    no_second_factor = forms.BooleanField(label="No second factor", required=False)
    review_overdue = forms.BooleanField(label="Review overdue", required=False)
    no_owner = forms.BooleanField(label="No owner (the owner has left)", required=False)

    def __init__(self, *args: Any, owners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = owners
        self.fields["q"].widget.attrs.update(
            {"placeholder": "Name or handle", "type": "search", "class": "form-control form-control-sm"}
        )
        for name in ("platform", "queue", "owner", "status"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"
        for name in ("no_second_factor", "review_overdue", "no_owner"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def selects(self) -> list[forms.BoundField]:
        return [self[name] for name in ("platform", "queue", "owner", "status")]

    def flags(self) -> list[forms.BoundField]:
        return [self[name] for name in ("no_second_factor", "review_overdue", "no_owner")]


class TicketReferenceField(forms.CharField):
    """A ticket by its reference (SIT-123) or number, among the tickets the person works."""

    def __init__(self, *, tickets: QuerySet[Ticket], **kwargs: Any) -> None:
        self.tickets = tickets
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Ticket | None:
        text = super().clean(value)
        if not text:
            return None
        match = REFERENCE_RE.match(text)
        ticket = self.tickets.filter(pk=int(match.group(1))).first() if match else None
        if ticket is None:
            raise forms.ValidationError(
                f"No ticket “{text}” in your queues: give its reference, such as SIT-123, or leave it empty."
            )
        return ticket


class GrantForm(forms.Form):
    holder = forms.ModelChoiceField(
        label="Who",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        error_messages={"required": "Choose who gets the access."},
    )
    role = forms.ChoiceField(
        choices=Access.Role.choices, initial=Access.Role.EDITOR, error_messages={"required": "Choose a role."}
    )
    role_label = forms.CharField(
        label="Role name, for Other",
        required=False,
        max_length=60,
        help_text="The platform's own name for the role, such as “Content admin”.",
    )
    ticket = forms.CharField(required=False)
    ends_at = forms.DateField(
        label="Until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional: the last day of the access.",
    )
    reason = forms.CharField(
        label="Note", required=False, max_length=300, help_text="Optional: why, for the history."
    )

    def __init__(self, *args: Any, tickets: QuerySet[Ticket], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        holder = self.fields["holder"]
        assert isinstance(holder, forms.ModelChoiceField)
        holder.queryset = active_people()
        self.fields["ticket"] = TicketReferenceField(
            tickets=tickets,
            label="Through ticket",
            required=False,
            max_length=20,
            help_text="Optional: the request that asked for it, such as SIT-123.",
        )
        self.helper = _helper(
            Layout(_pair("holder", "role"), "role_label", _pair("ticket", "ends_at"), "reason")
        )

    def clean_ends_at(self) -> Any:
        day = self.cleaned_data.get("ends_at")
        if day is None:
            return None
        if day < timezone.localdate():
            raise forms.ValidationError(
                "That day has passed: choose today or a later day, or leave it empty."
            )
        # The access lasts through its last day.
        return timezone.make_aware(datetime.combine(day, time.max))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why, such as “left the team” or “no longer needed”."},
    )

    def __init__(self, *args: Any, required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if not required:
            self.fields["reason"].label = "Why (optional)"
        self.helper = _helper()


class ConnectedAppForm(forms.Form):
    name = forms.CharField(
        label="App",
        max_length=120,
        error_messages={"required": "Name the app, as the platform lists it."},
        help_text="As the platform lists it, such as “Buffer” or “Hootsuite”.",
    )
    scope = forms.CharField(
        label="What it may do",
        max_length=300,
        required=False,
        help_text="Such as “publish posts, read messages”.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ReportHackedForm(AccountChoiceMixin, forms.Form):
    """The portal's "Report a hacked account": which account, and what the reporter sees."""

    platform = forms.ModelChoiceField(
        queryset=Platform.objects.filter(is_active=True),
        empty_label="Choose a platform",
        error_messages={"required": "Choose the platform the account is on."},
    )
    company_account = forms.CharField(label="Which account?", max_length=200, required=False)
    signs = forms.MultipleChoiceField(
        label="What do you see?",
        choices=SIGNS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick everything that applies.",
    )
    details = forms.CharField(
        label="Anything else",
        required=False,
        max_length=DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Since when, what the posts or messages say. Never a password.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account_choices_set()
        self.fields["company_account"].help_text = "The handle, page or address, such as @acme."
        self.helper = _helper(
            Layout(
                Field("platform", **self.ACCOUNT_REFRESH),
                self.account_layout(),
                "signs",
                "details",
            )
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self.account_clean()
        if not data.get("signs") and not (data.get("details") or "").strip():
            self.add_error("signs", "Tick what you see, or describe it below.")
        return data
