"""Bulk actions on the ticked rows of the desk list: claim, assign, status, priority, transfer."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from tickets import services
from tickets.models import Ticket

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .pages import desk_state, messages_shown

BULK = reverse("desk:bulk")


@pytest.fixture
def mine(cast: Cast) -> list[Ticket]:
    """Three IT tickets the IT agent works."""
    return [file_ticket(cast.employee, problem="login-access") for _ in range(3)]


@pytest.fixture
def theirs(cast: Cast) -> Ticket:
    """A Marketing ticket, out of the IT agent's reach."""
    return file_ticket(cast.employee, problem="metrics-request")


def post(user: Any, data: dict[str, Any]) -> Any:
    return client_for(user).post(BULK, data, follow=True)


def fresh(tickets: list[Ticket]) -> list[Ticket]:
    return [Ticket.objects.get(pk=t.pk) for t in tickets]


def test_claiming_several_tickets(cast: Cast, mine: list[Ticket]) -> None:
    response = post(cast.it_agent, {"tickets": [t.pk for t in mine[:2]], "action": "claim"})

    assertRedirects(response, reverse("desk:list"))
    assert messages_shown(response) == [("success", "Updated 2 tickets.")]
    assert [t.assignee for t in fresh(mine)] == [cast.it_agent, cast.it_agent, None]


def test_assigning_several_tickets(cast: Cast, mine: list[Ticket]) -> None:
    cast.it.members.add(cast.comms_agent)

    response = post(
        cast.it_agent, {"tickets": [t.pk for t in mine], "action": "assign", "assignee": cast.comms_agent.pk}
    )

    assert messages_shown(response) == [("success", "Updated 3 tickets.")]
    assert {t.assignee for t in fresh(mine)} == {cast.comms_agent}


def test_setting_the_status_of_several_tickets(cast: Cast, mine: list[Ticket]) -> None:
    response = post(
        cast.it_agent, {"tickets": [t.pk for t in mine], "action": "status", "status": "waiting_third_party"}
    )

    assert messages_shown(response) == [("success", "Updated 3 tickets.")]
    assert {t.status for t in fresh(mine)} == {Ticket.Status.WAITING_THIRD_PARTY}


def test_setting_the_priority_of_one_ticket(cast: Cast, mine: list[Ticket]) -> None:
    response = post(cast.it_agent, {"tickets": [mine[0].pk], "action": "priority", "priority": "3"})

    assert messages_shown(response) == [("success", "Updated 1 ticket.")]
    assert [t.priority for t in fresh(mine)] == [
        Ticket.Priority.HIGH,
        Ticket.Priority.NORMAL,
        Ticket.Priority.NORMAL,
    ]


def test_moving_several_tickets_to_another_queue(cast: Cast, mine: list[Ticket]) -> None:
    response = post(
        cast.manager,
        {"tickets": [t.pk for t in mine[1:]], "action": "transfer", "queue": cast.communications.pk},
    )

    assert messages_shown(response) == [("success", "Updated 2 tickets.")]
    assert [t.queue for t in fresh(mine)] == [cast.it, cast.communications, cast.communications]


def test_moving_tickets_to_the_queue_they_are_in_is_reported_per_ticket(
    cast: Cast, mine: list[Ticket]
) -> None:
    before = desk_state()

    response = post(
        cast.it_agent, {"tickets": [t.pk for t in mine[:2]], "action": "transfer", "queue": cast.it.pk}
    )

    assert sorted(messages_shown(response)) == sorted(
        ("warning", f"{t.reference}: {t.reference} is already in IT.") for t in mine[:2]
    )
    assert desk_state() == before


def test_an_agent_moves_ticked_tickets_to_another_team_as_on_the_ticket_page(
    cast: Cast, mine: list[Ticket]
) -> None:
    response = post(
        cast.it_agent,
        {"tickets": [t.pk for t in mine[:2]], "action": "transfer", "queue": cast.communications.pk},
    )

    assert messages_shown(response) == [("success", "Updated 2 tickets.")]
    assert [t.queue for t in fresh(mine)] == [cast.communications, cast.communications, cast.it]


def test_a_ticket_outside_the_agents_queues_rejects_the_whole_batch(
    cast: Cast, mine: list[Ticket], theirs: Ticket
) -> None:
    before = desk_state()

    response = post(cast.it_agent, {"tickets": [mine[0].pk, theirs.pk, mine[1].pk], "action": "claim"})

    assert messages_shown(response) == [
        ("danger", "Some ticked tickets are not in your queues; nothing was changed.")
    ]
    assert desk_state() == before


