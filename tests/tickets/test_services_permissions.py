"""Every service checks who is acting, whoever calls it: a view, the admin, a task or the API.

Each service is called directly with someone the rules don't let act, and must refuse
without changing anything: no ticket field, comment, time entry, history event or email.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import User
from notifications.models import Notification
from tickets import services
from tickets.models import Ticket

from ..conftest import Cast, client_for, person
from ..factories import file_ticket
from .pages import desk_state, messages_shown

S = Ticket.Status
P = Ticket.Priority

# Every service that acts on an existing ticket, called the way any caller would.
STAFF_SERVICES: dict[str, Callable[[Ticket, User, Cast], object]] = {
    "assign": lambda t, actor, cast: services.ticket_assign(ticket=t, assignee=cast.manager, actor=actor),
    "unassign": lambda t, actor, cast: services.ticket_assign(ticket=t, assignee=None, actor=actor),
    "claim": lambda t, actor, cast: services.ticket_claim(ticket=t, actor=actor),
    "transfer": lambda t, actor, cast: services.ticket_transfer(ticket=t, queue=cast.marketing, actor=actor),
    "status": lambda t, actor, cast: services.ticket_set_status(
        ticket=t, status=S.WAITING_THIRD_PARTY, actor=actor
    ),
    "priority": lambda t, actor, cast: services.ticket_set_priority(ticket=t, priority=P.URGENT, actor=actor),
    "log time": lambda t, actor, cast: services.ticket_log_time(ticket=t, agent=actor, minutes=30),
    "internal note": lambda t, actor, cast: services.ticket_reply(
        ticket=t, author=actor, body="Checked the logs", internal=True
    ),
}
REQUESTER_SERVICES: dict[str, Callable[[Ticket, User, Cast], object]] = {
    "resolve": lambda t, actor, cast: services.ticket_resolve(ticket=t, actor=actor),
    "reopen": lambda t, actor, cast: services.ticket_reopen(ticket=t, actor=actor),
}
EITHER_SERVICES: dict[str, Callable[[Ticket, User, Cast], object]] = {
    "reply": lambda t, actor, cast: services.ticket_reply(ticket=t, author=actor, body="Any news?"),
}


def outsider(cast: Cast, who: str) -> User:
    """Someone who must not act on the employee's IT ticket."""
    if who == "inactive agent":
        cast.it_agent.is_active = False
        cast.it_agent.save(update_fields=["is_active"])
        return cast.it_agent
    if who == "agent removed from the queue":
        cast.it.members.remove(cast.it_agent)
        return cast.it_agent
    return {"other employee": cast.other_employee, "Marketing agent": cast.marketing_agent}[who]


def everything() -> tuple[object, ...]:
    return (*desk_state(), Notification.objects.count())


@pytest.fixture
def it_ticket(cast: Cast) -> Ticket:
    """The employee's open IT ticket, claimed by the IT agent."""
    ticket = file_ticket(cast.employee, problem="login-access")
    assert ticket.queue == cast.it
    return services.ticket_claim(ticket=ticket, actor=cast.it_agent)


OUTSIDERS = ["other employee", "Marketing agent", "inactive agent", "agent removed from the queue"]


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("service", list(STAFF_SERVICES))
def test_only_staff_of_the_queue_work_a_ticket(cast: Cast, it_ticket: Ticket, service: str, who: str) -> None:
    actor = outsider(cast, who)
    before = everything()

    with pytest.raises(PermissionDenied):
        STAFF_SERVICES[service](it_ticket, actor, cast)

    assert everything() == before


# A requester's internal note is refused as a reply they can't write (test_services_conversation).
@pytest.mark.parametrize("service", [name for name in STAFF_SERVICES if name != "internal note"])
def test_the_requester_does_not_work_their_own_ticket(cast: Cast, it_ticket: Ticket, service: str) -> None:
    before = everything()

    with pytest.raises(PermissionDenied):
        STAFF_SERVICES[service](it_ticket, cast.employee, cast)

    assert everything() == before


@pytest.mark.parametrize("who", [*OUTSIDERS, "IT agent", "manager"])
@pytest.mark.parametrize("service", list(REQUESTER_SERVICES))
def test_only_the_requester_resolves_and_reopens(
    cast: Cast, it_ticket: Ticket, service: str, who: str
) -> None:
    """Staff resolve by setting the status; these two are the requester's own words."""
    if service == "reopen":
        services.ticket_set_status(ticket=it_ticket, status=S.RESOLVED, actor=cast.it_agent)
    actor = {"IT agent": cast.it_agent, "manager": cast.manager}.get(who) or outsider(cast, who)
    before = everything()

    with pytest.raises(PermissionDenied) as refused:
        REQUESTER_SERVICES[service](it_ticket, actor, cast)

    assert everything() == before
    if actor.is_active:
        assert str(refused.value) == f"Only the requester of {it_ticket.reference} can do that."


@pytest.mark.parametrize("who", OUTSIDERS)
def test_only_the_requester_and_the_queue_reply(cast: Cast, it_ticket: Ticket, who: str) -> None:
    actor = outsider(cast, who)
    before = everything()

    with pytest.raises(PermissionDenied):
        EITHER_SERVICES["reply"](it_ticket, actor, cast)

    assert everything() == before


def test_a_deactivated_requester_can_do_nothing(cast: Cast, it_ticket: Ticket) -> None:
    services.ticket_set_status(ticket=it_ticket, status=S.RESOLVED, actor=cast.it_agent)
    cast.employee.is_active = False
    cast.employee.save(update_fields=["is_active"])
    before = everything()

    for act in (*REQUESTER_SERVICES.values(), *EITHER_SERVICES.values()):
        with pytest.raises(PermissionDenied) as refused:
            act(it_ticket, cast.employee, cast)
        assert str(refused.value) == f"{cast.employee}'s account is deactivated."
    with pytest.raises(PermissionDenied):
        file_ticket(cast.employee)

    assert everything() == before


