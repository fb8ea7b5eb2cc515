"""The ticket's mail for its staff: the .eml download and the partial with the quoted text."""

from __future__ import annotations

from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inbound.models import InboundMessage, Mailbox
from inbound.selectors import ticket_mail
from inbound.services import message_receive
from tests.conftest import Cast, client_for
from tests.factories import file_ticket

from .conftest import corpus


def filed(it_mailbox: Mailbox, name: str = "html_script_attachment.eml") -> InboundMessage:
    message = message_receive(mailbox=it_mailbox, raw=corpus(name))
    assert message.ticket is not None
    return message


def test_staff_of_the_queue_download_the_eml_never_inline(cast: Cast, it_mailbox: Mailbox) -> None:
    message = filed(it_mailbox)

    response = client_for(cast.it_agent).get(reverse("inbound:eml", args=[message.pk]))

    assert response.status_code == 200
    assert response.content == corpus("html_script_attachment.eml")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="message-{message.pk}.eml"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_eml_is_not_found_for_anyone_else(cast: Cast, it_mailbox: Mailbox) -> None:
    message = filed(it_mailbox)
    url = reverse("inbound:eml", args=[message.pk])

    # The requester, staff of another queue, a forged id; anonymous people sign in first.
    assert client_for(cast.employee).get(url).status_code == 404
    assert client_for(cast.marketing_agent).get(url).status_code == 404
    assert client_for(cast.it_agent).get(reverse("inbound:eml", args=[message.pk + 999])).status_code == 404
    anonymous = client_for(cast.it_agent).__class__().get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_a_message_that_filed_nothing_is_not_downloadable_from_the_desk(
    cast: Cast, it_mailbox: Mailbox
) -> None:
    held = message_receive(mailbox=it_mailbox, raw=corpus("unknown_sender.eml"))

    response = client_for(cast.manager).get(reverse("inbound:eml", args=[held.pk]))

    assert response.status_code == 404


def test_the_eml_download_takes_only_get(cast: Cast, it_mailbox: Mailbox) -> None:
    message = filed(it_mailbox)

    response = client_for(cast.it_agent).post(reverse("inbound:eml", args=[message.pk]))

    assert response.status_code == 405


def render_partial(ticket: object, user: object) -> str:
    request = RequestFactory().get("/")
    request.user = user  # type: ignore[attr-defined]
    template = Template('{% include "inbound/_ticket_mail.html" %}')
    return template.render(Context({"ticket": ticket, "request": request}))


def test_the_partial_offers_the_quoted_text_of_a_cut_reply(cast: Cast, it_mailbox: Mailbox) -> None:
    ticket = file_ticket(cast.employee)
    message_receive(mailbox=it_mailbox, raw=corpus("apple_mail_reply.eml", ticket_id=ticket.pk))

    page = render_partial(ticket, cast.it_agent)

    assert "Download the .eml" in page
    assert "Show quoted text" in page
    assert "Please try the new password." in page


def test_the_partial_shows_nothing_to_the_requester(cast: Cast, it_mailbox: Mailbox) -> None:
    message = filed(it_mailbox)

    assert "Download the .eml" not in render_partial(message.ticket, cast.employee)


def test_the_mail_of_a_ticket_takes_the_same_queries_however_many_messages(
    cast: Cast, it_mailbox: Mailbox
) -> None:
    ticket = file_ticket(cast.employee)
    message_receive(mailbox=it_mailbox, raw=corpus("token_reply.eml", ticket_id=ticket.pk))
    with CaptureQueriesContext(connection) as one:
        assert len(ticket_mail(cast.it_agent, ticket)) == 1
    for name in ("gmail_reply.eml", "outlook_reply.eml", "apple_mail_reply.eml"):
        message_receive(mailbox=it_mailbox, raw=corpus(name, ticket_id=ticket.pk))
    with CaptureQueriesContext(connection) as four:
        assert len(ticket_mail(cast.it_agent, ticket)) == 4

    assert len(four) == len(one)
