from __future__ import annotations

from collections.abc import Collection
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse_lazy

from accounts.models import User

from .attachments import ALLOWED_EXTENSIONS, size_label, validate_uploads
from .models import Platform, ProblemType, Queue, Ticket
from .services.common import message_check
from .workflow import allowed_statuses

ACCEPT = ",".join(f".{ext}" for ext in sorted(ALLOWED_EXTENSIONS))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": ACCEPT})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            f"Up to {settings.ATTACHMENT_MAX_COUNT} files, "
            f"{size_label(settings.ATTACHMENT_MAX_BYTES)} each: screenshots, PDFs, documents.",
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [super(AttachmentsField, self).clean(one, initial) for one in files]
        validate_uploads(files)
        return files


class KeepsFilesNotice:
    """Browsers can't refill a file input: say so when a form comes back with errors."""

    files: Any

    def files_dropped(self) -> bool:
        return bool(self.files) and bool(getattr(self, "errors", None))


class AccountChoiceMixin(forms.BaseForm):
    """The company account concerned: one of the chosen platform's registered accounts, or
    "not listed" with the name typed as the requester knows it.

    The choices follow the platform: htmx asks tickets:account_choices for this block again
    whenever the platform or the choice changes.
    """

    NOT_LISTED = "not-listed"
    ACCOUNT_REFRESH = {
        "hx_get": reverse_lazy("tickets:account_choices"),
        "hx_target": "#account-block",
        "hx_select": "#account-block",
        "hx_swap": "outerHTML",
        "hx_include": "[name=platform], [name=account], [name=company_account]",
        "hx_trigger": "change",
    }

    def account_choices_set(self) -> None:
        platform_id = str(self._account_value("platform"))
        accounts = registered_accounts(int(platform_id)) if platform_id.isdigit() else []
        self.accounts = {str(account.pk): account for account in accounts}
        self.fields["account"] = forms.ChoiceField(
            label="Company account",
            required=False,
            choices=[
                ("", "None in particular"),
                *[(pk, account_label(account)) for pk, account in self.accounts.items()],
                (self.NOT_LISTED, "Not listed: I'll name it"),
            ],
            help_text="The account the request is about, if it is about one.",
            error_messages={"invalid_choice": "Choose one of the accounts listed for this platform."},
        )
        self.fields["company_account"].required = False

    def _account_value(self, name: str) -> Any:
        return (self.data.get(name) if self.is_bound else self.initial.get(name)) or ""

    @property
    def names_account(self) -> bool:
        """Whether the box for the name shows: hidden only once a listed account is picked."""
        return str(self._account_value("account")) not in self.accounts

    def account_layout(self) -> Div:
        text = Div("company_account", css_class="" if self.names_account else "d-none")
        if not self.accounts:
            return Div(text, css_id="account-block")
        return Div(Field("account", **self.ACCOUNT_REFRESH), text, css_id="account-block")

    def account_helper(self) -> FormHelper:
        """The account block alone, for the fragment htmx swaps in."""
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(self.account_layout())
        return helper

    def clean_account(self) -> Any:
        return self.accounts.get(self.cleaned_data.get("account") or "")

    def account_clean(self) -> None:
        """A picked account stands for itself; "not listed" needs the name. A name typed
        otherwise (a browser without scripts shows the box) is kept as typed."""
        if "account" in self.errors and not self.accounts:
            # No list was shown to choose from: say so above the form, not under a hidden field.
            del self.errors["account"]
            self.add_error(
                None, "No account of this platform is in the registry: name it in the box instead."
            )
        elif self.cleaned_data.get("account") is not None:
            self.cleaned_data["company_account"] = ""
        elif (
            self._account_value("account") == self.NOT_LISTED
            and not (self.cleaned_data.get("company_account") or "").strip()
        ):
            self.add_error("company_account", "Name the account, such as @acme or the page's name.")


def registered_accounts(platform_id: int) -> list[Any]:
    """The platform's accounts in the registry that can still have problems (not retired).

    Through the ticket's foreign key: the registry's app sits above this one.
    """
    accounts = Ticket._meta.get_field("account").related_model._default_manager
    return list(accounts.filter(platform_id=platform_id).exclude(status="retired").order_by("name", "id"))


def account_label(account: Any) -> str:
    return f"{account.name} ({account.handle})" if account.handle else account.name


