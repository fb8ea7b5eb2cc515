"""A database that is away answers 503 with Retry-After and the desk's page, wherever the error arose."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path, reverse

from notifications.models import Notification
from tickets.models import Event, Platform, ProblemType, Ticket

from .conftest import Cast

NOT_SAVED = b"What you just sent was not saved"


def _remember(request: HttpRequest) -> HttpResponse:
    request.session["remembered"] = True  # saved by the session middleware, on the response
    return HttpResponse("remembered")


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug, not the database")


def _nonsense(request: HttpRequest) -> HttpResponse:
    raise BadRequest("the client sent nonsense")


urlpatterns = [
    path("remember/", _remember),
    path("broken/", _broken),
    path("nonsense/", _nonsense),
    path("", include("socialit.urls")),
]
handler400 = "socialit.serving.bad_request"
handler500 = "socialit.serving.server_error"


@contextmanager
def database_refusing(sql_start: str = "", error: type[Exception] = OperationalError) -> Iterator[None]:
    """Every statement beginning with `sql_start` fails as if the server had gone away."""

    def refuse(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith(sql_start):
            raise error("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


def signed_in(cast: Cast) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(cast.employee)
    return client


def assert_try_again_page(response: HttpResponse) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert NOT_SAVED in response.content
    assert b'<link rel="stylesheet" href="/static/css/app.css">' in response.content


def test_a_page_asked_for_while_the_database_is_away_answers_503_with_retry_after(cast: Cast) -> None:
    client = signed_in(cast)

    with database_refusing():
        response = client.get(reverse("home"))

    assert_try_again_page(response)


def test_a_dropped_connection_answers_503_too(cast: Cast) -> None:
    client = signed_in(cast)

    with database_refusing(error=InterfaceError):
        response = client.get(reverse("home"))

    assert_try_again_page(response)


def test_a_filing_that_loses_the_database_half_way_answers_503_and_stores_nothing(cast: Cast) -> None:
    client = signed_in(cast)
    data = {
        "platform": Platform.objects.get(slug="twitter-x").pk,
        "problem_type": ProblemType.objects.get(slug="login-access").pk,
        "subject": "Locked out of the support account",
        "description": "The two-factor code never arrives.",
    }

    with database_refusing('INSERT INTO "notifications_notification"'):
        response = client.post(reverse("tickets:new"), data)

    assert_try_again_page(response)
    assert (Ticket.objects.count(), Event.objects.count(), Notification.objects.count()) == (0, 0, 0)


@pytest.mark.urls("tests.test_serving")
def test_the_session_saved_on_the_response_while_the_database_is_away_answers_503(cast: Cast) -> None:
    client = signed_in(cast)

    with database_refusing('UPDATE "django_session"'):
        response = client.get("/remember/")

    assert_try_again_page(response)


@pytest.mark.urls("tests.test_serving")
def test_any_other_error_is_still_the_500_page(cast: Cast) -> None:
    response = signed_in(cast).get("/broken/")

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert b"Something went wrong on our side" in response.content


@pytest.mark.urls("tests.test_serving")
def test_a_bad_request_from_the_client_is_still_a_400(cast: Cast) -> None:
    response = signed_in(cast).get("/nonsense/")

    assert response.status_code == 400
    assert "Retry-After" not in response
