from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse

from accounts.http import AuthenticatedHttpRequest

from .. import selectors
from ..attachments import download_response


@login_required
def attachment_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    attachment = selectors.attachment_for(request.user, pk)
    return download_response(attachment, inline=request.GET.get("inline") == "1")
