"""Ticket history: one declared payload per kind, checked when written, read in the reader's zone."""

from __future__ import annotations

import dataclasses
import zoneinfo
from datetime import UTC, datetime

import pytest
from django.utils import timezone
from time_machine import TimeMachineFixture

from tickets import events, services
from tickets.events import KINDS, Ref, event_sentence, payload_of
from tickets.models import Event, Ticket
from tickets.payloads import PayloadError
from tickets.services.history import event_build, event_record

from ..conftest import Cast
from ..factories import file_ticket

FILED_AT = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_every_kind_has_one_payload_and_a_sentence_of_its_own() -> None:
    assert KINDS.kinds == set(Event.Kind.values)
    for kind in Event.Kind.values:
        cls = KINDS.payload_class(kind)
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
        assert cls.kind == kind
        assert cls.sentence is not events.Payload.sentence, f"{cls.__name__} writes no sentence"


def test_filing_writes_ids_plus_labels_and_utc_moments(cast: Cast, time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(FILED_AT, tick=False)
    ticket = file_ticket(cast.employee, problem="compromised-account")

    routed = ticket.events.get(kind=Event.Kind.ROUTED)
    assert routed.payload["queue"] == {"id": cast.it.pk, "label": "IT"}
    assert routed.payload["priority"] == {"id": Ticket.Priority.URGENT, "label": "Urgent"}
    assert routed.payload["rule"]["label"] == "Compromised accounts go to IT, urgent"
    assert isinstance(routed.payload["rule"]["id"], int)
    sla = ticket.events.get(kind=Event.Kind.SLA).payload
    assert sla["policy"] == {"id": ticket.sla_policy_id, "label": str(ticket.sla_policy)}
    assert sla["first_response_due_at"] == ticket.first_response_due_at.astimezone(UTC).isoformat()
    assert sla["first_response_due_at"].endswith("+00:00")


def test_assignment_keeps_both_people_as_ids_and_names(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    services.ticket_assign(ticket=ticket, assignee=cast.it_agent, actor=cast.manager)

    payload = payload_of(ticket.events.get(kind=Event.Kind.ASSIGNED))
    assert payload == events.Assigned(
        before=None,
        after=Ref(cast.it_agent.pk, str(cast.it_agent)),
        status=events.StatusMove(Ref("new", "New"), Ref("open", "Open")),
    )


def test_a_transfer_keeps_both_queues_as_ids_and_names(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    services.ticket_transfer(ticket=ticket, queue=cast.communications, actor=cast.it_agent, note="tone")

    payload = payload_of(ticket.events.get(kind=Event.Kind.TRANSFERRED))
    assert payload == events.Transferred(
        before=Ref(cast.it.pk, "IT"), after=Ref(cast.communications.pk, "Communications"), note="tone"
    )


def test_a_payload_of_the_wrong_shape_is_refused_and_nothing_is_written(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    before = Event.objects.count()

    wrong = [
        events.TimeLogged(minutes="ten"),  # type: ignore[arg-type]
        events.TimeLogged(minutes=True),  # a flag is not a number
        events.SlaBreach(target="lunch", due_at=FILED_AT),  # type: ignore[arg-type]
        events.SlaBreach(target="resolution", due_at=datetime(2026, 3, 2, 8, 0)),  # no time zone
        events.Transferred(before=Ref(1, "IT"), after="Communications"),  # type: ignore[arg-type]
    ]
    for payload in wrong:
        with pytest.raises(PayloadError):
            event_record(ticket=ticket, actor=cast.it_agent, payload=payload)
    assert Event.objects.count() == before


def test_a_payload_class_that_is_not_registered_is_refused(cast: Cast) -> None:
    @dataclasses.dataclass(frozen=True)
    class Unknown(events.Payload):
        kind = Event.Kind.FILED

    with pytest.raises(PayloadError, match="not a registered"):
        event_build(ticket=file_ticket(cast.employee), actor=None, payload=Unknown())


def test_a_kind_is_registered_once() -> None:
    with pytest.raises(ValueError, match="already has"):
        KINDS.register(events.Filed)


def test_stored_payload_reads_back_as_the_class_that_wrote_it() -> None:
    payload = events.SlaTargets(
        policy=Ref(3, "IT urgent"),
        first_response_due_at=FILED_AT,
        resolution_due_at=None,
        recomputed=True,
    )
    stored = KINDS.dump(payload)
    assert stored == {
        "policy": {"id": 3, "label": "IT urgent"},
        "first_response_due_at": "2026-03-02T08:00:00+00:00",
        "resolution_due_at": None,
        "recomputed": True,
    }
    assert KINDS.load(Event.Kind.SLA, stored) == payload
    with pytest.raises(PayloadError):
        KINDS.load(Event.Kind.SLA, {**stored, "first_response_due_at": "soon"})
    with pytest.raises(PayloadError, match="missing"):
        KINDS.load(Event.Kind.SLA_BREACH, {"target": "resolution"})


def test_sentences_read_times_in_the_readers_time_zone(cast: Cast, time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(FILED_AT, tick=False)
    ticket = file_ticket(cast.employee)
    event = event_record(
        ticket=ticket, actor=None, payload=events.SlaBreach(target="resolution", due_at=FILED_AT)
    )

    with timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        assert event_sentence(event) == "SLA breached: the resolution was due Mon 2 Mar, 09:00"
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        assert event_sentence(event) == "SLA breached: the resolution was due Mon 2 Mar, 03:00"


def test_sentences_are_written_from_the_payload_when_shown(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    services.ticket_claim(ticket=ticket, actor=cast.it_agent)
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Looking", internal=True)
    services.ticket_log_time(ticket=ticket, agent=cast.it_agent, minutes=15, note="reset")
    services.ticket_set_priority(ticket=ticket, priority=Ticket.Priority.HIGH, actor=cast.it_agent)
    services.ticket_set_status(ticket=ticket, status=Ticket.Status.RESOLVED, actor=cast.it_agent)
    services.ticket_reopen(ticket=ticket, actor=cast.employee, reason="it broke again")

    lines = [line.sentence for line in services_history(ticket) if line.kind != Event.Kind.SLA]
    agent, employee = str(cast.it_agent), str(cast.employee)
    assert lines == [
        f"{employee} filed the request",
        "Routed to IT as Normal by rule “Log-in problems go to IT”",
        f"{agent} took the ticket; status New → Open",
        f"{agent} added an internal note",
        f"{agent} logged 15 min: reset",
        f"{agent} changed the priority from Normal to High",
        f"{agent} changed the status from Open to Resolved",
        f"{employee} reopened the request: it broke again",
    ]


def services_history(ticket: Ticket) -> list[events.HistoryLine]:
    from tickets.selectors import ticket_history

    return ticket_history(ticket)


def test_the_history_of_a_renamed_queue_reads_as_it_was(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)
    services.ticket_transfer(ticket=ticket, queue=cast.marketing, actor=cast.it_agent)
    cast.marketing.name = "Brand"
    cast.marketing.save(update_fields=["name"])

    event = ticket.events.get(kind=Event.Kind.TRANSFERRED)
    assert event_sentence(event) == f"{cast.it_agent} moved the ticket from IT to Marketing"
    assert event.payload["after"]["id"] == cast.marketing.pk
