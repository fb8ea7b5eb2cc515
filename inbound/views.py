from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest

from .selectors import message_for_download, raw_response


@require_GET
@login_required
def message_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The message as it came, for staff of the ticket's queue."""
    if not request.user.is_desk_user:
        raise Http404("No such message.")
    return raw_response(message_for_download(request.user, pk))
