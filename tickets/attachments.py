"""What may be attached, and how an attachment is handed back.

Files are stored under random names and always served as downloads: a browser never
renders an uploaded HTML page or SVG drawing in the desk's origin.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat

if TYPE_CHECKING:
    from .models import Attachment

ALLOWED_EXTENSIONS = frozenset(
    [
        "png",
        "jpg",
        "jpeg",
        "gif",
        "webp",
        "heic",
        "pdf",
        "txt",
        "log",
        "csv",
        "json",
        "xml",
        "html",
        "htm",
        "svg",
        "eml",
        "msg",
        "dat",  # Outlook's winmail.dat (TNEF): kept for whoever can open it, only ever downloaded
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "odt",
        "ods",
        "odp",
        "rtf",
        "zip",
        "mp4",
        "mov",
    ]
)
# Shown inline (in an <img>); every other type is only ever a download.
IMAGE_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
# Executables are refused whatever they are named.
EXECUTABLE_MAGIC = (
    b"MZ",  # Windows
    b"\x7fELF",  # Linux
    b"#!",  # scripts
    b"\xca\xfe\xba\xbe",  # macOS universal
    b"\xcf\xfa\xed\xfe",  # macOS 64-bit
    b"\xce\xfa\xed\xfe",  # macOS 32-bit
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
)


def extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def size_label(size: int) -> str:
    """10 MB rather than 10.0 MB for round limits."""
    megabytes, rest = divmod(size, 1024 * 1024)
    return f"{megabytes} MB" if megabytes and not rest else filesizeformat(size)


def validate_uploads(files: Sequence[UploadedFile]) -> None:
    """Refuse the whole set with one clear message per problem."""
    errors = []
    limit = settings.ATTACHMENT_MAX_COUNT
    if len(files) > limit:
        errors.append(f"Attach at most {limit} files at a time; you chose {len(files)}.")
    for upload in files:
        name = upload.name or "file"
        if upload.size is not None and upload.size > settings.ATTACHMENT_MAX_BYTES:
            errors.append(
                f"“{name}” is {filesizeformat(upload.size)}; each file may be at most "
                f"{size_label(settings.ATTACHMENT_MAX_BYTES)}."
            )
        elif extension(name) not in ALLOWED_EXTENSIONS:
            errors.append(
                f"“{name}” can't be attached: only images, PDF, office documents, text, "
                "web pages, e-mails, videos and ZIP archives are accepted."
            )
        elif upload.size == 0:
            errors.append(f"“{name}” is empty.")
        elif _looks_executable(upload):
            errors.append(f"“{name}” is a program; programs can't be attached.")
    if errors:
        raise ValidationError(errors)


def _looks_executable(upload: UploadedFile) -> bool:
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    return head.startswith(EXECUTABLE_MAGIC)


def download_content_type(name: str) -> str:
    return IMAGE_TYPES.get(extension(name), "application/octet-stream")


def download_response(attachment: Attachment, *, inline: bool = False) -> FileResponse:
    """The file, for the screens and the API alike: only raster images may show inline;
    everything else, HTML and SVG included, downloads, and no type is sniffed."""
    content_type = download_content_type(attachment.name)
    inline = inline and content_type.startswith("image/")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=attachment.name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
