from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Department
from tickets.events import event_sentence as said
from tickets.events import payload_of
from tickets.models import Event, ProblemType, Queue, RoutingRule, Ticket
from tickets.routing import Facts, route

from ..conftest import Cast
from ..factories import file_ticket


def test_compromised_account_goes_to_it_as_urgent_with_the_rule_in_history(cast: Cast) -> None:
    ticket = file_ticket(cast.employee, problem="compromised-account", platform="twitter-x")

    assert ticket.queue == cast.it
    assert ticket.priority == Ticket.Priority.URGENT
    assert ticket.status == Ticket.Status.NEW
    routed = ticket.events.get(kind=Event.Kind.ROUTED)
    assert said(routed) == "Routed to IT as Urgent by rule “Compromised accounts go to IT, urgent”"
    assert payload_of(routed).rule.label == "Compromised accounts go to IT, urgent"


@pytest.mark.parametrize(
    ("problem", "queue"),
    [
        ("network-block", "it"),
        ("login-access", "it"),
        ("publishing-problem", "it"),
        ("policy-etiquette", "communications"),
        ("content-review", "communications"),
        ("metrics-request", "marketing"),
        ("new-account", "marketing"),
    ],
)
def test_seeded_rules_route_each_problem_type(cast: Cast, problem: str, queue: str) -> None:
    assert file_ticket(cast.employee, problem=problem).queue.slug == queue


def test_unmatched_ticket_goes_to_the_fallback_queue_and_says_so(cast: Cast) -> None:
    ticket = file_ticket(cast.employee, problem="other", subject="Question about the logo")

    assert ticket.queue == Queue.objects.get(is_fallback=True)
    assert "No routing rule matched" in said(ticket.events.get(kind=Event.Kind.ROUTED))


def test_keywords_catch_a_hacked_account_filed_as_other(cast: Cast) -> None:
    ticket = file_ticket(cast.employee, problem="other", subject="I think our page was HACKED")

    assert (ticket.queue, ticket.priority) == (cast.it, Ticket.Priority.URGENT)


def test_keywords_match_whole_words_only(cast: Cast) -> None:
    other = ProblemType.objects.get(slug="other")
    facts = Facts(
        platform_id=1, problem_type_id=other.pk, department_id=None, subject="unhackedness", description=""
    )
    assert route(facts).rule is None


def test_department_condition_and_named_assignee(cast: Cast) -> None:
    rule = RoutingRule.objects.create(
        name="Finance to comms", position=1, queue=cast.communications, assignee=cast.comms_agent
    )
    rule.departments.add(Department.objects.get(name="Finance"))

    finance_ticket = file_ticket(cast.other_employee, problem="login-access")
    sales_ticket = file_ticket(cast.employee, problem="login-access")

    assert (finance_ticket.queue, finance_ticket.assignee) == (cast.communications, cast.comms_agent)
    assert finance_ticket.events.filter(kind=Event.Kind.ASSIGNED).exists()
    assert sales_ticket.queue == cast.it


def test_round_robin_takes_turns_among_the_queue_agents(cast: Cast) -> None:
    second = cast.marketing_agent
    cast.it.members.add(second)
    rule = RoutingRule.objects.get(name="Log-in problems go to IT")
    rule.round_robin = True
    rule.save()

    assignees = [file_ticket(cast.employee, problem="login-access").assignee for _ in range(4)]

    first, other = sorted([cast.it_agent, second], key=lambda user: user.pk)
    assert assignees == [first, other, first, other]


def test_a_refused_attachment_stores_nothing(cast: Cast) -> None:
    program = SimpleUploadedFile("setup.exe", b"MZ\x90\x00rest", content_type="application/octet-stream")

    with pytest.raises(ValidationError):
        file_ticket(cast.employee, files=[program])

    assert not Ticket.objects.exists()
