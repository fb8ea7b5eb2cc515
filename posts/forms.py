"""The portal's content review form, the author's revision and the reviewer's decision."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout
from django import forms
from django.db.models import QuerySet

from social.models import CompanyAccount
from tickets.forms import ACCEPT, KeepsFilesNotice

from .limits import limit_for

IMAGE_SLOTS = 3
DRAFT_HELP = "Exactly as it will be posted, hashtags and mentions included."


def _helper(layout: Layout) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = layout
    return helper


def postable_accounts() -> QuerySet[CompanyAccount]:
    # Anyone may ask for a post on any active company account: Communications reviews it and
    # the account's owner hears of the approval.
    return (
        CompanyAccount.objects.filter(status=CompanyAccount.Status.ACTIVE)
        .select_related("platform")
        .order_by("platform__name", "name")
    )


class AccountSelect(forms.Select):
    """Each option carries its platform's character limit for the live count (static/js/post-draft.js)."""

    limits: dict[str, str]

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        limit = self.limits.get(str(value), "")
        if limit:
            option["attrs"]["data-limit"] = limit
        return option


class AccountField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        handle = f" ({obj.handle})" if obj.handle else ""
        return f"{obj.name}{handle} — {obj.platform}"


def draft_field(**extra: Any) -> forms.CharField:
    return forms.CharField(
        label="Draft",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "data-draft": "", "aria-describedby": "draft-count"}),
        help_text=DRAFT_HELP,
        error_messages={"required": "Write the post you want reviewed."},
        **extra,
    )


def links_field() -> forms.CharField:
    return forms.CharField(
        label="Links in the post",
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One address a line; the reviewer opens each.",
    )


class ContentReviewForm(KeepsFilesNotice, forms.Form):
    account = AccountField(
        queryset=CompanyAccount.objects.none(),
        label="Post on",
        empty_label="Choose the account",
        widget=AccountSelect(attrs={"data-draft-account": ""}),
        error_messages={"required": "Choose the account the post goes out on."},
    )
    text = draft_field()
    links = links_field()
    publish_at = forms.DateTimeField(
        label="Publish at",
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="In your time zone. The review is due an hour before.",
        error_messages={"required": "Say when the post should go out.", "invalid": "Give a date and a time."},
    )
    context = forms.CharField(
        label="Context",
        required=False,
        max_length=4_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the post is for, who asked for it, anything the reviewer should know.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accounts = list(postable_accounts())
        field = self.fields["account"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = postable_accounts()
        widget = field.widget
        assert isinstance(widget, AccountSelect)
        widget.limits = {
            str(account.pk): str(limit) for account in accounts if (limit := limit_for(account.platform.slug))
        }
        images = []
        for slot in range(1, IMAGE_SLOTS + 1):
            self.fields[f"image_{slot}"] = forms.FileField(
                label=f"Image {slot}",
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
            )
            self.fields[f"alt_{slot}"] = forms.CharField(
                label=f"Alt text for image {slot}",
                required=False,
                max_length=300,
                help_text="What the image shows, for people who can't see it." if slot == 1 else "",
            )
            images.append(
                Div(
                    Div(f"image_{slot}", css_class="col-md-5"),
                    Div(f"alt_{slot}", css_class="col-md-7"),
                    css_class="row",
                )
            )
        self.helper = _helper(
            Layout(
                "account",
                Field("text"),
                Div(css_id="draft-count", css_class="form-text mb-3", aria_live="polite"),
                "links",
                Fieldset("Images", *images),
                "publish_at",
                "context",
            )
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for slot in range(1, IMAGE_SLOTS + 1):
            if data.get(f"image_{slot}") and not (data.get(f"alt_{slot}") or "").strip():
                self.add_error(f"alt_{slot}", "Describe this image for people who can't see it.")
            if (data.get(f"alt_{slot}") or "").strip() and not data.get(f"image_{slot}"):
                self.add_error(
                    f"image_{slot}", "Choose the image this alt text describes, or clear the text."
                )
        return data

    def images(self) -> list[tuple[Any, str]]:
        return [
            (self.cleaned_data[f"image_{slot}"], self.cleaned_data[f"alt_{slot}"])
            for slot in range(1, IMAGE_SLOTS + 1)
            if self.cleaned_data.get(f"image_{slot}")
        ]


class ReviseForm(forms.Form):
    text = draft_field()
    links = links_field()

    def __init__(self, *args: Any, limit: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if limit is not None:
            self.fields["text"].widget.attrs["data-limit"] = str(limit)
        self.fields["text"].label = "Next version"
        self.helper = _helper(
            Layout("text", Div(css_id="draft-count", css_class="form-text mb-3", aria_live="polite"), "links")
        )


class DecisionForm(forms.Form):
    verdict = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve"), ("changes", "Request changes"), ("reject", "Reject")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve, request changes or reject."},
    )
    comment = forms.CharField(
        label="Comment",
        required=False,
        max_length=4_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required to request changes or reject: the author reads it.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Layout("verdict", "comment"))
