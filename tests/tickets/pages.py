"""Reading the desk's pages the way a person does, files to upload, and the state of the desk."""

from __future__ import annotations

import html
import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from tickets import services
from tickets.models import Attachment, Comment, Event, Ticket, TimeEntry

from ..conftest import client_for, platform, problem

# Enough of a PNG header for anyone who sniffs the first bytes.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


def upload(
    name: str = "screenshot.png", content: bytes = PNG, content_type: str = "image/png"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def shown(response: HttpResponse) -> str:
    """The page as a person reads it: entities decoded, no-break spaces as spaces."""
    return html.unescape(response.content.decode()).replace("\xa0", " ")


def raw(response: HttpResponse) -> str:
    return response.content.decode()


def messages_shown(response: HttpResponse) -> list[tuple[str, str]]:
    """(level, text) of every message box on the page; level is the Bootstrap colour."""
    found = re.findall(
        r'<div class="alert alert-(\w+) alert-dismissible[^"]*" role="alert">\s*(.*?)\s*<button',
        raw(response),
        re.S,
    )
    return [(level, html.unescape(text)) for level, text in found]


def field_errors(response: HttpResponse, name: str) -> list[str]:
    """The error messages shown under one form field."""
    found = re.findall(rf'<span id="error_\d+_id_{name}"[^>]*><strong>(.*?)</strong>', raw(response), re.S)
    return [html.unescape(text) for text in found]


def desk_ids(response: HttpResponse) -> list[int]:
    """Ticket ids in the order the desk list shows them."""
    return [int(pk) for pk in re.findall(r'name="tickets" value="(\d+)"', raw(response))]


def pager_link(response: HttpResponse, direction: str) -> str | None:
    """The query string of the "Older" (after) or "Newer" (before) link, as a browser would follow it."""
    match = re.search(rf'href="(\?[^"]*\b{direction}=[^"&]+)"', raw(response))
    return html.unescape(match.group(1)) if match else None


def query_count(client: Client, url: str, **extra: Any) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(context.captured_queries)


def desk_state() -> tuple[object, ...]:
    """Everything a request could have changed, to prove that one changed nothing."""
    return (
        list(
            Ticket.objects.order_by("pk").values_list(
                "pk", "status", "priority", "queue_id", "assignee_id", "updated_at", "resolved_at"
            )
        ),
        list(Comment.objects.order_by("pk").values_list("pk", "body")),
        Attachment.objects.count(),
        Event.objects.count(),
        TimeEntry.objects.count(),
    )


def filing_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "platform": platform("twitter-x").pk,
        "problem_type": problem("login-access").pk,
        "company_account": "@acme_support",
        "subject": "Locked out of the support account",
        "description": "The two-factor code never arrives on the shared phone.",
    }
    data.update(overrides)
    return data


def converse(ticket: Ticket, count: int, *, staff: list[User], with_files: bool = True) -> None:
    """`count` more comments by the requester and several staff, public and internal, with files."""
    start = Comment.objects.filter(ticket=ticket).count()
    for n in range(start, start + count):
        files = [upload(f"shot-{n}.png")] if with_files and n % 2 == 0 else []
        kind = n % 3
        if kind == 0:
            services.ticket_reply(
                ticket=ticket, author=ticket.requester, body=f"Requester note {n}", files=files
            )
        else:
            author = staff[n % len(staff)]
            services.ticket_reply(
                ticket=ticket, author=author, body=f"Staff message {n}", internal=kind == 2, files=files
            )


def page_url(ticket: Ticket) -> str:
    return reverse("desk:ticket", args=[ticket.pk])


def action(name: str, ticket: Ticket) -> str:
    return reverse(f"desk:{name}", args=[ticket.pk])


def detail(ticket: Ticket) -> str:
    return reverse("tickets:detail", args=[ticket.pk])


DESK = "/desk/"


def listed(user: User, **params: object) -> list[int]:
    response = client_for(user).get(DESK, params)
    assert response.status_code == 200
    return desk_ids(response)
