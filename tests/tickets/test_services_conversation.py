"""The conversation on a ticket: replies, internal notes, what they do to the status, attachments, search."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from pytest_django.fixtures import Settings
from time_machine import TimeMachineFixture

from tickets import events, services
from tickets.events import StatusMove, payload_of
from tickets.events import event_sentence as said
from tickets.models import Attachment, Comment, Event, Ticket
from tickets.selectors import search_filter

from ..conftest import Cast
from ..factories import file_ticket

S = Ticket.Status
FILED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LATER = FILED_AT + timedelta(hours=2)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the LIKE fallback is SQLite's")


@pytest.fixture
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(FILED_AT, tick=False)
    return time_machine


@pytest.fixture
def ticket(cast: Cast, clock: TimeMachineFixture) -> Ticket:
    """A New IT ticket filed by the employee at FILED_AT; the clock then moves on to LATER."""
    filed = file_ticket(cast.employee, problem="login-access", subject="Cannot log in to the blog")
    clock.move_to(LATER, tick=False)
    return filed


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def last_event(ticket: Ticket, kind: str) -> Event:
    event = Event.objects.filter(ticket=ticket, kind=kind).order_by("-id").first()
    assert event is not None, f"no {kind} event"
    return event


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def upload(name: str, content: bytes = PNG, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


# ---- the requester replies --------------------------------------------------------------------


def test_requester_reply_on_waiting_for_them_reopens_the_ticket(cast: Cast, ticket: Ticket) -> None:
    services.ticket_set_status(ticket=ticket, status=S.WAITING_REQUESTER, actor=cast.it_agent)

    comment = services.ticket_reply(ticket=ticket, author=cast.employee, body="  Here is the screenshot.  ")

    assert (comment.body, comment.author, comment.is_internal) == (
        "Here is the screenshot.",
        cast.employee,
        False,
    )
    stored = fresh(ticket)
    assert (stored.status, stored.updated_at, stored.first_response_at) == (S.OPEN, LATER, None)
    event = last_event(ticket, Event.Kind.REPLIED)
    assert event.actor == cast.employee
    assert said(event) == f"{cast.employee} replied; status Waiting on requester → Open"
    assert payload_of(event) == events.Replied(
        comment_id=comment.pk, status=StatusMove.between(S.WAITING_REQUESTER, S.OPEN)
    )


@pytest.mark.parametrize("status", [S.NEW, S.OPEN, S.WAITING_THIRD_PARTY])
def test_requester_reply_leaves_other_open_statuses_alone(cast: Cast, ticket: Ticket, status: str) -> None:
    if status != S.NEW:
        services.ticket_set_status(ticket=ticket, status=status, actor=cast.it_agent)

    services.ticket_reply(ticket=ticket, author=cast.employee, body="Any news?")

    assert fresh(ticket).status == status
    assert said(last_event(ticket, Event.Kind.REPLIED)) == f"{cast.employee} replied"


def test_requester_reply_on_a_recently_resolved_ticket_reopens_it(
    cast: Cast, ticket: Ticket, clock: TimeMachineFixture
) -> None:
    services.ticket_set_status(ticket=ticket, status=S.RESOLVED, actor=cast.it_agent)
    clock.move_to(LATER + timedelta(days=settings.TICKET_REOPEN_DAYS), tick=False)

    services.ticket_reply(ticket=ticket, author=cast.employee, body="It broke again.")

    stored = fresh(ticket)
    assert (stored.status, stored.resolved_at) == (S.OPEN, None)
    assert said(last_event(ticket, Event.Kind.REPLIED)) == f"{cast.employee} replied; status Resolved → Open"


def test_requester_reply_long_after_resolution_is_refused(
    cast: Cast, ticket: Ticket, clock: TimeMachineFixture
) -> None:
    services.ticket_set_status(ticket=ticket, status=S.RESOLVED, actor=cast.it_agent)
    clock.move_to(LATER + timedelta(days=settings.TICKET_REOPEN_DAYS, seconds=1), tick=False)

    with pytest.raises(ValidationError) as refused:
        services.ticket_reply(ticket=ticket, author=cast.employee, body="It broke again.")

    assert refused.value.messages == [
        "This request was resolved too long ago to reopen; please file a new request."
    ]
    assert fresh(ticket).status == S.RESOLVED
    assert not Comment.objects.filter(ticket=ticket).exists()


@pytest.mark.parametrize("author", ["employee", "it_agent"])
def test_nobody_replies_to_a_closed_ticket(cast: Cast, ticket: Ticket, author: str) -> None:
    services.ticket_set_status(ticket=ticket, status=S.CLOSED, actor=cast.it_agent)

    with pytest.raises(ValidationError) as refused:
        services.ticket_reply(ticket=ticket, author=getattr(cast, author), body="One more thing")

    assert refused.value.messages == [
        f"{ticket.reference} is closed and takes no more replies. File a new request that refers to it."
    ]
    assert not Comment.objects.filter(ticket=ticket).exists()


def test_requesters_cannot_add_internal_notes(cast: Cast, ticket: Ticket) -> None:
    with pytest.raises(ValidationError) as refused:
        services.ticket_reply(ticket=ticket, author=cast.employee, body="psst", internal=True)

    assert refused.value.messages == ["Requesters can't add internal notes."]
    assert not Comment.objects.filter(ticket=ticket).exists()


@pytest.mark.parametrize("body", ["", "   \n\t "])
def test_an_empty_message_is_refused(cast: Cast, ticket: Ticket, body: str) -> None:
    with pytest.raises(ValidationError) as refused:
        services.ticket_reply(ticket=ticket, author=cast.it_agent, body=body)

    assert refused.value.messages == ["Write a message before sending."]
    assert not Comment.objects.filter(ticket=ticket).exists()


# ---- staff reply and note ---------------------------------------------------------------------


def test_staff_first_public_reply_is_the_first_response_and_opens_the_ticket(
    cast: Cast, ticket: Ticket, clock: TimeMachineFixture
) -> None:
    comment = services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Looking into it.")

    stored = fresh(ticket)
    assert (stored.status, stored.first_response_at, stored.updated_at) == (S.OPEN, LATER, LATER)
    event = last_event(ticket, Event.Kind.REPLIED)
    assert event.actor == cast.it_agent
    assert said(event) == f"{cast.it_agent} replied; status New → Open"
    assert payload_of(event) == events.Replied(
        comment_id=comment.pk, status=StatusMove.between(S.NEW, S.OPEN)
    )

    clock.move_to(LATER + timedelta(hours=3), tick=False)
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Fixed, please try again.")

    stored = fresh(ticket)
    assert stored.first_response_at == LATER
    assert stored.updated_at == LATER + timedelta(hours=3)
    assert said(last_event(ticket, Event.Kind.REPLIED)) == f"{cast.it_agent} replied"


def test_an_internal_note_is_not_a_response_and_changes_no_status(cast: Cast, ticket: Ticket) -> None:
    comment = services.ticket_reply(
        ticket=ticket, author=cast.it_agent, body="Probably the SSO again.", internal=True
    )

    assert comment.is_internal
    stored = fresh(ticket)
    assert (stored.status, stored.first_response_at) == (S.NEW, None)
    assert stored.updated_at == LATER
    event = last_event(ticket, Event.Kind.NOTED)
    assert (event.actor, said(event)) == (cast.it_agent, f"{cast.it_agent} added an internal note")
    assert payload_of(event) == events.Noted(comment_id=comment.pk)
    assert not ticket.events.filter(kind=Event.Kind.REPLIED).exists()


def test_a_note_after_the_first_response_keeps_it(
    cast: Cast, ticket: Ticket, clock: TimeMachineFixture
) -> None:
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="On it.")
    clock.move_to(LATER + timedelta(hours=1), tick=False)

    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="note to self", internal=True)

    assert fresh(ticket).first_response_at == LATER


def test_staff_can_set_a_status_with_a_reply(cast: Cast, ticket: Ticket) -> None:
    services.ticket_reply(
        ticket=ticket, author=cast.it_agent, body="Which browser do you use?", status=S.WAITING_REQUESTER
    )

    stored = fresh(ticket)
    assert (stored.status, stored.first_response_at) == (S.WAITING_REQUESTER, LATER)
    event = last_event(ticket, Event.Kind.REPLIED)
    assert said(event) == f"{cast.it_agent} replied; status New → Waiting on requester"
    assert payload_of(event).status == StatusMove.between(S.NEW, S.WAITING_REQUESTER)


def test_staff_can_resolve_with_a_reply(cast: Cast, ticket: Ticket) -> None:
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Password reset done.", status=S.RESOLVED)

    stored = fresh(ticket)
    assert (stored.status, stored.resolved_at, stored.first_response_at) == (S.RESOLVED, LATER, LATER)


def test_staff_can_set_a_status_with_an_internal_note(cast: Cast, ticket: Ticket) -> None:
    services.ticket_reply(
        ticket=ticket,
        author=cast.it_agent,
        body="Asked the vendor.",
        internal=True,
        status=S.WAITING_THIRD_PARTY,
    )

    stored = fresh(ticket)
    assert (stored.status, stored.first_response_at) == (S.WAITING_THIRD_PARTY, None)
    assert said(last_event(ticket, Event.Kind.NOTED)) == (
        f"{cast.it_agent} added an internal note; status New → Waiting on third party"
    )


def test_a_refused_status_with_a_reply_stores_nothing(cast: Cast, ticket: Ticket) -> None:
    services.ticket_resolve(ticket=ticket, actor=cast.employee)

    with pytest.raises(ValidationError) as refused:
        services.ticket_reply(
            ticket=ticket, author=cast.it_agent, body="Wait for me", status=S.WAITING_REQUESTER
        )

    assert refused.value.messages == ["A ticket that is resolved can't become waiting on requester."]
    assert not Comment.objects.filter(ticket=ticket).exists()
    stored = fresh(ticket)
    assert (stored.status, stored.first_response_at) == (S.RESOLVED, None)


def test_requester_reply_never_counts_as_first_response(cast: Cast, ticket: Ticket) -> None:
    services.ticket_reply(ticket=ticket, author=cast.employee, body="Any news?", status=S.RESOLVED)

    stored = fresh(ticket)
    assert (stored.first_response_at, stored.status) == (None, S.NEW)


# ---- attachments ------------------------------------------------------------------------------


def test_attachments_are_stored_under_random_names_and_keep_the_uploaded_name(
    cast: Cast, ticket: Ticket, media: Path
) -> None:
    comment = services.ticket_reply(
        ticket=ticket,
        author=cast.employee,
        body="Screenshots attached",
        files=[
            upload("login-error.png"),
            upload("login-error.png", PNG + b"second"),
            upload("Quarterly plan.pdf", b"%PDF-1.7 plan", "application/pdf"),
        ],
    )

    attachments = list(Attachment.objects.filter(comment=comment).order_by("pk"))
    assert [a.name for a in attachments] == ["login-error.png", "login-error.png", "Quarterly plan.pdf"]
    assert [a.size for a in attachments] == [len(PNG), len(PNG) + 6, len(b"%PDF-1.7 plan")]
    assert [a.content_type for a in attachments] == ["image/png", "image/png", "application/pdf"]
    assert {(a.ticket, a.uploaded_by) for a in attachments} == {(ticket, cast.employee)}
    stored_names = [a.file.name for a in attachments]
    assert len(set(stored_names)) == 3
    for attachment in attachments:
        stored_name = attachment.file.name
        assert stored_name.startswith("attachments/")
        for fragment in ("login", "error", "Quarterly", "plan", ".png", ".pdf"):
            assert fragment not in stored_name
        assert (media / stored_name).is_file()
    assert (media / stored_names[1]).read_bytes() == PNG + b"second"
    assert (media / stored_names[2]).read_bytes() == b"%PDF-1.7 plan"


def test_an_uploaded_name_with_a_path_never_reaches_the_file_system(
    cast: Cast, ticket: Ticket, media: Path
) -> None:
    comment = services.ticket_reply(
        ticket=ticket, author=cast.it_agent, body="log", files=[upload("../../etc/passwd.txt", b"root")]
    )

    attachment = Attachment.objects.get(comment=comment)
    assert "passwd" not in attachment.file.name
    assert ".." not in attachment.file.name
    assert (media / attachment.file.name).resolve().is_relative_to(media.resolve())


def test_a_refused_attachment_refuses_the_whole_reply(cast: Cast, ticket: Ticket, media: Path) -> None:
    with pytest.raises(ValidationError) as refused:
        services.ticket_reply(
            ticket=ticket,
            author=cast.employee,
            body="see attached",
            files=[upload("ok.png"), upload("invoice.pdf", b"MZ\x90\x00program")],
        )

    assert refused.value.messages == ["“invoice.pdf” is a program; programs can't be attached."]
    assert not Comment.objects.filter(ticket=ticket).exists()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


# ---- search -----------------------------------------------------------------------------------


def matching(query: str) -> list[int]:
    return list(Ticket.objects.filter(search_filter(query)).values_list("pk", flat=True))


@on_postgresql
def test_a_word_only_in_a_reply_is_found_by_full_text_search(cast: Cast, ticket: Ticket) -> None:
    other = file_ticket(cast.other_employee, subject="Unrelated", description="Nothing to see.")
    assert matching("zeppelin") == []

    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="The zeppelins plugin broke the login.")

    assert matching("zeppelin") == [ticket.pk]
    assert matching("zeppelin plugin") == [ticket.pk]
    assert other.pk not in matching("zeppelin")


@on_postgresql
def test_the_search_document_keeps_subject_and_description(cast: Cast, ticket: Ticket) -> None:
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="A reply about something else.")

    assert matching("blog") == [ticket.pk]
    assert matching("stopped working") == [ticket.pk]


@on_sqlite
def test_a_word_only_in_a_reply_is_found_with_like_on_sqlite(cast: Cast, ticket: Ticket) -> None:
    other = file_ticket(cast.other_employee, subject="Unrelated", description="Nothing to see.")
    assert matching("zeppelin") == []

    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="The Zeppelin plugin broke the login.")

    assert matching("zeppelin") == [ticket.pk]
    assert matching("ZEPPELIN PLUGIN") == [ticket.pk]
    assert matching("blog") == [ticket.pk]
    assert other.pk not in matching("zeppelin")


def test_a_ticket_is_found_by_its_reference(cast: Cast, ticket: Ticket) -> None:
    assert matching(ticket.reference) == [ticket.pk]
    assert matching(f" {ticket.reference.lower()} ") == [ticket.pk]
    assert matching(str(ticket.pk)) == [ticket.pk]
