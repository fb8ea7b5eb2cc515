"""Links, merges, followers and colleagues on the ticket pages, tried from outside."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tickets import services
from tickets.models import Ticket, TicketLink
from tickets.services import linking, watching

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .pages import converse, desk_state, messages_shown, query_count, shown


@pytest.fixture
def pair(cast: Cast) -> tuple[Ticket, Ticket]:
    return (
        file_ticket(cast.employee, subject="Can't log in to @acme"),
        file_ticket(cast.other_employee, subject="@acme login broken"),
    )


def desk_posts(pair: tuple[Ticket, Ticket]) -> dict[str, tuple[str, dict[str, Any]]]:
    first, second = pair
    return {
        "link": (
            reverse("desk:link", args=[first.pk]),
            {"link-relation": "related", "link-other": second.reference},
        ),
        "merge": (reverse("desk:merge", args=[second.pk]), {"merge-target": first.reference}),
        "follow": (reverse("desk:follow", args=[first.pk]), {}),
        "resolve_family": (
            reverse("desk:resolve_family", args=[first.pk]),
            {"family-body": "Fixed.", "family-children": "on"},
        ),
    }


DESK_ACTIONS = ["link", "merge", "follow", "resolve_family"]


@pytest.mark.parametrize("action", DESK_ACTIONS)
def test_desk_actions_refuse_anonymous_employees_and_other_queues(
    cast: Cast, pair: tuple[Ticket, Ticket], action: str
) -> None:
    url, data = desk_posts(pair)[action]
    before = desk_state()
    assert Client().post(url, data).status_code == 302  # to sign in
    assert client_for(cast.employee).post(url, data).status_code == 403
    assert client_for(cast.marketing_agent).post(url, data).status_code == 404
    assert desk_state() == before
    assert not TicketLink.objects.exists()


@pytest.mark.parametrize("action", DESK_ACTIONS)
def test_desk_actions_answer_get_with_405_and_change_nothing(
    cast: Cast, pair: tuple[Ticket, Ticket], action: str
) -> None:
    url, _ = desk_posts(pair)[action]
    before = desk_state()
    assert client_for(cast.it_agent).get(url).status_code == 405
    assert desk_state() == before


@pytest.mark.parametrize("action", DESK_ACTIONS)
def test_desk_actions_need_the_csrf_token(cast: Cast, pair: tuple[Ticket, Ticket], action: str) -> None:
    url, data = desk_posts(pair)[action]
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.it_agent)
    before = desk_state()
    response = client.post(url, data)
    assert response.status_code == 403 and b"CSRF" in response.content
    assert desk_state() == before


def test_forged_ids_are_404(cast: Cast, pair: tuple[Ticket, Ticket]) -> None:
    first, second = pair
    link = linking.ticket_link(ticket=first, other=second, relation="related", actor=cast.it_agent)
    other = file_ticket(cast.employee)
    agent = client_for(cast.it_agent)
    assert (
        agent.post(
            reverse("desk:link", args=[999999]), {"link-relation": "related", "link-other": "SIT-1"}
        ).status_code
        == 404
    )
    # A link that isn't on the ticket in the address.
    assert agent.post(reverse("desk:unlink", args=[other.pk, link.pk])).status_code == 404
    assert (
        client_for(cast.marketing_agent).post(reverse("desk:unlink", args=[first.pk, link.pk])).status_code
        == 404
    )
    assert TicketLink.objects.count() == 1


def test_merging_into_a_ticket_the_agent_cannot_see_reads_as_no_such_ticket(
    cast: Cast, pair: tuple[Ticket, Ticket]
) -> None:
    first, _ = pair
    hidden = file_ticket(cast.other_employee, problem="metrics-request")
    before = desk_state()
    response = client_for(cast.it_agent).post(
        reverse("desk:merge", args=[first.pk]), {"merge-target": hidden.reference}, follow=True
    )
    assert ("danger", f"No ticket {hidden.reference} in your queues; check the reference.") in messages_shown(
        response
    )
    assert desk_state() == before


def test_a_bad_reference_says_what_to_write(cast: Cast, pair: tuple[Ticket, Ticket]) -> None:
    first, _ = pair
    response = client_for(cast.it_agent).post(
        reverse("desk:link", args=[first.pk]),
        {"link-relation": "related", "link-other": "the other one"},
        follow=True,
    )
    assert ("danger", "Give the other ticket's reference, such as SIT-12.") in messages_shown(response)


def test_merge_from_the_page_leads_to_the_target_and_the_old_address_follows(
    cast: Cast, pair: tuple[Ticket, Ticket]
) -> None:
    target, source = pair
    agent = client_for(cast.it_agent)
    response = agent.post(reverse("desk:merge", args=[source.pk]), {"merge-target": target.reference})
    assert response.url == reverse("desk:ticket", args=[target.pk])
    assert agent.get(reverse("desk:ticket", args=[source.pk])).url == reverse("desk:ticket", args=[target.pk])
    # The duplicate's requester now follows the target from the portal.
    requester = client_for(cast.other_employee)
    assert requester.get(reverse("tickets:detail", args=[source.pk])).url == reverse(
        "tickets:detail", args=[target.pk]
    )
    page = shown(requester.get(reverse("tickets:detail", args=[target.pk])))
    assert "Merged from " + source.reference in page


def test_the_desk_page_shows_links_and_people_in_constant_queries(
    cast: Cast, pair: tuple[Ticket, Ticket]
) -> None:
    first, second = pair
    linking.ticket_link(ticket=first, other=second, relation="related", actor=cast.it_agent)
    watching.ticket_follow(ticket=first, actor=cast.it_agent)
    watching.ticket_add_colleague(ticket=first, actor=cast.employee, colleague=cast.other_employee)
    converse(first, 3, staff=[cast.it_agent], with_files=False)
    client = client_for(cast.manager)
    url = reverse("desk:ticket", args=[first.pk])
    client.get(url)
    few = query_count(client, url)

    for n in range(8):
        other = file_ticket(
            cast.other_employee if n % 2 else cast.employee,
            problem="metrics-request" if n % 3 == 0 else "login-access",
        )
        linking.ticket_link(
            ticket=first, other=other, relation="child" if n % 2 else "parent", actor=cast.manager
        )
    for agent in (cast.manager, cast.admin):
        watching.ticket_follow(ticket=first, actor=agent)
    extra = [
        User.objects.create_user(email=f"colleague{n}@example.com", password="x", full_name=f"Colleague {n}")
        for n in range(4)
    ]
    for person in extra:
        watching.ticket_add_colleague(ticket=first, actor=cast.employee, colleague=person)
    response = client.get(url)
    many = query_count(client, url)

    assert many == few
    assert len(response.context["links"]) == 9
    assert len(response.context["followers"]) == 3
    page = shown(response)
    assert "Related to" in page and "Parent of" in page and "Child of" in page


def test_an_agent_sees_the_number_but_not_the_subject_of_a_link_out_of_their_queues(
    cast: Cast, pair: tuple[Ticket, Ticket]
) -> None:
    first, _ = pair
    hidden = file_ticket(cast.other_employee, problem="metrics-request", subject="Secret marketing numbers")
    linking.ticket_link(ticket=first, other=hidden, relation="related", actor=cast.manager)
    page = shown(client_for(cast.it_agent).get(reverse("desk:ticket", args=[first.pk])))
    assert hidden.reference in page and "Secret marketing numbers" not in page


# ---- the portal: colleagues -----------------------------------------------------------


def test_a_requester_adds_a_colleague_who_then_sees_and_replies(
    cast: Cast, pair: tuple[Ticket, Ticket]
) -> None:
    first, _ = pair
    requester = client_for(cast.employee)
    response = requester.post(
        reverse("tickets:colleague_add", args=[first.pk]), {"colleague-email": cast.other_employee.email}
    )
    assert response.status_code == 302
    colleague = client_for(cast.other_employee)
    assert first.subject in shown(colleague.get(reverse("tickets:list")))
    assert colleague.get(reverse("tickets:detail", args=[first.pk])).status_code == 200
    colleague.post(reverse("tickets:reply", args=[first.pk]), {"body": "Same here."})
    assert first.comments.filter(author=cast.other_employee).exists()
    # A colleague isn't the requester: resolving and adding others stay with them.
    assert colleague.post(reverse("tickets:resolve", args=[first.pk])).status_code == 403
    assert (
        colleague.post(
            reverse("tickets:colleague_add", args=[first.pk]), {"colleague-email": cast.employee.email}
        ).status_code
        == 404
    )


def test_an_unknown_colleague_address_says_what_to_check(cast: Cast, pair: tuple[Ticket, Ticket]) -> None:
    first, _ = pair
    response = client_for(cast.employee).post(
        reverse("tickets:colleague_add", args=[first.pk]),
        {"colleague-email": "nobody@example.com"},
        follow=True,
    )
    assert any("No colleague signs in as nobody@example.com" in text for _, text in messages_shown(response))
    assert not first.participants.exists()


def test_colleague_views_refuse_outsiders(cast: Cast, pair: tuple[Ticket, Ticket]) -> None:
    first, _ = pair
    add = reverse("tickets:colleague_add", args=[first.pk])
    data = {"colleague-email": cast.other_employee.email}
    assert Client().post(add, data).status_code == 302
    assert client_for(cast.other_employee).post(add, data).status_code == 404
    assert client_for(cast.it_agent).post(add, data).status_code == 404
    assert (
        client_for(cast.employee).post(reverse("tickets:colleague_add", args=[999999]), data).status_code
        == 404
    )
    assert client_for(cast.employee).get(add).status_code == 405
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(cast.employee)
    assert csrf.post(add, data).status_code == 403
    watching.ticket_add_colleague(ticket=first, actor=cast.employee, colleague=cast.other_employee)
    remove = reverse("tickets:colleague_remove", args=[first.pk, cast.other_employee.pk])
    stranger = User.objects.create_user(email="sam@example.com", password="x", full_name="Sam")
    assert client_for(stranger).post(remove).status_code == 404
    assert (
        client_for(cast.employee)
        .post(reverse("tickets:colleague_remove", args=[first.pk, stranger.pk]))
        .status_code
        == 404
    )
    assert first.participants.count() == 1
    services.ticket_reply(ticket=first, author=cast.it_agent, body="ok")
