"""What the emails look like: subject, text and HTML, links, threading headers, no header injection."""

from __future__ import annotations

from email import message_from_string
from email.message import Message
from email.utils import parseaddr

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from accounts.models import Department
from accounts.services import user_create
from notifications import emails
from notifications.delivery import notification_deliver
from notifications.models import Kind, Notification
from tickets import services
from tickets.models import Ticket

from ..conftest import PASSWORD, Cast
from ..factories import file_ticket
from .conftest import SITE_URL

INJECTION = "\r\nBcc: evil@example.com"
ROOT_DOMAIN = "socialit.example"


@pytest.fixture
def ticket(cast: Cast) -> Ticket:
    return file_ticket(cast.employee, subject="Cannot log in to the support account")


def deliver_all(ticket: Ticket) -> list[EmailMultiAlternatives]:
    """Send every pending row of the ticket; return the emails in the order they were written."""
    start = len(mail.outbox)
    for pk in (
        Notification.objects.filter(ticket=ticket, status="pending")
        .order_by("id")
        .values_list("pk", flat=True)
    ):
        assert notification_deliver(notification_id=pk) == "sent"
    return list(mail.outbox[start:])


def email_to(messages: list[EmailMultiAlternatives], address: str) -> EmailMultiAlternatives:
    (message,) = [m for m in messages if any(address in to for to in m.to)]
    return message


