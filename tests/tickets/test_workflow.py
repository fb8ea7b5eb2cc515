"""Status transitions: tickets/workflow.py is the one place that says which status may follow which."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError

from tickets.models import Ticket
from tickets.workflow import TRANSITIONS, allowed_statuses, check_transition

S = Ticket.Status

# Written out by hand, independently of tickets/workflow.py, so a change there has to be deliberate.
ALLOWED = {
    (S.NEW, S.OPEN),
    (S.NEW, S.WAITING_REQUESTER),
    (S.NEW, S.WAITING_THIRD_PARTY),
    (S.NEW, S.RESOLVED),
    (S.NEW, S.CLOSED),
    (S.OPEN, S.WAITING_REQUESTER),
    (S.OPEN, S.WAITING_THIRD_PARTY),
    (S.OPEN, S.RESOLVED),
    (S.OPEN, S.CLOSED),
    (S.WAITING_REQUESTER, S.OPEN),
    (S.WAITING_REQUESTER, S.WAITING_THIRD_PARTY),
    (S.WAITING_REQUESTER, S.RESOLVED),
    (S.WAITING_REQUESTER, S.CLOSED),
    (S.WAITING_THIRD_PARTY, S.OPEN),
    (S.WAITING_THIRD_PARTY, S.WAITING_REQUESTER),
    (S.WAITING_THIRD_PARTY, S.RESOLVED),
    (S.WAITING_THIRD_PARTY, S.CLOSED),
    (S.RESOLVED, S.OPEN),
    (S.RESOLVED, S.CLOSED),
}
ALL_PAIRS = list(itertools.product(S.values, repeat=2))
REFUSED = [(current, new) for current, new in ALL_PAIRS if (current, new) not in ALLOWED and current != new]


def message_of(error: ValidationError) -> str:
    assert len(error.messages) == 1
    return error.messages[0]


def test_every_status_has_an_entry_in_the_table() -> None:
    assert set(TRANSITIONS) == set(S.values)
    for targets in TRANSITIONS.values():
        assert targets <= set(S.values)


def test_the_table_allows_exactly_the_expected_transitions() -> None:
    table = {(current, new) for current, targets in TRANSITIONS.items() for new in targets}
    assert table == ALLOWED


@pytest.mark.parametrize(("current", "new"), sorted(ALLOWED))
def test_allowed_transition_passes(current: str, new: str) -> None:
    check_transition(current, new)
    assert new in allowed_statuses(current)


@pytest.mark.parametrize(("current", "new"), [pair for pair in REFUSED if pair[0] != S.CLOSED])
def test_refused_transition_names_both_statuses(current: str, new: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_transition(current, new)

    assert message_of(refused.value) == (
        f"A ticket that is {S(current).label.lower()} can't become {S(new).label.lower()}."
    )
    assert new not in allowed_statuses(current)


def test_nothing_goes_back_to_new() -> None:
    for current in S.values:
        assert S.NEW not in allowed_statuses(current)


def test_a_resolved_ticket_can_only_be_reopened_or_closed() -> None:
    assert allowed_statuses(S.RESOLVED) == {S.OPEN, S.CLOSED}
    with pytest.raises(ValidationError) as refused:
        check_transition(S.RESOLVED, S.WAITING_REQUESTER)
    assert message_of(refused.value) == "A ticket that is resolved can't become waiting on requester."


@pytest.mark.parametrize("new", [status for status in S.values if status != S.CLOSED])
def test_closed_is_final(new: str) -> None:
    assert allowed_statuses(S.CLOSED) == frozenset()
    with pytest.raises(ValidationError) as refused:
        check_transition(S.CLOSED, new)

    assert message_of(refused.value) == (
        "A closed ticket can't change any more. File a new request that refers to it."
    )


@pytest.mark.parametrize("status", S.values)
def test_same_status_is_refused(status: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_transition(status, status)

    assert message_of(refused.value) == f"The ticket is already {S(status).label.lower()}."


def test_same_status_message_reads_naturally_for_waiting() -> None:
    with pytest.raises(ValidationError) as refused:
        check_transition(S.WAITING_THIRD_PARTY, S.WAITING_THIRD_PARTY)
    assert message_of(refused.value) == "The ticket is already waiting on third party."


def test_a_status_that_does_not_exist_is_refused_with_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        check_transition(S.OPEN, "archived")
