"""The Content-Security-Policy middleware: django-csp's, with a nonce in every response's policy."""

from __future__ import annotations

from csp.middleware import CSPMiddleware
from django.http import HttpRequest


class NonceEveryResponseCSPMiddleware(CSPMiddleware):
    """django-csp names a nonce in the header only when a template read it.

    The admin and the 500 page read none, so their policy would differ from the others' by chance;
    drawing it up front gives every page one policy shape, with a fresh nonce each time.
    """

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        str(request.csp_nonce)  # type: ignore[attr-defined]  # set by django-csp
