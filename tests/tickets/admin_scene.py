"""Two queues' worth of admin rows, and how to read what an admin page lists.

An IT ticket and a Marketing ticket, each with a public reply, an internal note with an
internal file, history, logged time and notifications; and one notification about no ticket.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.test import Client
from django.urls import reverse

from notifications.models import Kind, Notification
from tickets import services
from tickets.models import Attachment, Comment, Event, Ticket, TimeEntry

from ..conftest import Cast
from ..factories import file_ticket
from .pages import upload

# The models whose rows belong to a ticket, and so to its queue.
TICKET_MODELS: list[type[Model]] = [Ticket, Comment, Attachment, Event, TimeEntry]


@dataclass
class Scene:
    it: Ticket
    marketing: Ticket
    it_note: Comment
    marketing_note: Comment
    it_file: Attachment
    marketing_file: Attachment
    ticketless: Notification


def worked(ticket: Ticket, agent: Any, word: str) -> tuple[Comment, Attachment]:
    services.ticket_claim(ticket=ticket, actor=agent)
    services.ticket_reply(ticket=ticket, author=agent, body=f"{word} public reply")
    note = services.ticket_reply(
        ticket=ticket,
        author=agent,
        body=f"{word} internal: the password was on a sticky note",
        internal=True,
        files=[upload(f"{word.lower()}-internal.png")],
    )
    TimeEntry.charged(ticket, agent=agent, minutes=15, note=f"{word} time").save()
    return note, note.attachments.get()


def scene_build(cast: Cast) -> Scene:
    it = file_ticket(
        cast.employee,
        problem="compromised-account",
        subject="IT strange posts on our page",
        files=[upload("it-proof.png")],
    )
    marketing = file_ticket(
        cast.other_employee,
        problem="metrics-request",
        subject="Marketing follower numbers",
        files=[upload("marketing-chart.png")],
    )
    assert (it.queue, marketing.queue) == (cast.it, cast.marketing)
    it_note, it_file = worked(it, cast.it_agent, "IT")
    marketing_note, marketing_file = worked(marketing, cast.marketing_agent, "Marketing")
    ticketless = Notification.objects.create(
        kind=Kind.RECEIVED,
        recipient=cast.manager,
        email=cast.manager.email,
        thread="account",
        context={"link": "https://desk.example.test/accounts/reset/secret-token/"},
        status=Notification.Status.FAILED,
    )
    return Scene(it, marketing, it_note, marketing_note, it_file, marketing_file, ticketless)


def admin_url(model: type[Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def listed(client: Client, model: type[Model], **params: Any) -> set[int]:
    """The primary keys a changelist shows."""
    response = client.get(admin_url(model, "changelist"), params)
    assert response.status_code == 200, response
    return {row.pk for row in response.context["cl"].result_list}


def of_ticket(model: type[Model], ticket: Ticket) -> set[int]:
    rows = model._default_manager.filter(**({"pk": ticket.pk} if model is Ticket else {"ticket": ticket}))
    return set(rows.values_list("pk", flat=True))


def said_missing(client: Client, url: str) -> str:
    """What the admin answers at `url` for an object that isn't there, with the id taken out."""
    response = client.get(url)
    assert response.status_code == 302, response
    assert response.headers["Location"] == reverse("admin:index")
    # ?apps keeps a manager on the index rather than sending them on to the dashboards.
    index = client.get(response.headers["Location"], {"apps": "1"})
    texts = [str(message) for message in index.context["messages"]]
    assert len(texts) == 1, texts
    assert "doesn’t exist" in texts[0]
    return re.sub(r"“[^”]*”", "“…”", html.unescape(texts[0]))


def autocomplete(
    client: Client, app_label: str, model_name: str, field_name: str, term: str = ""
) -> set[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200, response
    return {result["id"] for result in response.json()["results"]}