@pytest.mark.parametrize(
    "data",
    [
        {"action": "status", "status": "closed"},
        {"action": "priority", "priority": "1"},
        {"action": "transfer", "queue": "{it}"},
        {"action": "assign", "assignee": "{agent}"},
    ],
)
def test_no_bulk_action_reaches_another_queues_ticket(
    cast: Cast, theirs: Ticket, data: dict[str, str]
) -> None:
    data = {key: value.format(it=cast.it.pk, agent=cast.it_agent.pk) for key, value in data.items()}
    before = desk_state()

    response = post(cast.it_agent, {"tickets": [theirs.pk], **data})

    assert [level for level, _ in messages_shown(response)] == ["danger"]
    assert desk_state() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "claim"}, "Tick at least one ticket first."),
        ({"tickets": ["{pk}"], "action": "status"}, "Choose a value for this action."),
        ({"tickets": ["{pk}"], "action": "priority"}, "Choose a value for this action."),
        ({"tickets": ["{pk}"], "action": "transfer"}, "Choose a value for this action."),
        (
            {"tickets": ["{pk}"], "action": "delete"},
            "Select a valid choice. delete is not one of the available choices.",
        ),
        (
            {"tickets": ["{pk}"], "action": "status", "status": "new"},
            "Select a valid choice. new is not one of the available choices.",
        ),
        (
            {"tickets": ["{pk}"], "action": "priority", "priority": "7"},
            "Select a valid choice. 7 is not one of the available choices.",
        ),
        ({"tickets": ["abc"], "action": "claim"}, "“abc” is not a valid value."),
        (
            {"tickets": ["999999"], "action": "claim"},
            "Some ticked tickets are not in your queues; nothing was changed.",
        ),
    ],
)
def test_an_incomplete_or_forged_bulk_request_says_why_and_changes_nothing(
    cast: Cast, mine: list[Ticket], data: dict[str, Any], message: str
) -> None:
    if "tickets" in data:
        data = {**data, "tickets": [value.format(pk=mine[0].pk) for value in data["tickets"]]}
    before = desk_state()

    response = post(cast.it_agent, data)

    shown_messages = messages_shown(response)
    assert ("danger", message) in shown_messages
    assert {level for level, _ in shown_messages} == {"danger"}
    assert desk_state() == before


def test_tickets_that_cannot_take_the_action_are_reported_and_the_rest_are_done(
    cast: Cast, mine: list[Ticket]
) -> None:
    services.ticket_set_status(ticket=mine[1], status=Ticket.Status.CLOSED, actor=cast.it_agent)
    cast.it.members.add(cast.comms_agent)
    services.ticket_assign(ticket=mine[2], assignee=cast.comms_agent, actor=cast.it_agent)

    response = post(cast.it_agent, {"tickets": [t.pk for t in mine], "action": "claim"})

    success, *warnings = messages_shown(response)
    assert success == ("success", "Updated 1 ticket.")
    assert sorted(warnings) == [
        ("warning", f"{mine[1].reference}: {mine[1].reference} is closed; reopen it first."),
        (
            "warning",
            f"{mine[2].reference}: {mine[2].reference} is already assigned to Cora Comms; "
            "assign it to yourself to take it over.",
        ),
    ]
    assert [t.assignee for t in fresh(mine)] == [cast.it_agent, None, cast.comms_agent]


def test_assigning_to_an_agent_of_another_queue_is_reported(cast: Cast, mine: list[Ticket]) -> None:
    before = desk_state()

    response = post(
        cast.manager, {"tickets": [mine[0].pk], "action": "assign", "assignee": cast.marketing_agent.pk}
    )

    assert messages_shown(response) == [
        ("warning", f"{mine[0].reference}: Mia Marketing doesn't work the IT queue.")
    ]
    assert desk_state() == before


def test_after_a_bulk_action_the_list_keeps_its_filters(cast: Cast, mine: list[Ticket]) -> None:
    response = client_for(cast.it_agent).post(
        BULK, {"tickets": [mine[0].pk], "action": "claim", "back": "status=any&sort=-created&q=SIT-1"}
    )

    assertRedirects(
        response, reverse("desk:list") + "?status=any&sort=-created&q=SIT-1", fetch_redirect_response=False
    )


def test_the_back_address_cannot_leave_the_desk(cast: Cast, mine: list[Ticket]) -> None:
    response = client_for(cast.it_agent).post(
        BULK, {"tickets": [mine[0].pk], "action": "claim", "back": "//evil.example/\r\nSet-Cookie: x=1"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("desk:list") + "?")
    assert "\n" not in response["Location"]
