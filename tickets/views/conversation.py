"""One ticket's page, its reply and its one-click actions, for the portal and the desk alike.

The two screens differ only in what a `Side` says: who is looking (and so whether internal
notes show), which reply form and extra context the page has, and where its URLs point.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User

from .. import selectors, services
from ..forms import ReplyForm
from ..models import Attachment, Comment, Ticket


@dataclass(frozen=True)
class Side:
    """What the portal's view of a ticket and the desk's differ in."""

    namespace: str
    page: str
    template: str
    fetch: Callable[[User, int], Ticket]
    # Staff see internal notes and each message's visibility; the requester sees neither.
    staff: bool
    reply_form: Callable[[Ticket, Any, Any], ReplyForm]
    context: Callable[[AuthenticatedHttpRequest, Ticket], dict[str, Any]]

    def url(self, ticket: Ticket, action: str = "") -> str:
        return reverse(f"{self.namespace}:{action or self.page}", args=[ticket.pk])


@dataclass(frozen=True)
class Badge:
    label: str
    css: str
    icon: str = ""


NOTE = Badge("Internal note", "text-bg-warning", "bi-lock-fill")
PUBLIC = Badge("Public", "text-bg-light border", "bi-globe")


@dataclass(frozen=True)
class Message:
    """One article of the conversation: the request as filed, a reply or an internal note."""

    author: User
    at: datetime
    body: str
    attachments: Sequence[Attachment]
    # The article's look: "requester", "staff" or "note".
    kind: str
    badge: Badge | None = None
    # The comment's fragment id; the request itself has none.
    anchor: str = ""
    filed: bool = False
    # The reference of the duplicate this message was written on before it was merged here.
    merged_from: str = ""


def filed_message(ticket: Ticket) -> Message:
    """The request as it was filed, with the files attached then."""
    return Message(
        author=ticket.requester,
        at=ticket.created_at,
        body=ticket.description,
        attachments=selectors.ticket_attachments(ticket),
        kind="requester",
        filed=True,
    )


def comment_messages(ticket: Ticket, *, staff: bool) -> list[Message]:
    """Every reply the reader may see, and for staff every internal note, with how each is shown."""
    comments = selectors.conversation(ticket, include_internal=staff)
    return [_message(comment, ticket, staff=staff) for comment in comments]


def _message(comment: Comment, ticket: Ticket, *, staff: bool) -> Message:
    # Colleagues on the request and a merged duplicate's requester speak on the requester's side.
    by_requester = comment.author_id == ticket.requester_id or not comment.author.is_desk_user
    badge: Badge | None
    if comment.is_internal:
        kind, badge = "note", NOTE
    else:
        kind = "requester" if by_requester else "staff"
        # Staff tell public from internal at a glance; the requester sees which team answered.
        badge = PUBLIC if staff else (None if by_requester else Badge(str(ticket.queue), PUBLIC.css))
    return Message(
        author=comment.author,
        at=comment.created_at,
        body=comment.body,
        attachments=list(comment.attachments.all()),
        kind=kind,
        badge=badge,
        anchor=f"comment-{comment.pk}",
        merged_from=f"SIT-{comment.merged_from_id}" if comment.merged_from_id else "",
    )


def ticket_page(
    request: AuthenticatedHttpRequest, side: Side, ticket: Ticket, *, reply_form: ReplyForm | None = None
) -> HttpResponse:
    context = {
        "ticket": ticket,
        "filed": filed_message(ticket),
        "comments": comment_messages(ticket, staff=side.staff),
        "reply_form": reply_form or side.reply_form(ticket, None, None),
        "reply_url": side.url(ticket, "reply"),
        **side.context(request, ticket),
    }
    return render(request, side.template, context)


def ticket_reply(request: AuthenticatedHttpRequest, side: Side, pk: int) -> HttpResponse:
    """Send the reply, or show the page again with what was typed and why it was refused."""
    ticket = side.fetch(request.user, pk)
    form = side.reply_form(ticket, request.POST, request.FILES)
    if form.is_valid():
        try:
            services.ticket_reply(
                ticket=ticket,
                author=request.user,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
                **form.reply_options(),
            )
        except ValidationError as error:
            # A ticket closed meanwhile lands here too: the page hands the typed text back.
            form.add_error(None, error)
        else:
            messages.success(request, form.sent_message())
            return redirect(side.url(ticket))
    return ticket_page(request, side, ticket, reply_form=form)


def ticket_action(
    request: AuthenticatedHttpRequest,
    side: Side,
    ticket: Ticket,
    act: Callable[[dict[str, Any]], str],
    *,
    form: forms.Form | None = None,
) -> HttpResponse:
    """Validate the action's form if it has one, let `act` call one service with the form's data
    and name what it did, and go back to the ticket's page saying so or saying why not."""
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(side.url(ticket))
    try:
        done = act(form.cleaned_data if form is not None else {})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(side.url(ticket))
