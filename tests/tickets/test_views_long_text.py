"""Very long texts: refused with the limit or filed cleanly, never a 500, and no file left behind.

PostgreSQL refuses a search document whose distinct words pass 1 MB; the texts here are made
of distinct words for that reason. A request that fails after its files were written must
take them away with it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.db import DataError, connection
from django.urls import reverse

from tickets import services
from tickets.models import Attachment, Comment, Ticket
from tickets.selectors import search_filter
from tickets.services.common import MESSAGE_MAX_CHARS

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .conftest import stored_files
from .pages import desk_state, field_errors, filing_data, messages_shown, shown, upload

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the search document's limit is PostgreSQL's"
)

# Letters without vowels: the English stemmer leaves such words whole, so each stays distinct.
LETTERS = "bcdfghjklmnpqrtvwxz"
FILES_AGAIN = "please choose your attachments again"


def word(number: int) -> str:
    letters = []
    for _ in range(6):
        number, digit = divmod(number, len(LETTERS))
        letters.append(LETTERS[digit])
    return "".join(letters)


def distinct_words(chars: int, first: int = 0) -> str:
    """About `chars` characters of words no other call with another `first` repeats."""
    return " ".join(word(first + n) for n in range(chars // 7))


def portal_reply(ticket: Ticket) -> str:
    return reverse("tickets:reply", args=[ticket.pk])


def desk_reply(ticket: Ticket) -> str:
    return reverse("desk:reply", args=[ticket.pk])


def reply_data(body: str, **extra: Any) -> dict[str, Any]:
    return {"body": body, "visibility": "public", "status": "", "attachments": [upload("trace.png")], **extra}


@pytest.fixture
def ticket(cast: Cast) -> Ticket:
    return file_ticket(cast.employee, problem="login-access")


# ---- filing -------------------------------------------------------------------------------


def test_a_1_mb_description_is_refused_with_the_limit_and_kept_in_the_form(
    cast: Cast, media_root: Path
) -> None:
    description = distinct_words(1_000_000)
    before = desk_state()

    response = client_for(cast.employee).post(
        reverse("tickets:new"), {**filing_data(description=description), "attachments": [upload("error.png")]}
    )

    assert response.status_code == 200
    assert field_errors(response, "description") == [
        f"Keep the description to 20,000 characters; it has {len(description):,}. "
        "Shorten it, or attach long text such as a log as a file."
    ]
    page = shown(response)
    assert description in page
    assert FILES_AGAIN in page
    assert desk_state() == before
    assert stored_files(media_root) == []


def test_a_description_at_the_limit_is_filed_with_its_attachment_and_found_by_its_words(
    cast: Cast, media_root: Path
) -> None:
    description = distinct_words(MESSAGE_MAX_CHARS + 6)[:MESSAGE_MAX_CHARS]
    assert len(description) == MESSAGE_MAX_CHARS

    response = client_for(cast.employee).post(
        reverse("tickets:new"), {**filing_data(description=description), "attachments": [upload("error.png")]}
    )

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert ticket.description == description
    assert [path.read_bytes() for path in stored_files(media_root)] == [upload().read()]
    assert list(Ticket.objects.filter(search_filter(word(2000))).values_list("pk", flat=True)) == [ticket.pk]


def test_a_filing_that_fails_after_storing_its_files_leaves_none_behind(
    cast: Cast, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def database_fails(*, ticket_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")

    monkeypatch.setattr("tickets.services.filing.ticket_search_refresh", database_fails)

    with pytest.raises(DataError):
        client_for(cast.employee).post(
            reverse("tickets:new"),
            {
                **filing_data(),
                "attachments": [upload("one.png"), upload("two.pdf", b"%PDF-1.7", "application/pdf")],
            },
        )

    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


# ---- replying -----------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "url"), [("employee", portal_reply), ("it_agent", desk_reply)])
def test_a_20000_character_reply_with_an_attachment_is_sent(
    cast: Cast, ticket: Ticket, media_root: Path, who: str, url: Any
) -> None:
    body = distinct_words(MESSAGE_MAX_CHARS + 6, first=50_000)[:MESSAGE_MAX_CHARS]

    response = client_for(getattr(cast, who)).post(url(ticket), reply_data(body), follow=True)

    assert response.status_code == 200
    comment = Comment.objects.get(ticket=ticket)
    assert comment.body == body
    assert comment.attachments.get().name == "trace.png"
    assert len(stored_files(media_root)) == 1
    assert ("success", "Your reply was sent." if who == "employee" else "Reply sent to the requester.") in (
        messages_shown(response)
    )


@pytest.mark.parametrize(("who", "url"), [("employee", portal_reply), ("it_agent", desk_reply)])
def test_a_reply_over_the_limit_is_refused_with_the_limit_and_kept(
    cast: Cast, ticket: Ticket, media_root: Path, who: str, url: Any
) -> None:
    body = distinct_words(MESSAGE_MAX_CHARS + 700, first=50_000)
    before = desk_state()

    response = client_for(getattr(cast, who)).post(url(ticket), reply_data(body))

    assert response.status_code == 200
    assert field_errors(response, "body") == [
        f"Keep the message to 20,000 characters; it has {len(body):,}. "
        "Shorten it, or attach long text such as a log as a file."
    ]
    page = shown(response)
    assert f"{body}</textarea>" in page
    assert FILES_AGAIN in page
    assert desk_state() == before
    assert stored_files(media_root) == []


def test_a_line_break_counts_as_one_character_as_people_count_it(cast: Cast, ticket: Ticket) -> None:
    body = "A line of the log\r\n" * 1100 + "end"  # 20,903 characters as sent, 19,803 as typed

    response = client_for(cast.employee).post(portal_reply(ticket), {"body": body})

    assert response.status_code == 302
    assert Comment.objects.get(ticket=ticket).body == body.strip()


def test_the_reply_box_does_not_cut_a_long_paste_short(cast: Cast, ticket: Ticket) -> None:
    page = shown(client_for(cast.employee).get(reverse("tickets:detail", args=[ticket.pk])))

    reply_box = re.search(r'<textarea[^>]*name="body"[^>]*>', page)
    assert reply_box is not None
    assert "maxlength" not in reply_box.group(0)


def near_the_limit(ticket: Ticket, cast: Cast, chars: int = 1_000_000) -> None:
    """A conversation of `chars` characters of distinct words, written straight to the table."""
    per_comment = 19_600
    Comment.objects.bulk_create(
        Comment(
            ticket=ticket,
            author=cast.employee if n % 2 else cast.it_agent,
            body=distinct_words(per_comment, first=100_000 + n * per_comment),
        )
        for n in range(chars // per_comment)
    )


@pytest.mark.parametrize(("who", "url"), [("employee", portal_reply), ("it_agent", desk_reply)])
def test_a_reply_on_a_conversation_near_the_search_limit_still_works(
    cast: Cast, ticket: Ticket, media_root: Path, who: str, url: Any
) -> None:
    near_the_limit(ticket, cast)
    body = distinct_words(MESSAGE_MAX_CHARS, first=50_000)

    response = client_for(getattr(cast, who)).post(url(ticket), reply_data(body), follow=True)

    assert response.status_code == 200
    assert Comment.objects.filter(ticket=ticket, body=body).exists()
    assert len(stored_files(media_root)) == 1
    # The start of the conversation is still found; the search document stays well under 1 MB.
    assert list(Ticket.objects.filter(search_filter(word(100_005))).values_list("pk", flat=True)) == [
        ticket.pk
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT octet_length(search_vector::text) FROM tickets_ticket WHERE id = %s", [ticket.pk]
        )
        assert cursor.fetchone()[0] < 500_000


def test_a_reply_that_fails_after_storing_its_files_leaves_none_behind(
    cast: Cast, ticket: Ticket, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def mail_fails(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the outbox is unreachable")

    monkeypatch.setattr("tickets.services.conversation.notify.on_comment", mail_fails)
    before = desk_state()

    with pytest.raises(RuntimeError):
        client_for(cast.it_agent).post(
            desk_reply(ticket),
            reply_data("Here is the trace", attachments=[upload("a.png"), upload("b.png")]),
        )

    assert desk_state() == before
    assert stored_files(media_root) == []


def test_a_failed_reply_keeps_the_files_stored_before_it(
    cast: Cast, ticket: Ticket, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.ticket_reply(
        ticket=ticket, author=cast.employee, body="First screenshot", files=[upload("first.png")]
    )
    kept = stored_files(media_root)
    monkeypatch.setattr("tickets.services.conversation.notify.on_comment", lambda *args, **kwargs: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        services.ticket_reply(
            ticket=ticket, author=cast.employee, body="Second", files=[upload("second.png")]
        )

    assert stored_files(media_root) == kept
    assert Attachment.objects.get().file.name.endswith(kept[0].name)
