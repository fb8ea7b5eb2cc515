from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile

from accounts.models import User

from ..attachments import validate_uploads
from ..models import Attachment, Comment, Ticket

log = logging.getLogger(__name__)


@contextmanager
def atomic_with_files() -> Iterator[list[FieldFile]]:
    """A transaction whose attachment files go away with it if it rolls back.

    The rows need their files' names, so the files are written inside the transaction; when
    the block fails, its commit included, they are deleted before the error goes on, and
    neither row nor file is left. Writing them after the commit instead would risk a row
    whose file never arrives (a worker killed in between), which is worse than a stray file.
    A rollback of a caller's enclosing transaction after this block has ended is out of its
    sight; views, tasks and commands call the services outside one.
    """
    written: list[FieldFile] = []
    try:
        with transaction.atomic():
            yield written
    except BaseException:
        for stored in written:
            if not stored.name:  # nothing reached the storage
                continue
            try:
                stored.storage.delete(stored.name)
            except OSError:
                # The failure that rolled back is the one to report; this file stays behind.
                log.exception("Could not delete %s after a rollback", stored.name)
        raise


def attachments_add(
    *,
    ticket: Ticket,
    comment: Comment | None,
    files: Sequence[UploadedFile],
    uploaded_by: User,
    written: list[FieldFile],
) -> list[Attachment]:
    """Store the files and their rows; each file is noted in `written` as soon as it is on disk."""
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
        written.append(attachment.file)
        attachment.save()
        attachments.append(attachment)
    return attachments
