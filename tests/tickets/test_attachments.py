"""What may be attached: size, count, type, no programs, nothing empty; every message names the file."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.fixtures import Settings

from tickets.attachments import ALLOWED_EXTENSIONS, download_content_type, validate_uploads
from tickets.forms import AttachmentsField

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def upload(
    name: str, content: bytes = PNG, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def accepted(files: list[SimpleUploadedFile]) -> list[tuple[str, bytes]]:
    """What the upload field hands on to the services, read as storing it reads it: whole."""
    return [(file.name or "", file.read()) for file in AttachmentsField().clean(files)]


def refusal(files: list[SimpleUploadedFile]) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        validate_uploads(files)
    return refused.value.messages


@pytest.mark.parametrize(
    "name",
    [
        "screenshot.png",
        "PHOTO.JPG",
        "draft.docx",
        "numbers.xlsx",
        "error.log",
        "page.html",
        "clip.mp4",
        "a.b.pdf",
    ],
)
def test_ordinary_files_are_accepted(name: str) -> None:
    assert accepted([upload(name)]) == [(name, PNG)]


def test_no_files_at_all_is_fine() -> None:
    assert accepted([]) == []
    assert AttachmentsField().clean(None) == []


def test_a_file_over_the_size_limit_is_refused_with_both_sizes(settings: Settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = 2048

    [message] = refusal([upload("big-screenshot.png", b"x" * 3072)])

    assert re.fullmatch(r"“big-screenshot\.png” is 3\.0\sKB; each file may be at most 2(\.0)?\sKB\.", message)


def test_a_file_exactly_at_the_size_limit_is_accepted(settings: Settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = len(PNG) + 10

    assert accepted([upload("just-fits.png", PNG + b"x" * 10)]) == [("just-fits.png", PNG + b"x" * 10)]


def test_the_default_limit_is_ten_megabytes() -> None:
    [message] = refusal([upload("video.mp4", b"\x00" * (10 * 1024 * 1024 + 1))])

    assert re.fullmatch(r"“video\.mp4” is 10\.0\sMB; each file may be at most 10(\.0)?\sMB\.", message)


def test_a_decimal_size_limit_reads_as_a_short_number(settings: Settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = 10_000_000

    [message] = refusal([upload("video.mp4", b"\x00" * 10_000_001)])

    assert re.search(r"at most \d+(\.\d)?\sMB\.$", message), message


def test_too_many_files_are_refused_with_the_count(settings: Settings) -> None:
    settings.ATTACHMENT_MAX_COUNT = 3

    assert refusal([upload(f"shot-{n}.png") for n in range(4)]) == [
        "Attach at most 3 files at a time; you chose 4."
    ]


def test_the_limit_itself_is_allowed(settings: Settings) -> None:
    settings.ATTACHMENT_MAX_COUNT = 3

    kept = accepted([upload(f"shot-{n}.png") for n in range(3)])

    assert [name for name, _ in kept] == ["shot-0.png", "shot-1.png", "shot-2.png"]


@pytest.mark.parametrize(
    "name", ["setup.exe", "invoice.pdf.exe", "macro.js", "run.sh", "install.msi", "README", "lib.dll", ".png"]
)
def test_a_type_outside_the_allowlist_is_refused(name: str) -> None:
    assert refusal([upload(name, b"harmless text")]) == [
        f"“{name}” can't be attached: only images, PDF, office documents, text, "
        "web pages, e-mails, videos and ZIP archives are accepted."
    ]


def test_the_allowlist_holds_no_program_types() -> None:
    assert not ALLOWED_EXTENSIONS & {
        "exe",
        "msi",
        "dll",
        "bat",
        "cmd",
        "com",
        "scr",
        "js",
        "vbs",
        "ps1",
        "sh",
        "jar",
    }


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),  # Windows PE
        ("photo.png", b"\x7fELF\x02\x01\x01\x00"),  # Linux ELF
        ("notes.txt", b"#!/bin/sh\nrm -rf /\n"),  # script with a shebang
        ("tool.zip", b"\xca\xfe\xba\xbe\x00\x00\x00\x02"),  # macOS universal binary
        ("app.docx", b"\xcf\xfa\xed\xfe\x07\x00\x00\x01"),  # macOS 64-bit Mach-O
    ],
)
def test_a_program_is_refused_whatever_it_is_called(name: str, head: bytes) -> None:
    assert refusal([upload(name, head + b"\x00" * 64)]) == [
        f"“{name}” is a program; programs can't be attached."
    ]


def test_checking_for_programs_leaves_the_file_ready_to_store() -> None:
    file = upload("screenshot.png", PNG + b"rest of the image")
    file.read(3)

    validate_uploads([file])

    assert file.read() == PNG + b"rest of the image"


def test_an_empty_file_is_refused() -> None:
    assert refusal([upload("empty.txt", b"")]) == ["“empty.txt” is empty."]


def test_every_problem_is_reported_at_once_naming_each_file(settings: Settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024
    settings.ATTACHMENT_MAX_COUNT = 4
    files = [
        upload("fine.png"),
        upload("huge.png", PNG + b"x" * 2000),
        upload("virus.exe"),
        upload("blank.pdf", b""),
        upload("sneaky.pdf", b"MZ\x90\x00"),
    ]

    messages = refusal(files)

    assert re.fullmatch(r"“huge\.png” is 2\.0\sKB; each file may be at most 1(\.0)?\sKB\.", messages.pop(1))
    assert messages == [
        "Attach at most 4 files at a time; you chose 5.",
        "“virus.exe” can't be attached: only images, PDF, office documents, text, web pages, "
        "e-mails, videos and ZIP archives are accepted.",
        "“blank.pdf” is empty.",
        "“sneaky.pdf” is a program; programs can't be attached.",
    ]


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("shot.png", "image/png"),
        ("shot.JPEG", "image/jpeg"),
        ("page.html", "application/octet-stream"),
        ("drawing.svg", "application/octet-stream"),
        ("report.pdf", "application/octet-stream"),
    ],
)
def test_only_raster_images_are_handed_back_as_images(name: str, content_type: str) -> None:
    assert download_content_type(name) == content_type
