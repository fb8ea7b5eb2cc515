from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms

from accounts.models import User
from tickets.attachments import size_label
from tickets.models import Platform, ProblemType

from .images import ACCEPT_ATTRIBUTE, ACCEPTED, IMAGE_MAX_BYTES
from .models import Guide
from .permissions import COMMUNICATIONS_TOPICS
from .services import COMMENT_MAX_CHARS, GuideContent
from .suggestions import TEXT_CHARS, Request


class GuideForm(forms.ModelForm):
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label="What changed",
        max_length=200,
        required=False,
        help_text="Optional: a few words for the revision history, such as “Added LinkedIn steps”.",
    )

    class Meta:
        model = Guide
        fields = [
            "title",
            "slug",
            "summary",
            "topic",
            "audience",
            "platforms",
            "body",
            "owner",
            "review_by",
            "status",
        ]
        labels = {"body": "Text", "review_by": "Review by", "slug": "Address"}
        help_texts = {
            "slug": "Leave empty to make one from the title. Other guides link to it as /guides/address/.",
            "body": "Markdown: ## for a heading, **bold**, - for a list, [words](https://…) for a link. "
            "HTML is shown as typed, not run.",
            "platforms": "The platforms it is about; none for a guide that applies everywhere.",
            "review_by": "When someone should check it is still right.",
            "owner": "Who keeps it correct.",
            "audience": "Staff-only guides are hidden from employees.",
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 18, "class": "font-monospace guide-source"}),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "platforms": forms.CheckboxSelectMultiple,
            "review_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "status": forms.RadioSelect,
        }
        error_messages = {
            "title": {"required": "Give the guide a title, the question it answers."},
            "summary": {
                "required": "Write a sentence or two that tells a reader whether this guide is for them."
            },
            "body": {"required": "Write the guide's text."},
            "topic": {"required": "Choose a topic."},
            "slug": {"unique": "Another guide has this address; choose another or leave it empty."},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        platforms, owner, topic = self.fields["platforms"], self.fields["owner"], self.fields["topic"]
        assert isinstance(platforms, forms.ModelMultipleChoiceField)
        assert isinstance(owner, forms.ModelChoiceField)
        assert isinstance(topic, forms.ChoiceField)
        platforms.queryset = Platform.objects.filter(is_active=True)
        owner.queryset = User.objects.filter(is_active=True).exclude(role=User.Role.EMPLOYEE)
        owner.empty_label = "Nobody yet"
        topic.choices = [("", "Choose a topic"), *Guide.Topic.choices]
        owned = ", ".join(Guide.Topic(topic).label.lower() for topic in sorted(COMMUNICATIONS_TOPICS))
        self.fields["topic"].help_text = f"Communications publishes {owned} guides."
        self.fields["status"].help_text = "Drafts are seen only by support staff, here in the desk."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "base_revision",
            "title",
            Div(Div("slug", css_class="col-md-6"), Div("topic", css_class="col-md-6"), css_class="row"),
            "summary",
            Field("body"),
            Div(
                Div("platforms", css_class="col-md-6"),
                Div("audience", css_class="col-md-6"),
                css_class="row",
            ),
            Div(Div("owner", css_class="col-md-6"), Div("review_by", css_class="col-md-6"), css_class="row"),
            "status",
            "note",
        )

    def content(self) -> GuideContent:
        data = self.cleaned_data
        return GuideContent(
            title=data["title"],
            slug=data.get("slug") or "",
            summary=data["summary"],
            body=data["body"],
            topic=data["topic"],
            audience=data["audience"],
            status=data["status"],
            platforms=list(data["platforms"]),
            owner=data.get("owner"),
            review_by=data.get("review_by"),
        )


class ImageForm(forms.Form):
    image = forms.FileField(
        label="Add a picture",
        help_text=f"{ACCEPTED}, up to {size_label(IMAGE_MAX_BYTES)}. Then paste the line it gives you into the text.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        error_messages={"required": "Choose a picture to upload."},
    )


class PreviewForm(forms.Form):
    body = forms.CharField(required=False)


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        error_messages={"required": "Choose yes or no."},
    )
    comment = forms.CharField(
        label="Anything to add? (optional)",
        required=False,
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What was missing or unclear. This is not a request: to get help, file one.",
    )


class BrowseForm(forms.Form):
    q = forms.CharField(label="Search guides", required=False, max_length=200)
    platform = forms.ModelChoiceField(
        queryset=Platform.objects.filter(is_active=True), required=False, to_field_name="slug"
    )
    topic = forms.ChoiceField(choices=[("", "Any topic"), *Guide.Topic.choices], required=False)


class DeskGuideFilterForm(BrowseForm):
    status = forms.ChoiceField(choices=[("", "Any status"), *Guide.Status.choices], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        platform = self.fields["platform"]
        assert isinstance(platform, forms.ModelChoiceField)
        platform.empty_label = "Any platform"
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
        self.fields["q"].widget.attrs.update({"class": "form-control form-control-sm", "type": "search"})


class FilingDraftForm(forms.Form):
    """What the filing form holds so far, posted while the employee types; nothing is required."""

    platform = forms.ModelChoiceField(queryset=Platform.objects.filter(is_active=True), required=False)
    problem_type = forms.ModelChoiceField(queryset=ProblemType.objects.filter(is_active=True), required=False)
    subject = forms.CharField(required=False, max_length=200)
    # Longer text is cut, not refused: suggestions read only the start of it.
    description = forms.CharField(required=False, strip=False)

    def draft(self) -> Request:
        self.is_valid()
        data = self.cleaned_data
        return Request(
            platform=data.get("platform"),
            problem_type=data.get("problem_type"),
            subject=data.get("subject") or "",
            description=(self.data.get("description") or "")[: TEXT_CHARS * 2],
        )


class PickerForm(forms.Form):
    q = forms.CharField(required=False, max_length=200)