class TicketForm(KeepsFilesNotice, AccountChoiceMixin, forms.ModelForm):
    attachments = AttachmentsField()

    class Meta:
        model = Ticket
        fields = ["platform", "problem_type", "company_account", "subject", "description"]
        labels = {"problem_type": "What is the problem?", "company_account": "Which account?"}
        help_texts = {"company_account": "The handle, page or address, such as @acme."}
        widgets = {"description": forms.Textarea(attrs={"rows": 7})}
        error_messages = {
            "platform": {"required": "Choose the platform the problem is on."},
            "problem_type": {"required": "Choose the kind of problem."},
            "subject": {"required": "Give your request a subject, in a few words."},
            "description": {"required": "Describe the problem so the team can start."},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        platform, problem_type = self.fields["platform"], self.fields["problem_type"]
        assert isinstance(platform, forms.ModelChoiceField)
        assert isinstance(problem_type, forms.ModelChoiceField)
        self.problem_types = ProblemType.objects.filter(is_active=True)
        platform.queryset = Platform.objects.filter(is_active=True)
        problem_type.queryset = self.problem_types
        platform.empty_label = "Choose a platform"
        problem_type.empty_label = "Choose a problem type"
        self.fields["subject"].widget.attrs["placeholder"] = "In a few words, what's wrong?"
        self.fields[
            "description"
        ].help_text = "What happened, since when, what you already tried. Never paste a password."
        self.account_choices_set()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div(
                Div(Field("platform", **self.ACCOUNT_REFRESH), css_class="col-md-6"),
                Div(Field("problem_type", aria_describedby="problem-help"), css_class="col-md-6"),
                css_class="row",
            ),
            HTML(
                '<div id="problem-help" class="alert alert-info small d-none" role="status" aria-live="polite"></div>'
            ),
            self.account_layout(),
            "subject",
            "description",
            "attachments",
        )

    def clean_description(self) -> str:
        description: str = self.cleaned_data["description"]
        message_check(description, what="description")
        return description

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.account_clean()
        return self.cleaned_data

    def problem_help(self) -> dict[str, str]:
        return {str(p.pk): p.help_text for p in self.problem_types}


def status_choices(allowed: Collection[str]) -> list[tuple[str, str]]:
    """The statuses a menu offers, in the workflow's order."""
    return [(value, label) for value, label in Ticket.Status.choices if value in allowed]


class ReplyForm(KeepsFilesNotice, forms.Form):
    # No maxlength on the box: a browser would cut a long paste short without a word, where
    # the form says what the limit is and gives the text back.
    body = forms.CharField(label="Your reply", widget=forms.Textarea(attrs={"rows": 4}))
    attachments = AttachmentsField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        message_check(body, what="message")
        return body

    def reply_options(self) -> dict[str, Any]:
        """What services.ticket_reply takes from this form besides the body and the files."""
        return {}

    def sent_message(self) -> str:
        return "Your reply was sent."


class DeskReplyForm(ReplyForm):
    KEEP = ""
    visibility = forms.ChoiceField(
        label="Send as",
        choices=[("public", "Public reply"), ("internal", "Internal note")],
        initial="public",
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    status = forms.ChoiceField(label="Then set status", required=False)

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = "Message"
        allowed = allowed_statuses(ticket.status) - {Ticket.Status.CLOSED}
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [(self.KEEP, "Keep as it is"), *status_choices(allowed)]
        self.helper.layout = Layout(
            Field("visibility", template="tickets/desk/visibility_field.html"),
            "body",
            Div(
                Div("attachments", css_class="col-md-7"),
                Div("status", css_class="col-md-5"),
                css_class="row",
            ),
        )

    @property
    def internal(self) -> bool:
        return self.cleaned_data.get("visibility") == "internal"

    def reply_options(self) -> dict[str, Any]:
        return {"internal": self.internal, "status": self.cleaned_data["status"] or None}

    def sent_message(self) -> str:
        return "Internal note added." if self.internal else "Reply sent to the requester."


def note_field(placeholder: str) -> forms.CharField:
    """An optional one-line note that goes with a desk action: why it moved, what was done."""
    return forms.CharField(
        required=False, max_length=200, widget=forms.TextInput(attrs={"placeholder": placeholder})
    )


class AssignForm(forms.Form):
    prefix = "assign"
    assignee = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="Nobody (unassigned)",
        error_messages={"invalid_choice": "Choose someone who works this ticket's queue."},
    )

    def __init__(self, *args: Any, agents: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ModelChoiceField)
        assignee.queryset = User.objects.filter(pk__in=[a.pk for a in agents])


class TransferForm(forms.Form):
    prefix = "transfer"
    queue = forms.ModelChoiceField(
        queryset=Queue.objects.all(),
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of the desk's queues."},
    )
    note = note_field("Why it belongs there (optional)")


