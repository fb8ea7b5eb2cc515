from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import User

from .addresses import AddressRefused, destination
from .models import Endpoint, Topic


class EndpointForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label="Events",
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Updated: the status, priority or queue changed. Reply or note: a public reply or an "
        "internal note (its text stays in the desk). The endpoint is sent these, and nothing else.",
    )

    class Meta:
        model = Endpoint
        fields = ["name", "url", "topics", "owner", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Owners hear when it fails: desk staff, who can read the admin's delivery log.
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = User.objects.filter(is_active=True).exclude(role=User.Role.EMPLOYEE)

    def clean_url(self) -> str:
        url = str(self.cleaned_data["url"]).strip()
        try:
            destination(url)  # the send checks again, after resolving the name anew
        except AddressRefused as refused:
            raise ValidationError(str(refused)) from refused
        return url