def html_of(message: EmailMultiAlternatives) -> str:
    ((content, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return str(content)


def parsed(message: EmailMultiAlternatives) -> Message:
    return message_from_string(message.message().as_string())


def root(ticket: Ticket) -> str:
    return f"<sit-{ticket.pk}@{ROOT_DOMAIN}>"


# ---- subject, parts, links ---------------------------------------------------------------------


def test_the_receipt_has_a_tagged_subject_both_parts_and_the_portal_link(
    cast: Cast, ticket: Ticket, mailoutbox: list[mail.EmailMessage]
) -> None:
    receipt = email_to(deliver_all(ticket), cast.employee.email)

    assert receipt.subject == f"[SIT-{ticket.pk}] We have your request: Cannot log in to the support account"
    link = f"{SITE_URL}/requests/{ticket.pk}/"
    assert link in receipt.body
    assert f'href="{link}"' in html_of(receipt)
    assert "/desk/" not in receipt.body + html_of(receipt)
    assert receipt.from_email == "Social IT Desk <desk@socialit.example>"
    content_types = [part.get_content_type() for part in parsed(receipt).walk()]
    assert content_types == ["multipart/alternative", "text/plain", "text/html"]


def test_the_queue_email_links_to_the_desk(
    cast: Cast, ticket: Ticket, mailoutbox: list[mail.EmailMessage]
) -> None:
    news = email_to(deliver_all(ticket), cast.it_agent.email)

    assert news.subject == f"[SIT-{ticket.pk}] New in IT: Cannot log in to the support account"
    link = f"{SITE_URL}/desk/tickets/{ticket.pk}/"
    assert link in news.body and f'href="{link}"' in html_of(news)
    assert "It stopped working this morning." in news.body


def test_the_resolution_email_offers_the_reopen_link(
    cast: Cast, ticket: Ticket, mailoutbox: list[mail.EmailMessage]
) -> None:
    deliver_all(ticket)
    services.ticket_claim(ticket=ticket, actor=cast.it_agent)
    services.ticket_set_status(ticket=ticket, status=Ticket.Status.RESOLVED, actor=cast.it_agent)

    resolved = email_to(deliver_all(ticket), cast.employee.email)

    assert resolved.subject == f"[SIT-{ticket.pk}] Resolved: Cannot log in to the support account"
    reopen = f"{SITE_URL}/requests/{ticket.pk}/"
    assert "reopen it before" in resolved.body and reopen in resolved.body
    assert f'href="{reopen}">Reopen it</a>' in html_of(resolved)


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_renders_with_the_tag_both_parts_and_the_link(
    cast: Cast, ticket: Ticket, kind: Kind
) -> None:
    row = Notification.objects.get(ticket=ticket, kind=Kind.RECEIVED)
    row.kind = kind
    row.context = {
        **row.context,
        "body": "Body text",
        "target": "first response",
        "due_at": "Mon 2 Mar, 10:00",
        "reopen_url": f"{SITE_URL}/requests/{ticket.pk}/",
        "reopen_until": "Mon 16 Mar, 10:00",
        "outcome": "approved",
        "decided_by": "Oscar Other",
        "account": "Acme careers page",
        "role": "Editor",
        "ends_on": "16 Mar 2026",
        "title": "Access review due: Acme careers page",
        "headline": "It is time to check who can reach Acme careers page.",
    }

    message = emails.build(row)

    assert message.subject.startswith(f"[SIT-{ticket.pk}] ")
    assert row.context["url"] in message.body and row.context["url"] in html_of(message)
    assert "Hello Erin," in message.body


def test_html_in_user_text_is_escaped_in_the_html_part(
    cast: Cast, mailoutbox: list[mail.EmailMessage]
) -> None:
    ticket = file_ticket(cast.employee, subject="<script>alert(1)</script> broken")

    receipt = email_to(deliver_all(ticket), cast.employee.email)

    assert "<script>" not in html_of(receipt)
    assert "&lt;script&gt;" in html_of(receipt)


# ---- threading and automatic-mail headers -------------------------------------------------------


def test_every_email_of_a_ticket_threads_under_its_root_id_with_its_own_message_id(
    cast: Cast, ticket: Ticket, mailoutbox: list[mail.EmailMessage]
) -> None:
    services.ticket_claim(ticket=ticket, actor=cast.it_agent)
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Try the backup codes.")
    services.ticket_reply(ticket=ticket, author=cast.employee, body="They worked, thanks.")
    services.ticket_set_status(ticket=ticket, status=Ticket.Status.RESOLVED, actor=cast.it_agent)

    messages = deliver_all(ticket)

    assert len(messages) == 5
    headers = [parsed(message) for message in messages]
    assert {h["In-Reply-To"] for h in headers} == {root(ticket)}
    assert {h["References"] for h in headers} == {root(ticket)}
    message_ids = [h["Message-ID"] for h in headers]
    assert len(set(message_ids)) == len(message_ids)
    assert all(m.startswith("<") and m.endswith(f"@{ROOT_DOMAIN}>") for m in message_ids)
    assert root(ticket) not in message_ids
    assert {h["Auto-Submitted"] for h in headers} == {"auto-generated"}
    stored = set(Notification.objects.filter(ticket=ticket).values_list("message_id", flat=True))
    assert stored == set(message_ids)


def test_two_tickets_have_two_threads(cast: Cast, mailoutbox: list[mail.EmailMessage]) -> None:
    first, second = file_ticket(cast.employee), file_ticket(cast.employee)

    first_refs = {parsed(m)["References"] for m in deliver_all(first)}
    second_refs = {parsed(m)["References"] for m in deliver_all(second)}

    assert (first_refs, second_refs) == ({root(first)}, {root(second)})


def test_the_thread_domain_follows_the_from_address(cast: Cast, ticket: Ticket, settings: object) -> None:
    settings.DEFAULT_FROM_EMAIL = "Help <help@desk.example.org>"  # type: ignore[attr-defined]
    row = Notification.objects.filter(ticket=ticket).first()
    assert row is not None

    message = emails.build(row)

    assert message.extra_headers["References"] == f"<sit-{ticket.pk}@desk.example.org>"


# ---- no header injection -------------------------------------------------------------------------


def assert_no_injected_header(message: EmailMultiAlternatives) -> None:
    raw = message.message().as_string()
    head = raw.split("\n\n", 1)[0]
    assert "\nBcc:" not in head and not head.startswith("Bcc:")
    assert "evil@example.com" not in [parseaddr(address)[1] for address in message.recipients()]
    assert "\r" not in head.replace("\r\n", "\n")
    assert parsed(message)["Bcc"] is None


def test_a_full_name_with_a_line_break_injects_no_header(
    cast: Cast, mailoutbox: list[mail.EmailMessage]
) -> None:
    mallory = user_create(
        email="mallory@example.com",
        full_name=f"Mallory{INJECTION}",
        password=PASSWORD,
        department=Department.objects.get(name="Sales"),
    )
    ticket = file_ticket(mallory)

    receipt = email_to(deliver_all(ticket), mallory.email)

    assert_no_injected_header(receipt)
    assert [parseaddr(address)[1] for address in receipt.recipients()] == ["mallory@example.com"]
    assert parsed(receipt)["To"] == '"Mallory Bcc: evil@example.com" <mallory@example.com>'


def test_an_actor_name_with_a_line_break_injects_no_header_in_the_subject(
    cast: Cast, ticket: Ticket, mailoutbox: list[mail.EmailMessage]
) -> None:
    cast.it_agent.full_name = f"Ian{INJECTION}"
    cast.it_agent.save(update_fields=["full_name"])
    deliver_all(ticket)
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Hello")

    (reply,) = deliver_all(ticket)

    assert_no_injected_header(reply)
    assert reply.subject.startswith(f"[SIT-{ticket.pk}] Ian Bcc: evil@example.com replied")


def test_a_subject_with_a_line_break_injects_no_header(
    cast: Cast, ticket: Ticket, mailoutbox: list[mail.EmailMessage]
) -> None:
    # The filing service already flattens the subject; the email must hold even if a row has one.
    for row in Notification.objects.filter(ticket=ticket):
        row.context["subject"] = f"Help{INJECTION}"
        row.save(update_fields=["context"])

    for message in deliver_all(ticket):
        assert_no_injected_header(message)
        assert "\n" not in message.subject and "\r" not in message.subject


def test_the_filing_service_flattens_a_subject_with_a_line_break(cast: Cast) -> None:
    ticket = file_ticket(cast.employee, subject=f"Help{INJECTION}")

    assert ticket.subject == "Help Bcc: evil@example.com"
