"""tickets/workflow.py is the one place that says what may happen to a ticket."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tickets.models import Ticket
from tickets.workflow import (
    TRANSITIONS,
    allowed_statuses,
    check_open,
    check_reopen,
    check_reply,
    check_transition,
    close_resolved_before,
    is_first_response,
    may_reopen,
    reopen_until,
    status_after_assign,
    status_after_reply,
)

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


# The rest of what may happen to a ticket: the reopen window, replies, and work on finished tickets.

RESOLVED_AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
WINDOW = timedelta(days=settings.TICKET_REOPEN_DAYS)
OPEN_STATUSES = sorted(Ticket.OPEN_STATUSES)
FINISHED = [S.RESOLVED, S.CLOSED]
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))


@given(resolved_at=moments, elapsed=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)))
def test_a_ticket_may_be_reopened_exactly_until_the_window_ends(
    resolved_at: datetime, elapsed: timedelta
) -> None:
    now = resolved_at + elapsed

    assert reopen_until(resolved_at) == resolved_at + WINDOW
    assert may_reopen(resolved_at, now=now) == (elapsed <= WINDOW)


def test_a_ticket_without_a_resolution_time_stays_reopenable() -> None:
    assert reopen_until(None) is None
    assert may_reopen(None, now=RESOLVED_AT + 10 * WINDOW)


@given(now=moments)
def test_what_closes_automatically_is_what_may_no_longer_be_reopened(now: datetime) -> None:
    cutoff = close_resolved_before(now)

    assert not may_reopen(cutoff - timedelta(microseconds=1), now=now)
    assert may_reopen(cutoff, now=now)


def test_the_requester_reopens_a_recently_resolved_request() -> None:
    check_reopen(S.RESOLVED, resolved_at=RESOLVED_AT, now=RESOLVED_AT + WINDOW)


def test_reopening_after_the_window_says_to_file_a_new_request() -> None:
    with pytest.raises(ValidationError) as refused:
        check_reopen(S.RESOLVED, resolved_at=RESOLVED_AT, now=RESOLVED_AT + WINDOW + timedelta(seconds=1))

    assert message_of(refused.value) == (
        f"This request was resolved more than {settings.TICKET_REOPEN_DAYS} days ago; please file a new request."
    )


@pytest.mark.parametrize("status", [status for status in S.values if status != S.RESOLVED])
def test_only_a_resolved_request_can_be_reopened(status: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_reopen(status, resolved_at=RESOLVED_AT, now=RESOLVED_AT)

    assert message_of(refused.value) == "Only a resolved request can be reopened."


@pytest.mark.parametrize("status", [status for status in S.values if status != S.CLOSED])
@pytest.mark.parametrize("by_requester", [True, False])
def test_a_public_reply_is_taken_on_any_ticket_that_is_not_closed(status: str, by_requester: bool) -> None:
    check_reply(status, reference="SIT-7", by_requester=by_requester, internal=False)


@pytest.mark.parametrize(("by_requester", "internal"), [(True, False), (False, False), (False, True)])
def test_a_closed_ticket_takes_no_more_replies(by_requester: bool, internal: bool) -> None:
    with pytest.raises(ValidationError) as refused:
        check_reply(S.CLOSED, reference="SIT-7", by_requester=by_requester, internal=internal)

    assert message_of(refused.value) == (
        "SIT-7 is closed and takes no more replies. File a new request that refers to it."
    )


@pytest.mark.parametrize("status", S.values)
def test_a_requester_cannot_add_an_internal_note(status: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_reply(status, reference="SIT-7", by_requester=True, internal=True)

    assert message_of(refused.value) == "Requesters can't add internal notes."


def requester_reply(status: str, *, now: datetime = RESOLVED_AT, requested: str | None = None) -> str | None:
    return status_after_reply(
        status, by_requester=True, internal=False, resolved_at=RESOLVED_AT, now=now, requested=requested
    )


@pytest.mark.parametrize("status", [S.WAITING_REQUESTER, S.RESOLVED])
def test_the_requesters_reply_brings_a_waiting_or_resolved_ticket_back_to_open(status: str) -> None:
    assert requester_reply(status, now=RESOLVED_AT + WINDOW) == S.OPEN


@pytest.mark.parametrize("status", [S.NEW, S.OPEN, S.WAITING_THIRD_PARTY])
def test_the_requesters_reply_leaves_other_statuses_alone(status: str) -> None:
    assert requester_reply(status) is None


@given(status=st.sampled_from(S.values), requested=st.sampled_from([None, *S.values]))
def test_the_requester_cannot_choose_a_status_with_a_reply(status: str, requested: str | None) -> None:
    if status == S.CLOSED:
        return
    assert requester_reply(status, requested=requested) == requester_reply(status)


def test_the_requesters_reply_after_the_reopen_window_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        requester_reply(S.RESOLVED, now=RESOLVED_AT + WINDOW + timedelta(seconds=1))

    assert message_of(refused.value) == (
        "This request was resolved too long ago to reopen; please file a new request."
    )


@pytest.mark.parametrize(
    ("status", "internal", "expected"),
    [
        (S.NEW, False, S.OPEN),
        (S.NEW, True, None),
        (S.OPEN, False, None),
        (S.WAITING_REQUESTER, False, None),
        (S.RESOLVED, False, None),
    ],
)
def test_staffs_public_reply_opens_a_new_ticket_and_a_note_does_not(
    status: str, internal: bool, expected: str | None
) -> None:
    moved = status_after_reply(
        status, by_requester=False, internal=internal, resolved_at=None, now=RESOLVED_AT
    )

    assert moved == expected


@given(
    status=st.sampled_from(S.values),
    requested=st.sampled_from(S.values),
    internal=st.booleans(),
)
def test_staff_may_set_a_status_with_a_reply(status: str, requested: str, internal: bool) -> None:
    moved = status_after_reply(
        status, by_requester=False, internal=internal, resolved_at=None, now=RESOLVED_AT, requested=requested
    )

    if requested != status:
        assert moved == requested
    else:
        assert moved == (S.OPEN if status == S.NEW and not internal else None)


@given(by_requester=st.booleans(), internal=st.booleans(), first_response_at=st.one_of(st.none(), moments))
def test_only_staffs_first_public_reply_is_the_first_response(
    by_requester: bool, internal: bool, first_response_at: datetime | None
) -> None:
    first = is_first_response(
        by_requester=by_requester, internal=internal, first_response_at=first_response_at
    )

    assert first == (not by_requester and not internal and first_response_at is None)


@pytest.mark.parametrize("status", OPEN_STATUSES)
def test_work_is_allowed_on_an_open_ticket(status: str) -> None:
    check_open(status, reference="SIT-7")


@pytest.mark.parametrize("status", FINISHED)
def test_work_on_a_resolved_or_closed_ticket_asks_to_reopen_it_first(status: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_open(status, reference="SIT-7")

    assert message_of(refused.value) == f"SIT-7 is {S(status).label.lower()}; reopen it first."


@pytest.mark.parametrize("status", OPEN_STATUSES)
def test_assigning_a_new_ticket_opens_it_and_nothing_else_moves(status: str) -> None:
    assert status_after_assign(status, assigned=True) == (S.OPEN if status == S.NEW else None)
    assert status_after_assign(status, assigned=False) is None
