"""The desk's own pages where Django would show a developer's page."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.views.defaults import page_not_found


class NotFoundPageMiddleware:
    """With DEBUG on, answer a 404 with the desk's 404 page, not Django's list of URL patterns.

    `make run` is the first thing people see of the desk, and it runs with DEBUG on: a mistyped
    address should look like the product. Errors (500) keep Django's traceback page and the
    console log. Without DEBUG, Django already renders templates/404.html, so this steps aside.
    It sits after CommonMiddleware, which still turns a 404 into a redirect to the address
    with its trailing slash.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not settings.DEBUG:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # An address that matches no URL never reaches a view (nor process_exception below).
        try:
            resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404 as error:
            return page_not_found(request, error)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
