"""Attachment downloads: the screens' check (tickets.selectors.attachment_for) and their headers."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.http import signed_in_user
from tickets.attachments import download_response
from tickets.selectors import attachment_for

FILE = OpenApiResponse(OpenApiTypes.BINARY, description="The file, as a download (never shown inline).")


class AttachmentDownload(APIView):
    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The answer is the file whatever Accept says; only refusals are JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        responses={(200, "application/octet-stream"): FILE, (200, "image/*"): FILE},
        summary="Download an attachment of a ticket you may read (internal notes' files: staff only)",
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        return download_response(attachment_for(signed_in_user(request), pk))
