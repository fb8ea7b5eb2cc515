"""The demo desk `make run` loads reads like a real one."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from tickets.demo import demo_load
from tickets.demo_history import OTHER_NETWORKS
from tickets.events import event_sentence
from tickets.models import Comment, Event, Ticket
from tickets.selectors import DeskFilters, desk_search


def test_demo_subjects_name_a_network_never_the_word_other(reference: None) -> None:
    demo_load()

    subjects = list(Ticket.objects.values_list("subject", flat=True))
    assert len(subjects) > 100
    assert [subject for subject in subjects if "Other" in subject] == []
    others = Ticket.objects.filter(platform__slug="other").values_list("subject", flat=True)
    assert others, "the demo files some tickets under the Other platform"
    assert any(network in subject for subject in others for network in OTHER_NETWORKS)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite searches with LIKE, with no document")
def test_after_seeding_the_demo_a_desk_search_finds_past_tickets_by_a_word_of_their_subject(db: None) -> None:
    call_command("seed", "--demo", stdout=StringIO())

    assert not Ticket.objects.filter(search_vector__isnull=True).exists()
    for ticket in Ticket.objects.select_related("queue").order_by("created_at")[:5]:  # weeks old
        agent = ticket.queue.members.filter(role=User.Role.AGENT).first()
        word = max(ticket.subject.replace("?", "").split(), key=len)
        filters = DeskFilters(
            queues=[], statuses=[], priorities=[], platforms=[], problem_types=[], assignee="", query=word
        )
        assert desk_search(agent, filters).filter(pk=ticket.pk).exists(), (ticket.subject, word)


def test_demo_history_is_written_in_the_services_shapes(reference: None) -> None:
    demo_load()

    events = Event.objects.select_related("actor")
    assert {event.kind for event in events} >= {"filed", "routed", "sla", "assigned", "replied", "status"}
    sentences = [event_sentence(event) for event in events]  # each payload loads as its kind's
    assert not [sentence for sentence in sentences if "None" in sentence]
    replies = Event.objects.filter(kind=Event.Kind.REPLIED)
    comments = set(Comment.objects.values_list("pk", flat=True))
    assert replies and {event.payload["comment_id"] for event in replies} <= comments
