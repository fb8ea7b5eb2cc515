"""What a list or a detail costs in queries does not grow with its rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tickets import services

from ..conftest import Cast
from ..factories import file_ticket
from .conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db

LIST_BUDGET = 8


def queries(client: ApiClient, path: str) -> int:
    client.get(path)  # the token's "last used" write happens once a minute, not on every call
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def tickets_for(user: User, count: int) -> None:
    for _ in range(count):
        file_ticket(user)


@pytest.mark.parametrize("who", ["employee", "it_agent", "manager"])
def test_ticket_list_costs_the_same_for_5_and_50_tickets(cast: Cast, who: str) -> None:
    client = ApiClient(token_for(getattr(cast, who)))
    tickets_for(cast.employee, 5)
    few = queries(client, "/api/v1/tickets/?page_size=100")
    tickets_for(cast.employee, 45)
    many = queries(client, "/api/v1/tickets/?page_size=100")
    assert few == many <= LIST_BUDGET


@pytest.mark.parametrize("who", ["employee", "it_agent"])
def test_ticket_detail_costs_the_same_with_50_comments(cast: Cast, who: str) -> None:
    ticket = file_ticket(cast.employee)
    client = ApiClient(token_for(getattr(cast, who)))
    path = f"/api/v1/tickets/{ticket.pk}/"
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="First look")
    one = queries(client, path)
    for number in range(49):
        author = cast.employee if number % 2 else cast.it_agent
        services.ticket_reply(ticket=ticket, author=author, body=f"Message {number}")
    fifty = queries(client, path)
    assert one == fifty <= LIST_BUDGET
