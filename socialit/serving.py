"""What a process that serves people must have, beyond what management commands need."""

import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

# A restart takes seconds; web processes open a fresh connection on their next request.
RETRY_AFTER_SECONDS = 5


def refuse_development_key() -> None:
    """Anyone who knows the checkout's key could sign sessions and reset links: not in production."""
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for a local desk).")


# Django turns an exception raised anywhere, in a view or in a middleware, into a response
# through these handlers (socialit/urls.py); a middleware's process_exception would see only
# the view's. So they are where a database that is away or busy becomes a 503 asking to try
# again. Services write in one transaction: the failed request left nothing half-saved.


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler. Under WSGI, as the desk is served, it runs while the error is handled."""
    if _database_away(sys.exc_info()[1]):
        return _try_again()
    return defaults.server_error(request)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 handler: Django reports a session it could not save on the response as
    interrupted by the client, even when the database refused the write."""
    if _database_away(exception):
        return _try_again()
    return defaults.bad_request(request, exception)


def _database_away(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def _try_again() -> HttpResponse:
    # Rendered with no request: no user, no session, nothing that would need the database.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
