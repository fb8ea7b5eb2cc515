from __future__ import annotations

from django import forms

from .models import ApiToken
from .tokens import EXPIRY_CHOICES_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What will use it, such as “Chat bot” or “Intranet”.")
    scope = forms.ChoiceField(
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text="Read only lists and shows tickets; read and write also files, replies and changes them.",
    )
    expires_in_days = forms.TypedChoiceField(
        label="Expires after",
        coerce=int,
        choices=[(days, f"{days} days") for days in EXPIRY_CHOICES_DAYS],
        initial=90,
    )
