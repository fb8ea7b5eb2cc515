"""The admin: mailboxes, every message that came in, and the failed or held ones with a retry."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inbound import filing
from inbound.models import InboundMessage, Mailbox
from inbound.services import message_receive
from tests.conftest import Cast, client_for
from tickets.models import Ticket

from .conftest import corpus

Status = InboundMessage.Status


def test_the_failed_list_shows_failed_and_held_messages_only(cast: Cast, it_mailbox: Mailbox) -> None:
    message_receive(mailbox=it_mailbox, raw=corpus("plain_new.eml"))
    message_receive(mailbox=it_mailbox, raw=corpus("unknown_sender.eml"))

    response = client_for(cast.admin).get(reverse("admin:inbound_failedmessage_changelist"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Partnership offer" in page
    assert "The blog shows a PHP error" not in page


def test_retry_from_the_admin_files_the_ticket_of_a_failed_message(
    cast: Cast, it_mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_ticket_file = filing.ticket_file

    def broken(**kwargs: object) -> Ticket:
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(filing, "ticket_file", broken)
    failed = message_receive(mailbox=it_mailbox, raw=corpus("plain_new.eml"))
    monkeypatch.setattr(filing, "ticket_file", real_ticket_file)

    response = client_for(cast.admin).post(
        reverse("admin:inbound_failedmessage_changelist"),
        {"action": "retry", "_selected_action": [failed.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "Retried: 1 filed as a ticket." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == Status.TICKET
    assert Ticket.objects.count() == 1


def test_a_message_page_shows_what_became_of_it_and_never_the_raw_bytes(
    cast: Cast, it_mailbox: Mailbox
) -> None:
    message = message_receive(mailbox=it_mailbox, raw=corpus("html_only.eml"))

    response = client_for(cast.admin).get(reverse("admin:inbound_inboundmessage_change", args=[message.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Filed as a ticket" in page
    assert "alert(" not in page


def test_the_mailbox_form_asks_for_a_variable_name_not_a_password(cast: Cast, it_mailbox: Mailbox) -> None:
    response = client_for(cast.admin).get(reverse("admin:inbound_mailbox_change", args=[it_mailbox.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Environment variable holding the IMAP password" in page
    assert 'type="password"' not in page


def test_an_employee_cannot_open_the_messages(cast: Cast, it_mailbox: Mailbox) -> None:
    response = client_for(cast.employee).get(reverse("admin:inbound_inboundmessage_changelist"))

    assert response.status_code == 302


def test_the_raw_message_downloads_as_an_eml_file_never_inline(cast: Cast, it_mailbox: Mailbox) -> None:
    raw = corpus("html_only.eml")
    message = message_receive(mailbox=it_mailbox, raw=raw)

    response = client_for(cast.admin).get(reverse("admin:inbound_inboundmessage_raw", args=[message.pk]))

    assert response.status_code == 200
    assert response.content == raw
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="message-{message.pk}.eml"'


def test_the_raw_message_of_an_unknown_row_is_not_found(cast: Cast, it_mailbox: Mailbox) -> None:
    response = client_for(cast.admin).get(reverse("admin:inbound_inboundmessage_raw", args=[999_999]))

    assert response.status_code == 404


def test_messages_held_back_by_the_sender_limit_are_listed_with_the_reason(
    cast: Cast, it_mailbox: Mailbox, settings: object
) -> None:
    settings.INBOUND_SENDER_LIMIT_PER_HOUR = 1  # type: ignore[attr-defined]
    raw = corpus("plain_new.eml")
    message_receive(mailbox=it_mailbox, raw=raw)
    message_receive(mailbox=it_mailbox, raw=raw.replace(b"Message-ID: <", b"Message-ID: <again."))

    page = client_for(cast.admin).get(reverse("admin:inbound_failedmessage_changelist")).content.decode()

    assert "Held back: too many from this sender" in page
