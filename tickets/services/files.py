from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile

from accounts.models import User

from ..attachments import validate_uploads
from ..models import Attachment, Comment, Ticket


def attachments_add(
    *,
    ticket: Ticket,
    comment: Comment | None,
    files: Sequence[UploadedFile],
    uploaded_by: User,
) -> list[Attachment]:
    validate_uploads(files)
    attachments = []
    for upload in files:
        attachment = Attachment(
            ticket=ticket,
            comment=comment,
            name=(upload.name or "file")[-200:],
            size=upload.size or 0,
            content_type=(upload.content_type or "application/octet-stream")[:100],
            uploaded_by=uploaded_by,
        )
        attachment.file.save(attachment.name, upload, save=False)
        attachment.save()
        attachments.append(attachment)
    return attachments
