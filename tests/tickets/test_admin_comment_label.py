"""The admin names a comment by its author, not by a user id, without a query per listed row."""

from __future__ import annotations

from django.urls import reverse

from tickets import services
from tickets.models import Comment

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .pages import query_count, shown


def test_a_reply_and_a_note_are_named_by_their_author(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    reply = services.ticket_reply(ticket=ticket, author=cast.it_agent, body="On it.")
    note = services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Checking logs.", internal=True)

    assert str(reply) == f"Reply on {ticket.reference} by Ian It"
    assert str(note) == f"Note on {ticket.reference} by Ian It"


def test_the_comment_page_in_the_admin_names_the_author(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    comment = services.ticket_reply(ticket=ticket, author=cast.it_agent, body="On it.")

    html = shown(client_for(cast.admin).get(reverse("admin:tickets_comment_change", args=[comment.pk])))

    assert f"Reply on {ticket.reference} by Ian It" in html
    assert f"by {cast.it_agent.pk}<" not in html


def test_the_comment_list_costs_the_same_queries_for_more_comments(cast: Cast) -> None:
    client = client_for(cast.admin)
    url = reverse("admin:tickets_comment_changelist")
    ticket = file_ticket(cast.employee)
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="One.")
    few = query_count(client, url)

    for number in range(10):
        services.ticket_reply(ticket=ticket, author=cast.it_agent, body=f"More {number}.")

    assert Comment.objects.count() == 11
    assert query_count(client, url) == few