def test_the_refusals_say_why(cast: Cast, it_ticket: Ticket) -> None:
    reference = it_ticket.reference

    with pytest.raises(PermissionDenied) as marketing:
        services.ticket_set_priority(ticket=it_ticket, priority=P.HIGH, actor=cast.marketing_agent)
    with pytest.raises(PermissionDenied) as stranger:
        services.ticket_reply(ticket=it_ticket, author=cast.other_employee, body="Me too")
    cast.it_agent.is_active = False
    cast.it_agent.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied) as inactive:
        services.ticket_log_time(ticket=it_ticket, agent=cast.it_agent, minutes=5)

    assert (
        str(marketing.value)
        == f"{cast.marketing_agent} doesn't work the IT queue, so can't change {reference}."
    )
    assert str(stranger.value) == f"Only the requester and the IT team can act on {reference}."
    assert str(inactive.value) == f"{cast.it_agent}'s account is deactivated."


def test_the_check_follows_the_ticket_as_it_is_now_not_as_the_caller_saw_it(
    cast: Cast, it_ticket: Ticket
) -> None:
    """A copy read before a transfer must not let the old queue's agent keep working the ticket."""
    seen_by_it_agent = Ticket.objects.get(pk=it_ticket.pk)
    services.ticket_transfer(ticket=it_ticket, queue=cast.marketing, actor=cast.it_agent)
    before = everything()

    with pytest.raises(PermissionDenied):
        services.ticket_set_priority(ticket=seen_by_it_agent, priority=P.URGENT, actor=cast.it_agent)

    assert everything() == before


# ---- who may, still may -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["it_agent", "manager", "admin"])
@pytest.mark.parametrize("service", list(STAFF_SERVICES))
def test_staff_of_the_queue_and_managers_work_the_ticket(
    cast: Cast, it_ticket: Ticket, service: str, who: str
) -> None:
    if service == "claim":
        services.ticket_assign(ticket=it_ticket, assignee=None, actor=cast.it_agent)
    before = everything()

    STAFF_SERVICES[service](it_ticket, getattr(cast, who), cast)

    assert everything() != before


def test_an_agent_of_several_queues_works_each_of_them(cast: Cast) -> None:
    cast.marketing.members.add(cast.it_agent)
    marketing_ticket = file_ticket(cast.employee, problem="metrics-request")
    assert marketing_ticket.queue == cast.marketing

    services.ticket_set_priority(ticket=marketing_ticket, priority=P.HIGH, actor=cast.it_agent)

    assert Ticket.objects.get(pk=marketing_ticket.pk).priority == P.HIGH


def test_an_agent_may_send_a_ticket_to_any_queue(cast: Cast, it_ticket: Ticket) -> None:
    services.ticket_transfer(ticket=it_ticket, queue=cast.communications, actor=cast.it_agent)

    moved = Ticket.objects.get(pk=it_ticket.pk)
    assert moved.queue == cast.communications
    with pytest.raises(PermissionDenied):  # ...and then it is the Communications team's
        services.ticket_transfer(ticket=moved, queue=cast.it, actor=cast.it_agent)


# ---- bulk actions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "values"),
    [
        ("claim", {}),
        ("assign", {"assignee": "it_agent"}),
        ("status", {"status": S.WAITING_THIRD_PARTY}),
        ("priority", {"priority": P.URGENT}),
        ("transfer", {"queue": "communications"}),
    ],
)
def test_bulk_actions_go_through_the_same_checks(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, action: str, values: dict[str, Any]
) -> None:
    """Rights that change between the list and the click: the service still refuses the ticket."""
    ours = file_ticket(cast.employee, problem="login-access")
    theirs = file_ticket(cast.employee, problem="metrics-request")
    assert (ours.queue, theirs.queue) == (cast.it, cast.marketing)
    # The form's list of the agent's tickets as it stood before the Marketing ticket left their reach.
    monkeypatch.setattr("tickets.views.desk.selectors.desk_tickets", lambda user: Ticket.objects.all())
    data: dict[str, Any] = {"tickets": [ours.pk, theirs.pk], "action": action}
    if "assignee" in values:
        data["assignee"] = cast.it_agent.pk
    if "queue" in values:
        data["queue"] = cast.communications.pk
    data.update({key: value for key, value in values.items() if key in ("status", "priority")})
    untouched = Ticket.objects.filter(pk=theirs.pk).values().get()
    events = theirs.events.count()

    response = client_for(cast.it_agent).post(reverse("desk:bulk"), data, follow=True)

    assert messages_shown(response) == [
        ("success", "Updated 1 ticket."),
        (
            "warning",
            f"{theirs.reference}: {cast.it_agent} doesn't work the Marketing queue, so can't change {theirs.reference}.",
        ),
    ]
    assert Ticket.objects.filter(pk=theirs.pk).values().get() == untouched
    assert theirs.events.count() == events
    assert Ticket.objects.get(pk=ours.pk).updated_at > ours.updated_at


def test_a_new_agent_of_the_queue_works_it_at_once(cast: Cast, it_ticket: Ticket) -> None:
    newcomer = person("nina.new@example.com", User.Role.AGENT, "Engineering")
    with pytest.raises(PermissionDenied):
        services.ticket_set_priority(ticket=it_ticket, priority=P.HIGH, actor=newcomer)

    cast.it.members.add(newcomer)
    services.ticket_set_priority(ticket=it_ticket, priority=P.HIGH, actor=newcomer)

    assert Ticket.objects.get(pk=it_ticket.pk).priority == P.HIGH