class StatusForm(forms.Form):
    prefix = "change"
    # Any status is accepted here and the workflow says why a move is impossible;
    # the menu offers only the moves allowed from the current status.
    status = forms.ChoiceField(choices=Ticket.Status.choices)

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].widget.choices = [
            ("", "Choose a new status"),
            *status_choices(allowed_statuses(ticket.status)),
        ]


class TimeForm(forms.Form):
    prefix = "time"
    minutes = forms.IntegerField(
        min_value=1, max_value=24 * 60, widget=forms.NumberInput(attrs={"placeholder": "Minutes"})
    )
    note = note_field("What you did (optional)")


class PriorityForm(forms.Form):
    prefix = "set"
    priority = forms.TypedChoiceField(choices=Ticket.Priority.choices, coerce=int)


class BulkForm(forms.Form):
    ACTIONS = [
        ("claim", "Take them"),
        ("assign", "Assign to…"),
        ("status", "Set status…"),
        ("priority", "Set priority…"),
        ("transfer", "Move to queue…"),
    ]
    tickets = forms.ModelMultipleChoiceField(
        queryset=Ticket.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": "Tick at least one ticket first.",
            "invalid_choice": "Some ticked tickets are not in your queues; nothing was changed.",
        },
    )
    action = forms.ChoiceField(choices=ACTIONS)
    assignee = forms.ModelChoiceField(queryset=User.objects.none(), required=False, empty_label="Nobody")
    status = forms.ChoiceField(
        choices=[(v, label) for v, label in Ticket.Status.choices if v != Ticket.Status.NEW],
        required=False,
    )
    priority = forms.TypedChoiceField(
        choices=Ticket.Priority.choices, coerce=int, required=False, empty_value=None
    )
    queue = forms.ModelChoiceField(queryset=Queue.objects.none(), required=False)

    def __init__(self, *args: Any, tickets: Any, agents: Any, queues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("tickets", tickets), ("assignee", agents), ("queue", queues)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)  # the multiple choice one is one too
            field.queryset = queryset

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        action = data.get("action")
        needs = {"status": "status", "priority": "priority", "transfer": "queue"}
        field = needs.get(action or "")
        if field and not data.get(field) and field not in self.errors:
            self.add_error(field, "Choose a value for this action.")
        return data


class DeskFilterForm(forms.Form):
    """The desk list's filters; every state is a plain GET URL that can be shared."""

    SORTS = [
        ("-updated", "Recently updated"),
        ("due", "Next deadline"),
        ("updated", "Least recently updated"),
        ("-created", "Newest"),
        ("created", "Oldest"),
        ("-priority", "Highest priority"),
    ]
    STATUS_UNRESOLVED = ""
    STATUS_ANY = "any"

    q = forms.CharField(label="Search", required=False, max_length=200)
    queue = forms.ModelChoiceField(
        queryset=Queue.objects.none(), required=False, to_field_name="slug", empty_label="All my queues"
    )
    status = forms.ChoiceField(
        required=False,
        choices=[(STATUS_UNRESOLVED, "Unresolved"), (STATUS_ANY, "Any status"), *Ticket.Status.choices],
    )
    priority = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any priority"), *Ticket.Priority.choices],
    )
    platform = forms.ModelChoiceField(
        queryset=Platform.objects.all(), required=False, to_field_name="slug", empty_label="Any platform"
    )
    problem = forms.ModelChoiceField(
        label="Problem type",
        queryset=ProblemType.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label="Any problem",
    )
    assignee = forms.ChoiceField(label="Assignee", required=False)
    sort = forms.ChoiceField(required=False, choices=SORTS)

    def __init__(self, *args: Any, queues: Any, agents: list[User], user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queue, assignee = self.fields["queue"], self.fields["assignee"]
        assert isinstance(queue, forms.ModelChoiceField)
        assert isinstance(assignee, forms.ChoiceField)
        queue.queryset = queues
        assignee.choices = [
            ("", "Anyone"),
            ("me", "Me"),
            ("none", "Unassigned"),
            *[(str(agent.pk), str(agent)) for agent in agents if agent.pk != user.pk],
        ]
        for name, field in self.fields.items():
            css = "form-control form-control-sm" if name == "q" else "form-select form-select-sm"
            field.widget.attrs["class"] = css
        self.fields["q"].widget.attrs.update(
            {"placeholder": "SIT-1042, words in the subject or replies", "type": "search"}
        )
