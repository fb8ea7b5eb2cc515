from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .models import User


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Work email"
        self.fields["username"].widget.attrs.update({"autocomplete": "email", "inputmode": "email"})


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name"]
