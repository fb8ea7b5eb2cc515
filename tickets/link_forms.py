from __future__ import annotations

from typing import Any

from django import forms

from accounts.models import User

from .linking import RELATION_CHOICES
from .selectors import REFERENCE_RE


class ReferenceField(forms.CharField):
    """A ticket's reference as people write it ("SIT-12" or "12"), cleaned to its number."""

    def clean(self, value: Any) -> int:
        text = super().clean(value)
        match = REFERENCE_RE.match(text or "")
        if match is None:
            raise forms.ValidationError("Give the other ticket's reference, such as SIT-12.")
        return int(match.group(1))


class LinkForm(forms.Form):
    prefix = "link"

    relation = forms.ChoiceField(label="This ticket is", choices=RELATION_CHOICES)
    other = ReferenceField(
        label="Ticket", max_length=20, widget=forms.TextInput(attrs={"placeholder": "SIT-12"})
    )


class MergeForm(forms.Form):
    prefix = "merge"

    target = ReferenceField(
        label="Merge into", max_length=20, widget=forms.TextInput(attrs={"placeholder": "SIT-12"})
    )


class FamilyResolveForm(forms.Form):
    prefix = "family"

    body = forms.CharField(
        label="One message to every requester",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sent as a public reply on this ticket and on each open child, which all become resolved.",
    )
    children = forms.BooleanField(label="Resolve its open children too", required=False, initial=True)


class ColleagueForm(forms.Form):
    prefix = "colleague"

    email = forms.EmailField(label="Colleague's work email", max_length=254)

    def clean_email(self) -> User:
        email = self.cleaned_data["email"]
        colleague = User.objects.filter(email__iexact=email, is_active=True, role=User.Role.EMPLOYEE).first()
        if colleague is None:
            raise forms.ValidationError(
                f"No colleague signs in as {email}. Check the address; only employees with an account can be added."
            )
        return colleague
