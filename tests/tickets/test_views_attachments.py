"""Attachment downloads: only for those who may read the message, and never rendered by the browser."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.http import FileResponse
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from tickets import services
from tickets.models import Attachment, Ticket

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .pages import PNG, upload

HTML_PAGE = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG_DRAWING = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'


def download_url(attachment: Attachment, **params: str) -> str:
    url = reverse("tickets:attachment", args=[attachment.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def body(response: FileResponse) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[arg-type]


@pytest.fixture
def ticket(cast: Cast) -> Ticket:
    return file_ticket(cast.employee, problem="publishing-problem", files=[upload("screenshot.png")])


@pytest.fixture
def filed(ticket: Ticket) -> Attachment:
    return ticket.attachments.get()


@pytest.fixture
def internal(cast: Cast, ticket: Ticket) -> Attachment:
    note = services.ticket_reply(
        ticket=ticket,
        author=cast.it_agent,
        body="Server log",
        internal=True,
        files=[upload("server.log", b"ERROR 42", "text/plain")],
    )
    return note.attachments.get()


# ---- who may download ---------------------------------------------------------------------


def test_the_requester_downloads_their_file(cast: Cast, filed: Attachment) -> None:
    response = client_for(cast.employee).get(download_url(filed))

    assert response.status_code == 200
    assert body(response) == PNG


@pytest.mark.parametrize("who", ["it_agent", "manager", "admin"])
def test_staff_of_the_queue_download_it(cast: Cast, filed: Attachment, who: str) -> None:
    response = client_for(getattr(cast, who)).get(download_url(filed))

    assert response.status_code == 200
    assert body(response) == PNG


@pytest.mark.parametrize("who", ["other_employee", "marketing_agent", "comms_agent"])
def test_anyone_else_gets_404(cast: Cast, filed: Attachment, who: str) -> None:
    assert client_for(getattr(cast, who)).get(download_url(filed)).status_code == 404


def test_a_file_on_an_internal_note_is_404_for_the_requester(cast: Cast, internal: Attachment) -> None:
    assert client_for(cast.employee).get(download_url(internal)).status_code == 404
    response = client_for(cast.it_agent).get(download_url(internal))
    assert response.status_code == 200
    assert body(response) == b"ERROR 42"


def test_a_file_on_a_public_reply_is_for_the_requester(cast: Cast, ticket: Ticket) -> None:
    reply = services.ticket_reply(
        ticket=ticket, author=cast.it_agent, body="Fixed", files=[upload("after.png")]
    )

    response = client_for(cast.employee).get(download_url(reply.attachments.get()))

    assert response.status_code == 200
    assert body(response) == PNG
    assert 'filename="after.png"' in response["Content-Disposition"]


def test_a_file_moved_with_its_ticket_follows_the_queue(
    cast: Cast, ticket: Ticket, filed: Attachment
) -> None:
    services.ticket_transfer(ticket=ticket, queue=cast.marketing, actor=cast.it_agent)

    assert client_for(cast.it_agent).get(download_url(filed)).status_code == 404
    response = client_for(cast.marketing_agent).get(download_url(filed))
    assert response.status_code == 200
    assert body(response) == PNG


@pytest.mark.parametrize("pk", [0, 999_999, 2**63 + 1])
def test_an_unknown_attachment_is_404(cast: Cast, filed: Attachment, pk: int) -> None:
    assert client_for(cast.manager).get(reverse("tickets:attachment", args=[pk])).status_code == 404


def test_anonymous_is_sent_to_log_in(filed: Attachment) -> None:
    url = download_url(filed)

    response = Client().get(url)

    assertRedirects(response, f"{reverse('accounts:login')}?next={quote(url)}", fetch_redirect_response=False)


# ---- how it is served ---------------------------------------------------------------------


def test_a_download_is_an_attachment_the_browser_must_not_sniff_or_cache(
    cast: Cast, filed: Attachment
) -> None:
    response = client_for(cast.employee).get(download_url(filed))

    assert response["Content-Disposition"] == 'attachment; filename="screenshot.png"'
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


def test_an_image_may_be_shown_inline_when_asked(cast: Cast, filed: Attachment) -> None:
    response = client_for(cast.employee).get(download_url(filed, inline="1"))

    assert response["Content-Disposition"] == 'inline; filename="screenshot.png"'
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content", "claimed_type"),
    [
        ("page.html", HTML_PAGE, "text/html"),
        ("page.htm", HTML_PAGE, "text/html"),
        ("drawing.svg", SVG_DRAWING, "image/svg+xml"),
        ("data.xml", b"<?xml version='1.0'?><x/>", "application/xml"),
        ("notes.txt", b"<script>alert(1)</script>", "text/html"),
    ],
)
@pytest.mark.parametrize("params", [{}, {"inline": "1"}, {"inline": "true"}])
def test_web_pages_and_drawings_are_only_ever_downloads(
    cast: Cast, name: str, content: bytes, claimed_type: str, params: dict[str, str]
) -> None:
    ticket = file_ticket(cast.employee, files=[upload(name, content, claimed_type)])
    attachment = ticket.attachments.get()

    response = client_for(cast.it_agent).get(download_url(attachment, **params))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert body(response) == content


def test_a_name_with_quotes_and_html_cannot_break_the_header(cast: Cast) -> None:
    ticket = file_ticket(cast.employee, files=[upload('a"b<img src=x>.png')])

    response = client_for(cast.employee).get(download_url(ticket.attachments.get()))

    # The quote inside the name is escaped, so the value still ends where the name does.
    assert response["Content-Disposition"] == 'attachment; filename="a\\"b<img src=x>.png"'


def test_a_non_ascii_name_is_kept(cast: Cast) -> None:
    ticket = file_ticket(cast.employee, files=[upload("capture d’écran.png")])

    response = client_for(cast.employee).get(download_url(ticket.attachments.get()))

    assert (
        response["Content-Disposition"] == "attachment; filename*=utf-8''capture%20d%E2%80%99%C3%A9cran.png"
    )


def test_the_file_is_stored_under_a_random_name(cast: Cast, filed: Attachment) -> None:
    assert "screenshot" not in filed.file.name
    assert filed.file.name.startswith("attachments/")
