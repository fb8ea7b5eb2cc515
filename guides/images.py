"""What a guide may show as a picture: PNG, JPEG, GIF or WebP, told by the file's own bytes.

The name and the browser's declared type are the uploader's word; the first bytes are the
file's. SVG is refused whatever it is called: a drawing can carry script.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from tickets.attachments import size_label

IMAGE_MAX_BYTES = getattr(settings, "GUIDE_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
ACCEPTED = "PNG, JPEG, GIF or WebP"
ACCEPT_ATTRIBUTE = "image/png,image/jpeg,image/gif,image/webp"


def sniffed_type(head: bytes) -> str | None:
    """The image type the first bytes announce, or None for anything else."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def image_check(upload: UploadedFile) -> str:
    """The upload's real content type, or a ValidationError that says what to do instead."""
    name = upload.name or "the file"
    if upload.size is None or upload.size == 0:
        raise ValidationError(f"“{name}” is empty.")
    if upload.size > IMAGE_MAX_BYTES:
        raise ValidationError(
            f"“{name}” is {filesizeformat(upload.size)}; a guide's picture may be at most "
            f"{size_label(IMAGE_MAX_BYTES)}. Save it smaller or as JPEG."
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniffed_type(head)
    if content_type is None:
        raise ValidationError(
            f"“{name}” isn't a {ACCEPTED} picture. Drawings (SVG) and other files can't be shown "
            "in a guide: export a PNG instead."
        )
    return content_type
