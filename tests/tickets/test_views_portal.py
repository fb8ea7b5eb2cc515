"""The portal: an employee files a request, follows their own, replies, resolves and reopens."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertRedirects
from pytest_django.fixtures import Settings

from tickets import services
from tickets.models import Attachment, Event, Platform, Ticket

from ..conftest import Cast, client_for, platform
from ..factories import file_ticket
from .conftest import stored_files
from .pages import (
    IMG,
    PNG,
    SCRIPT,
    desk_state,
    detail,
    field_errors,
    filing_data,
    messages_shown,
    raw,
    shown,
    upload,
)

FILES_AGAIN = "please choose your attachments again"


# ---- filing -------------------------------------------------------------------------------


def test_filing_redirects_to_the_new_ticket_with_a_thank_you(cast: Cast) -> None:
    client = client_for(cast.employee)

    response = client.post(
        reverse("tickets:new"), {**filing_data(), "attachments": [upload("error.png")]}, follow=True
    )

    ticket = Ticket.objects.get()
    assertRedirects(response, detail(ticket))
    assert messages_shown(response) == [
        ("success", f"Thanks — we have your request {ticket.reference}. We'll email you as it moves.")
    ]
    assert (ticket.requester, ticket.queue, ticket.company_account) == (
        cast.employee,
        cast.it,
        "@acme_support",
    )
    assert ticket.subject == "Locked out of the support account"
    assert ticket.attachments.get().name == "error.png"
    assert "error.png" in shown(response)


def test_the_filing_form_offers_the_active_platforms_only(cast: Cast) -> None:
    Platform.objects.filter(slug="facebook").update(is_active=False)

    page = shown(client_for(cast.employee).get(reverse("tickets:new")))

    assert "Twitter/X" in page
    assert "Facebook" not in page


def test_a_retired_or_forged_platform_is_refused_and_nothing_is_stored(cast: Cast) -> None:
    retired = platform("facebook")
    retired.is_active = False
    retired.save()
    client = client_for(cast.employee)

    for value in (retired.pk, 999_999, "twitter"):
        response = client.post(reverse("tickets:new"), filing_data(platform=value))

        assert response.status_code == 200
        assert "Select a valid choice" in shown(response)
    assert not Ticket.objects.exists()


def test_filing_without_a_subject_says_so_and_keeps_the_rest(cast: Cast) -> None:
    response = client_for(cast.employee).post(reverse("tickets:new"), filing_data(subject="   "))

    assert response.status_code == 200
    assert field_errors(response, "subject") != []
    assert field_errors(response, "description") == []
    page = shown(response)
    assert "The two-factor code never arrives on the shared phone." in page
    assert 'value="@acme_support"' in page
    assert FILES_AGAIN not in page  # no files were chosen, so none were dropped
    assert not Ticket.objects.exists()


def refused_uploads(settings: Settings) -> dict[str, tuple[list[object], str]]:
    settings.ATTACHMENT_MAX_BYTES = 1024
    settings.ATTACHMENT_MAX_COUNT = 2
    return {
        "oversized": (
            [upload("big.png", PNG + b"\x00" * 2048)],
            "“big.png” is 2.0 KB; each file may be at most 1.0 KB.",
        ),
        "exe": (
            [upload("setup.exe", b"MZ\x90\x00", "application/octet-stream")],
            "“setup.exe” can't be attached",
        ),
        "bat": ([upload("fix.bat", b"@echo off\r\n", "text/plain")], "“fix.bat” can't be attached"),
        "program named png": (
            [upload("holiday.png", b"MZ\x90\x00\x03\x00\x00\x00", "image/png")],
            "“holiday.png” is a program; programs can't be attached.",
        ),
        "too many": (
            [upload("a.png"), upload("b.png"), upload("c.png")],
            "Attach at most 2 files at a time; you chose 3.",
        ),
    }


REFUSALS = ["oversized", "exe", "bat", "program named png", "too many"]


@pytest.mark.parametrize("case", REFUSALS)
def test_filing_with_a_refused_attachment_explains_keeps_the_text_and_stores_nothing(
    cast: Cast, settings: Settings, media_root: Path, case: str
) -> None:
    files, message = refused_uploads(settings)[case]

    response = client_for(cast.employee).post(reverse("tickets:new"), {**filing_data(), "attachments": files})

    assert response.status_code == 200
    page = shown(response)
    assert message in page
    assert FILES_AGAIN in page
    assert 'value="Locked out of the support account"' in page
    assert 'value="@acme_support"' in page
    assert "The two-factor code never arrives on the shared phone.</textarea>" in page
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_a_refused_filing_shows_the_html_it_was_given_as_text(cast: Cast) -> None:
    response = client_for(cast.employee).post(
        reverse("tickets:new"),
        {
            **filing_data(subject=SCRIPT, description=IMG, company_account=SCRIPT),
            "attachments": [upload("setup.exe", b"MZ")],
        },
    )

    page = raw(response)
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in page
    assert "&lt;img src=x onerror=alert(1)&gt;</textarea>" in page
    assert SCRIPT not in page
    assert IMG not in page
    assert not Ticket.objects.exists()


# ---- following one's own request ----------------------------------------------------------


def test_requester_sees_the_conversation_but_no_internal_note(cast: Cast) -> None:
    ticket = file_ticket(cast.employee, description="Filed with a screenshot", files=[upload("filed.png")])
    services.ticket_reply(
        ticket=ticket, author=cast.it_agent, body="Please try again now.", files=[upload("fix.png")]
    )
    services.ticket_reply(
        ticket=ticket,
        author=cast.it_agent,
        body="Secret: reset by hand",
        internal=True,
        files=[upload("notes.png")],
    )

    page = shown(client_for(cast.employee).get(detail(ticket)))

    assert "Filed with a screenshot" in page
    assert "filed.png" in page
    assert "Please try again now." in page
    assert "fix.png" in page
    assert "Secret: reset by hand" not in page
    assert "notes.png" not in page


def test_html_in_a_request_and_its_replies_is_shown_as_text(cast: Cast) -> None:
    ticket = file_ticket(
        cast.employee,
        subject=f"Blog broken {SCRIPT}",
        description=f"It shows {IMG} in the sidebar",
        company_account=IMG,
        files=[upload(f"{IMG}.png")],
    )
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body=f"Remove the {SCRIPT} tag")
    services.ticket_reply(ticket=ticket, author=cast.employee, body=f"Done: {IMG}")

    page = raw(client_for(cast.employee).get(detail(ticket)))

    assert "Blog broken &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "It shows &lt;img src=x onerror=alert(1)&gt; in the sidebar" in page
    assert "Remove the &lt;script&gt;alert(1)&lt;/script&gt; tag" in page
    assert "Done: &lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;.png" in page
    assert "<script>alert" not in page
    assert "<img src=x" not in page


def test_requester_cannot_open_another_employees_ticket(cast: Cast) -> None:
    theirs = file_ticket(cast.other_employee)

    assert client_for(cast.employee).get(detail(theirs)).status_code == 404


@pytest.mark.parametrize(
    ("name", "data"),
    [("tickets:reply", {"body": "Let me in"}), ("tickets:resolve", {}), ("tickets:reopen", {})],
)
def test_requester_cannot_act_on_another_employees_ticket(
    cast: Cast, name: str, data: dict[str, str]
) -> None:
    theirs = file_ticket(cast.other_employee)
    if name == "tickets:reopen":
        services.ticket_resolve(ticket=theirs, actor=cast.other_employee)
    before = desk_state()

    response = client_for(cast.employee).post(reverse(name, args=[theirs.pk]), data)

    assert response.status_code == 404
    assert desk_state() == before


def test_staff_use_the_desk_not_the_portal_for_others_tickets(cast: Cast) -> None:
    # The portal page is the requester's own view; it never widens to the queue's agents.
    ticket = file_ticket(cast.employee)

    assert client_for(cast.it_agent).get(detail(ticket)).status_code == 404
    assert client_for(cast.manager).get(detail(ticket)).status_code == 404


@pytest.mark.parametrize("pk", [0, 999_999, 2**63 + 1])
def test_an_unknown_ticket_is_404(cast: Cast, pk: int) -> None:
    file_ticket(cast.employee)
    client = client_for(cast.employee)

    assert client.get(reverse("tickets:detail", args=[pk])).status_code == 404
    assert client.post(reverse("tickets:reply", args=[pk]), {"body": "hi"}).status_code == 404


# ---- replying -----------------------------------------------------------------------------


def test_requester_reply_on_a_waiting_ticket_moves_it_back_to_open(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    services.ticket_set_status(ticket=ticket, status=Ticket.Status.WAITING_REQUESTER, actor=cast.it_agent)

    response = client_for(cast.employee).post(
        reverse("tickets:reply", args=[ticket.pk]),
        {"body": "Here is the screenshot.", "attachments": [upload("proof.png")]},
        follow=True,
    )

    assertRedirects(response, detail(ticket))
    assert messages_shown(response) == [("success", "Your reply was sent.")]
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    comment = ticket.comments.get()
    assert (comment.author, comment.body, comment.is_internal) == (
        cast.employee,
        "Here is the screenshot.",
        False,
    )
    assert comment.attachments.get().name == "proof.png"
    assert "Here is the screenshot." in shown(response)


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_an_empty_reply_says_so_and_stores_nothing(cast: Cast, body: str) -> None:
    ticket = file_ticket(cast.employee)
    before = desk_state()

    response = client_for(cast.employee).post(reverse("tickets:reply", args=[ticket.pk]), {"body": body})

    assert response.status_code == 200
    assert "This field is required." in shown(response)
    assert desk_state() == before


@pytest.mark.parametrize("case", REFUSALS)
def test_a_reply_with_a_refused_attachment_explains_keeps_the_text_and_stores_nothing(
    cast: Cast, settings: Settings, media_root: Path, case: str
) -> None:
    ticket = file_ticket(cast.employee)
    files, message = refused_uploads(settings)[case]
    before = desk_state()

    response = client_for(cast.employee).post(
        reverse("tickets:reply", args=[ticket.pk]),
        {"body": "My reply, typed with care.", "attachments": files},
    )

    assert response.status_code == 200
    page = shown(response)
    assert message in page
    assert FILES_AGAIN in page
    assert "My reply, typed with care.</textarea>" in page
    assert desk_state() == before
    assert stored_files(media_root) == []


def test_a_reply_to_a_closed_request_is_refused_with_the_way_forward(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    services.ticket_set_status(ticket=ticket, status=Ticket.Status.CLOSED, actor=cast.it_agent)
    before = desk_state()

    response = client_for(cast.employee).post(
        reverse("tickets:reply", args=[ticket.pk]), {"body": "Still broken"}
    )

    assert response.status_code == 200
    assert (
        f"This request is closed. If the problem is back, file a new request and mention {ticket.reference}."
        in (re.sub(r"<[^>]+>", "", shown(response)))
    )
    assert "Your message was not sent; here it is so you can keep it:" in shown(response)
    assert "Still broken" in shown(response)
    assert desk_state() == before


# ---- resolving and reopening --------------------------------------------------------------


def test_resolve_button_resolves_and_offers_reopen(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    client = client_for(cast.employee)
    assert reverse("tickets:resolve", args=[ticket.pk]) in raw(client.get(detail(ticket)))

    response = client.post(reverse("tickets:resolve", args=[ticket.pk]), follow=True)

    assertRedirects(response, detail(ticket))
    assert messages_shown(response) == [
        ("success", f"{ticket.reference} is marked resolved. Thanks for letting us know.")
    ]
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RESOLVED
    page = raw(response)
    assert reverse("tickets:reopen", args=[ticket.pk]) in page
    assert reverse("tickets:resolve", args=[ticket.pk]) not in page


def test_reopen_button_reopens_a_recently_resolved_request(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    services.ticket_resolve(ticket=ticket, actor=cast.employee)

    response = client_for(cast.employee).post(reverse("tickets:reopen", args=[ticket.pk]), follow=True)

    assertRedirects(response, detail(ticket))
    assert messages_shown(response) == [
        ("success", f"{ticket.reference} is open again; the team has been told.")
    ]
    ticket.refresh_from_db()
    assert (ticket.status, ticket.resolved_at) == (Ticket.Status.OPEN, None)
    assert ticket.events.filter(kind=Event.Kind.STATUS, payload__how="reopened").exists()


def test_reopening_a_request_that_is_not_resolved_says_why_and_changes_nothing(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    before = desk_state()

    response = client_for(cast.employee).post(reverse("tickets:reopen", args=[ticket.pk]), follow=True)

    assert messages_shown(response) == [("danger", "Only a resolved request can be reopened.")]
    assert desk_state() == before


def test_resolving_a_resolved_request_again_says_so(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    services.ticket_resolve(ticket=ticket, actor=cast.employee)
    before = desk_state()

    response = client_for(cast.employee).post(reverse("tickets:resolve", args=[ticket.pk]), follow=True)

    assert messages_shown(response) == [("danger", "The ticket is already resolved.")]
    assert desk_state() == before


def resolved_long_ago(ticket: Ticket, days: int) -> None:
    Ticket.objects.filter(pk=ticket.pk).update(resolved_at=timezone.now() - timedelta(days=days))


def test_reopening_after_the_window_is_refused(cast: Cast, settings: Settings) -> None:
    settings.TICKET_REOPEN_DAYS = 14
    ticket = file_ticket(cast.employee)
    services.ticket_resolve(ticket=ticket, actor=cast.employee)
    resolved_long_ago(ticket, 15)
    before = desk_state()

    response = client_for(cast.employee).post(reverse("tickets:reopen", args=[ticket.pk]), follow=True)

    assert messages_shown(response) == [
        ("danger", "This request was resolved more than 14 days ago; please file a new request.")
    ]
    assert desk_state() == before


def test_a_reply_after_the_reopen_window_says_to_file_a_new_request(cast: Cast, settings: Settings) -> None:
    settings.TICKET_REOPEN_DAYS = 14
    ticket = file_ticket(cast.employee)
    services.ticket_resolve(ticket=ticket, actor=cast.employee)
    resolved_long_ago(ticket, 15)
    before = desk_state()

    response = client_for(cast.employee).post(
        reverse("tickets:reply", args=[ticket.pk]), {"body": "It is back"}
    )

    page = shown(response)
    assert "This request was resolved too long ago to reopen; please file a new request." in page
    assert "It is back</textarea>" in page
    assert desk_state() == before


def test_the_reopen_button_is_not_offered_after_the_window(cast: Cast, settings: Settings) -> None:
    settings.TICKET_REOPEN_DAYS = 14
    ticket = file_ticket(cast.employee)
    services.ticket_resolve(ticket=ticket, actor=cast.employee)
    resolved_long_ago(ticket, 15)

    page = raw(client_for(cast.employee).get(detail(ticket)))

    assert reverse("tickets:reopen", args=[ticket.pk]) not in page
