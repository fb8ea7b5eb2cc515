"""Links, merges and resolving a parent with its children, through the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from notifications.models import Kind, Notification
from tickets import services
from tickets.models import Attachment, Comment, Event, Ticket, TicketLink
from tickets.services import linking

from ..conftest import Cast
from ..factories import file_ticket
from .pages import upload


@pytest.fixture
def pair(cast: Cast) -> tuple[Ticket, Ticket]:
    first = file_ticket(cast.employee, subject="Can't log in to @acme", files=[upload("first.png")])
    second = file_ticket(cast.other_employee, subject="@acme login broken", files=[upload("second.png")])
    return first, second


def test_a_link_shows_from_both_tickets_and_both_histories_say_so(
    cast: Cast, pair: tuple[Ticket, Ticket]
) -> None:
    child, parent = pair
    linking.ticket_link(ticket=parent, other=child, relation="parent", actor=cast.it_agent)

    link = TicketLink.objects.get()
    assert (link.source, link.target, link.kind) == (child, parent, TicketLink.Kind.CHILD)
    kinds = set(
        Event.objects.filter(kind=Event.Kind.LINKED).values_list("ticket_id", "payload__relation__label")
    )
    assert kinds == {(child.pk, "Child of"), (parent.pk, "Parent of")}


def test_two_tickets_link_once_and_never_to_themselves(cast: Cast, pair: tuple[Ticket, Ticket]) -> None:
    first, second = pair
    linking.ticket_link(ticket=first, other=second, relation="related", actor=cast.it_agent)
    with pytest.raises(ValidationError, match="already linked"):
        linking.ticket_link(ticket=second, other=first, relation="caused_by", actor=cast.it_agent)
    with pytest.raises(ValidationError, match="itself"):
        linking.ticket_link(ticket=first, other=first, relation="related", actor=cast.it_agent)


def test_linking_needs_both_tickets_queues(cast: Cast, pair: tuple[Ticket, Ticket]) -> None:
    first, _ = pair
    comms = file_ticket(cast.employee, problem="policy-etiquette")
    with pytest.raises(PermissionDenied):
        linking.ticket_link(ticket=first, other=comms, relation="related", actor=cast.it_agent)
    assert not TicketLink.objects.exists()


def test_merge_moves_the_conversation_in_order_and_tells_the_requesters(
    cast: Cast, pair: tuple[Ticket, Ticket]
) -> None:
    target, source = pair
    services.ticket_reply(ticket=source, author=cast.it_agent, body="Which browser?")
    services.ticket_reply(ticket=source, author=cast.other_employee, body="Firefox", files=[upload("ff.png")])
    Notification.objects.all().delete()

    linking.ticket_merge(source=source, target=target, actor=cast.it_agent)

    source.refresh_from_db()
    assert source.status == Ticket.Status.CLOSED and source.merged_into == target
    moved = list(Comment.objects.filter(ticket=target).order_by("created_at", "id"))
    assert [c.body for c in moved] == [source.description, "Which browser?", "Firefox"]
    assert all(c.merged_from_id == source.pk for c in moved)
    assert not Comment.objects.filter(ticket=source).exists()
    assert set(Attachment.objects.values_list("ticket_id", flat=True)) == {target.pk}
    assert Attachment.objects.count() == 3  # nothing deleted
    assert target.participants.filter(pk=cast.other_employee.pk).exists()
    told = Notification.objects.filter(kind=Kind.MERGED).values_list("recipient__email", flat=True)
    assert list(told) == [cast.other_employee.email]
    assert Event.objects.filter(ticket=source, kind=Event.Kind.MERGED_INTO).exists()
    assert Event.objects.filter(ticket=target, kind=Event.Kind.MERGED_FROM).exists()
    assert TicketLink.objects.filter(source=source, target=target, kind=TicketLink.Kind.DUPLICATE).exists()


def test_merging_into_a_queue_the_agent_cannot_see_is_refused(
    cast: Cast, pair: tuple[Ticket, Ticket]
) -> None:
    source, _ = pair
    hidden = file_ticket(cast.other_employee, problem="metrics-request")
    with pytest.raises(PermissionDenied):
        linking.ticket_merge(source=source, target=hidden, actor=cast.it_agent)
    with pytest.raises(PermissionDenied):
        linking.ticket_merge(source=hidden, target=source, actor=cast.it_agent)
    source.refresh_from_db()
    assert source.merged_into is None and source.status == Ticket.Status.NEW


def test_a_manager_merges_across_queues(cast: Cast, pair: tuple[Ticket, Ticket]) -> None:
    source, _ = pair
    target = file_ticket(cast.other_employee, problem="metrics-request")
    linking.ticket_merge(source=source, target=target, actor=cast.manager)
    assert Ticket.objects.get(pk=source.pk).merged_into == target


def test_a_merged_ticket_is_not_merged_again(cast: Cast, pair: tuple[Ticket, Ticket]) -> None:
    target, source = pair
    linking.ticket_merge(source=source, target=target, actor=cast.it_agent)
    with pytest.raises(ValidationError):
        linking.ticket_merge(source=source, target=target, actor=cast.it_agent)
    with pytest.raises(ValidationError, match="closed"):
        linking.ticket_merge(source=target, target=source, actor=cast.it_agent)


def test_resolving_a_parent_resolves_its_open_children_with_one_message(
    cast: Cast, pair: tuple[Ticket, Ticket]
) -> None:
    parent, child = pair
    hidden_child = file_ticket(cast.employee, problem="metrics-request")
    linking.ticket_link(ticket=child, other=parent, relation="child", actor=cast.it_agent)
    linking.ticket_link(ticket=hidden_child, other=parent, relation="child", actor=cast.manager)
    Notification.objects.all().delete()

    done = linking.ticket_resolve_family(
        ticket=parent, actor=cast.it_agent, body="The login provider is back."
    )

    assert [t.pk for t in done.resolved] == [parent.pk, child.pk]
    assert done.skipped and "SIT-" in done.skipped[0]
    statuses = dict(Ticket.objects.values_list("pk", "status"))
    assert statuses[parent.pk] == statuses[child.pk] == Ticket.Status.RESOLVED
    assert statuses[hidden_child.pk] == Ticket.Status.NEW
    bodies = Comment.objects.filter(body="The login provider is back.").values_list("ticket_id", flat=True)
    assert sorted(bodies) == sorted([parent.pk, child.pk])
    resolved_to = set(
        Notification.objects.filter(kind=Kind.RESOLVED).values_list("recipient__email", flat=True)
    )
    assert resolved_to == {cast.employee.email, cast.other_employee.email}


def test_only_staff_of_the_ticket_remove_a_link(cast: Cast, pair: tuple[Ticket, Ticket]) -> None:
    first, second = pair
    link = linking.ticket_link(ticket=first, other=second, relation="related", actor=cast.it_agent)
    with pytest.raises(PermissionDenied):
        linking.ticket_unlink(link=link, ticket=first, actor=cast.marketing_agent)
    linking.ticket_unlink(link=link, ticket=first, actor=cast.it_agent)
    assert not TicketLink.objects.exists()
    assert Event.objects.filter(kind=Event.Kind.UNLINKED).count() == 2
