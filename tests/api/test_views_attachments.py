"""Files through the API: the screens' upload rules and service, their download check and headers."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.fixtures import Settings

from tickets.models import Attachment, Comment, Ticket

from ..conftest import Cast, platform, problem
from ..factories import file_ticket
from .conftest import ApiClient, api_as

pytestmark = pytest.mark.django_db

TICKETS = "/api/v1/tickets/"


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(name: str, content: bytes = b"some text\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def filing(**extra: object) -> dict[str, object]:
    return {
        "platform": platform("blog").pk,
        "problem_type": problem("publishing-problem").pk,
        "subject": "The blog shows a PHP error",
        "description": "Every page of the blog since this morning.",
        **extra,
    }


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_filing_with_files_keeps_them_and_lists_them(cast: Cast) -> None:
    response = api_as(cast.employee).upload(TICKETS, filing(files=[upload("error.log"), upload("shot.png")]))
    assert response.status_code == 201, response.json()
    names = [row["name"] for row in response.json()["attachments"]]
    assert names == ["error.log", "shot.png"]
    ticket = Ticket.objects.get()
    assert Attachment.objects.filter(ticket=ticket, comment__isnull=True).count() == 2
    detail = api_as(cast.it_agent).get(f"{TICKETS}{ticket.pk}/").json()
    assert [row["download"] for row in detail["attachments"]] == [
        f"/api/v1/attachments/{pk}/" for pk in Attachment.objects.order_by("pk").values_list("pk", flat=True)
    ]


def test_download_is_always_an_attachment_that_is_not_sniffed(cast: Cast) -> None:
    page = b"<html><script>alert(1)</script></html>"
    files = [upload("page.html", page), upload("logo.svg", b"<svg onload='alert(1)'/>")]
    api_as(cast.employee).upload(TICKETS, filing(files=files))
    client = api_as(cast.employee)
    for attachment in Attachment.objects.order_by("pk"):
        response = client.get(f"/api/v1/attachments/{attachment.pk}/", {"inline": "1"})
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/octet-stream"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert "no-store" in response.headers["Cache-Control"]
    first = Attachment.objects.order_by("pk").first()
    assert first is not None
    assert b"".join(client.get(f"/api/v1/attachments/{first.pk}/").streaming_content) == page


@pytest.mark.parametrize(
    ("files", "says"),
    [
        ([upload("setup.exe")], "can't be attached"),
        ([upload("notes.txt", b"MZ\x90\x00 binary")], "is a program"),
        ([upload("empty.txt", b"")], "is empty"),
        ([upload(f"file{n}.txt") for n in range(6)], "at most 5 files"),
    ],
)
def test_a_refused_upload_says_why_and_stores_nothing(
    cast: Cast, media_root: Path, files: list[SimpleUploadedFile], says: str
) -> None:
    response = api_as(cast.employee).upload(TICKETS, filing(files=files))
    assert response.status_code == 400
    assert says in " ".join(response.json()["error"]["fields"]["files"])
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_an_oversized_upload_is_refused(cast: Cast, settings: Settings, media_root: Path) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    ticket = file_ticket(cast.employee)
    response = api_as(cast.employee).upload(
        f"{TICKETS}{ticket.pk}/comments/",
        {"body": "Here is the log", "files": [upload("big.log", b"x" * (1024 * 1024 + 1))]},
    )
    assert response.status_code == 400
    assert "at most 1 MB" in response.json()["error"]["fields"]["files"][0]
    assert not Comment.objects.filter(ticket=ticket).exists()
    assert stored_files(media_root) == []


def test_a_reply_with_files_goes_through_the_reply_service(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    response = api_as(cast.employee).upload(
        f"{TICKETS}{ticket.pk}/comments/", {"body": "The log", "files": [upload("error.log")]}
    )
    assert response.status_code == 201, response.json()
    assert [row["name"] for row in response.json()["attachments"]] == ["error.log"]
    comment = Comment.objects.get(ticket=ticket)
    assert comment.attachments.get().uploaded_by == cast.employee


def test_files_of_an_internal_note_are_for_staff_only(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    api_as(cast.it_agent).upload(
        f"{TICKETS}{ticket.pk}/comments/",
        {"body": "Server log, keep it internal", "internal": "true", "files": [upload("server.log")]},
    )
    attachment = Attachment.objects.get()
    assert attachment.is_internal
    url = f"/api/v1/attachments/{attachment.pk}/"
    assert api_as(cast.it_agent).get(url).status_code == 200
    assert api_as(cast.employee).get(url).status_code == 404
    seen = api_as(cast.employee).get(f"{TICKETS}{ticket.pk}/").json()
    assert seen["comments"] == [] and seen["attachments"] == []


@pytest.mark.parametrize("who", ["other_employee", "marketing_agent"])
def test_outsiders_get_404_for_a_file(cast: Cast, who: str) -> None:
    api_as(cast.employee).upload(TICKETS, filing(files=[upload("error.log")]))
    attachment = Attachment.objects.get()
    response = api_as(getattr(cast, who)).get(f"/api/v1/attachments/{attachment.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_file_needs_a_caller_and_a_real_id(cast: Cast) -> None:
    api_as(cast.employee).upload(TICKETS, filing(files=[upload("error.log")]))
    attachment = Attachment.objects.get()
    assert ApiClient().get(f"/api/v1/attachments/{attachment.pk}/").status_code == 401
    assert api_as(cast.manager).get("/api/v1/attachments/999999/").status_code == 404


def test_a_read_only_token_cannot_upload(cast: Cast) -> None:
    response = api_as(cast.employee, scope="read").upload(TICKETS, filing(files=[upload("error.log")]))
    assert response.status_code == 403
    assert not Attachment.objects.exists()
