"""Writing the outbox: rows in the caller's transaction, who is skipped, who hears what, re-dispatching."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from celery import current_app
from django.db import transaction

from notifications.models import ESSENTIAL_KINDS, OPTIONAL_KINDS, Kind, Notification, OptOut
from notifications.services import DELIVER_TASK, preferences_set
from socialit.celery import app as celery_app
from tickets import services
from tickets.models import Ticket

from ..conftest import Cast
from ..factories import file_ticket
from .conftest import SITE_URL, Broker
from .outbox import Status, notify_about, sent

# ---- the rows share the transaction of the change -----------------------------------------------


def test_the_deliver_task_is_published_on_the_projects_celery_app() -> None:
    assert current_app._get_current_object() is celery_app


def test_filing_writes_the_rows_with_the_ticket_and_publishes_them_only_after_commit(
    cast: Cast, broker: Broker, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[attr-defined]
        ticket = file_ticket(cast.employee)
        rows = list(Notification.objects.filter(ticket=ticket))

    assert {(row.kind, row.status, row.attempts) for row in rows} == {
        (Kind.RECEIVED, Status.PENDING, 0),
        (Kind.NEW_IN_QUEUE, Status.PENDING, 0),
    }
    assert broker.published == [], "nothing reaches the broker before the commit"
    for callback in callbacks:
        callback()
    assert sorted(broker.ids) == sorted(row.pk for row in rows)
    assert {name for name, _, _ in broker.published} == {DELIVER_TASK}
    assert all(options == {"retry": False} for _, _, options in broker.published)


def test_a_rolled_back_filing_leaves_no_row_and_publishes_nothing(
    cast: Cast, broker: Broker, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,  # type: ignore[attr-defined]
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        file_ticket(cast.employee)
        assert Notification.objects.count() == 2
        raise RuntimeError("the rest of the change failed")

    assert (Ticket.objects.count(), Notification.objects.count()) == (0, 0)
    assert callbacks == []
    assert broker.published == []


def test_a_rolled_back_notify_leaves_no_row(
    cast: Cast, ticket: Ticket, broker: Broker, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,  # type: ignore[attr-defined]
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify_about(ticket, Kind.ASSIGNED, cast.it_agent)
        raise RuntimeError

    assert Notification.objects.count() == 0
    assert (callbacks, broker.published) == ([], [])


def test_a_reply_that_is_refused_writes_no_notification(cast: Cast, ticket: Ticket) -> None:
    services.ticket_set_status(ticket=ticket, status=Ticket.Status.CLOSED, actor=cast.it_agent)
    Notification.objects.all().delete()

    with pytest.raises(Exception, match="closed"):
        services.ticket_reply(ticket=ticket, author=cast.employee, body="One more thing")

    assert Notification.objects.count() == 0


# ---- who is skipped ----------------------------------------------------------------------------


def test_the_actor_never_hears_about_their_own_action(cast: Cast, ticket: Ticket) -> None:
    rows = notify_about(ticket, Kind.ASSIGNED, cast.it_agent, cast.comms_agent, actor=cast.it_agent)

    assert [row.email for row in rows] == [cast.comms_agent.email]


def test_inactive_people_are_skipped(cast: Cast, ticket: Ticket) -> None:
    cast.marketing_agent.is_active = False
    cast.marketing_agent.save(update_fields=["is_active"])

    rows = notify_about(ticket, Kind.ASSIGNED, cast.marketing_agent, cast.it_agent)

    assert [row.email for row in rows] == [cast.it_agent.email]


def test_the_same_person_listed_twice_gets_one_email(cast: Cast, ticket: Ticket) -> None:
    rows = notify_about(ticket, Kind.ASSIGNED, cast.it_agent, cast.it_agent)

    assert [row.email for row in rows] == [cast.it_agent.email]


def test_nobody_left_writes_nothing_and_registers_no_callback(
    cast: Cast, ticket: Ticket, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[attr-defined]
        rows = notify_about(ticket, Kind.ASSIGNED, cast.it_agent, actor=cast.it_agent)

    assert (rows, callbacks) == ([], [])


@pytest.mark.parametrize("kind", OPTIONAL_KINDS)
def test_an_opted_out_optional_kind_is_skipped(cast: Cast, ticket: Ticket, kind: Kind) -> None:
    OptOut.objects.create(user=cast.it_agent, kind=kind)

    rows = notify_about(ticket, kind, cast.it_agent, cast.comms_agent)

    assert [row.email for row in rows] == [cast.comms_agent.email]


@pytest.mark.parametrize("kind", sorted(ESSENTIAL_KINDS))
def test_an_essential_kind_is_sent_even_to_someone_with_an_opt_out_row(
    cast: Cast, ticket: Ticket, kind: Kind
) -> None:
    OptOut.objects.create(user=cast.employee, kind=kind)  # as the admin could add by hand

    rows = notify_about(ticket, kind, cast.employee)

    assert [row.email for row in rows] == [cast.employee.email]


def test_the_essential_kinds_are_the_receipt_the_reply_the_escalation_and_the_password_reset() -> None:
    assert {
        Kind.RECEIVED,
        Kind.REPLY_TO_REQUESTER,
        Kind.SLA_ESCALATION,
        Kind.PASSWORD_RESET,
        Kind.LOW_RATING,
        Kind.APPROVAL_ASKED,
        Kind.APPROVAL_DECIDED,
        Kind.APPROVAL_EXPIRED,
        Kind.WEBHOOK_DISABLED,
        Kind.MERGED,
    } == ESSENTIAL_KINDS


def test_preferences_keep_the_disabled_optional_kinds_as_opt_outs_only(cast: Cast) -> None:
    preferences_set(user=cast.it_agent, enabled=[Kind.STATUS_CHANGED, Kind.RECEIVED])

    muted = set(OptOut.objects.filter(user=cast.it_agent).values_list("kind", flat=True))
    assert muted == {kind.value for kind in OPTIONAL_KINDS} - {Kind.STATUS_CHANGED}

    preferences_set(user=cast.it_agent, enabled=[kind.value for kind in OPTIONAL_KINDS])
    assert not OptOut.objects.filter(user=cast.it_agent).exists()


def test_preferences_touch_only_the_kinds_that_can_reach_the_person(cast: Cast) -> None:
    # An employee hears nothing of the desk: turning "everything" off leaves its emails alone.
    preferences_set(user=cast.employee, enabled=[Kind.STATUS_CHANGED])

    muted = set(OptOut.objects.filter(user=cast.employee).values_list("kind", flat=True))
    # Anyone may own a company account or hold access to one: those emails reach employees too.
    assert muted == {Kind.RESOLVED, Kind.ACCESS_ENDING, Kind.ACCOUNT_NOTICE}


def test_the_row_keeps_the_address_and_context_of_the_moment(cast: Cast, ticket: Ticket) -> None:
    (row,) = notify_about(ticket, Kind.ASSIGNED, cast.it_agent)

    assert (row.email, row.thread, row.ticket_id, row.recipient) == (
        cast.it_agent.email,
        ticket.reference,
        ticket.pk,
        cast.it_agent,
    )
    assert row.context["url"] == f"{SITE_URL}/somewhere/"
    assert row.context["recipient_name"] == "Ian"


# ---- who hears what, through the ticket services -----------------------------------------------


def test_filing_sends_the_receipt_to_the_requester_and_the_news_to_the_queues_agents(cast: Cast) -> None:
    cast.it.members.add(cast.manager)

    ticket = file_ticket(cast.employee, problem="login-access")

    assert ticket.queue == cast.it
    assert sorted(sent(ticket)) == sorted(
        [
            (Kind.RECEIVED, cast.employee.email),
            (Kind.NEW_IN_QUEUE, cast.it_agent.email),
            (Kind.NEW_IN_QUEUE, cast.manager.email),
        ]
    )
    receipt = Notification.objects.get(ticket=ticket, kind=Kind.RECEIVED)
    news = Notification.objects.get(ticket=ticket, kind=Kind.NEW_IN_QUEUE, recipient=cast.it_agent)
    assert receipt.context["url"] == f"{SITE_URL}/requests/{ticket.pk}/"
    assert news.context["url"] == f"{SITE_URL}/desk/tickets/{ticket.pk}/"


def test_filing_in_another_queue_tells_only_that_queues_agents(cast: Cast) -> None:
    ticket = file_ticket(cast.employee, problem="metrics-request")

    assert ticket.queue == cast.marketing
    assert sent(ticket, kind=Kind.NEW_IN_QUEUE) == [(Kind.NEW_IN_QUEUE, cast.marketing_agent.email)]


def test_a_staff_public_reply_goes_to_the_requester_only(cast: Cast, ticket: Ticket) -> None:
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Try the backup codes.")

    assert sent(ticket) == [(Kind.REPLY_TO_REQUESTER, cast.employee.email)]
    row = Notification.objects.get(ticket=ticket)
    assert row.context["url"] == f"{SITE_URL}/requests/{ticket.pk}/"
    assert (row.context["body"], row.context["actor"]) == ("Try the backup codes.", str(cast.it_agent))


def test_the_requesters_reply_goes_to_the_assignee_only(cast: Cast, ticket: Ticket) -> None:
    cast.it.members.add(cast.manager)
    services.ticket_claim(ticket=ticket, actor=cast.it_agent)
    Notification.objects.all().delete()

    services.ticket_reply(ticket=ticket, author=cast.employee, body="The code still does not arrive.")

    assert sent(ticket) == [(Kind.REPLY_TO_STAFF, cast.it_agent.email)]
    row = Notification.objects.get(ticket=ticket)
    assert row.context["url"] == f"{SITE_URL}/desk/tickets/{ticket.pk}/"


def test_the_requesters_reply_on_an_unassigned_ticket_goes_to_the_queue(cast: Cast, ticket: Ticket) -> None:
    services.ticket_reply(ticket=ticket, author=cast.employee, body="Any news?")

    assert sent(ticket) == [(Kind.REPLY_TO_STAFF, cast.it_agent.email)]


def test_an_internal_note_mentioning_an_agent_tells_that_agent_only(cast: Cast, ticket: Ticket) -> None:
    services.ticket_reply(
        ticket=ticket, author=cast.manager, body="@ian.it could you check the 2FA phone?", internal=True
    )

    assert sent(ticket) == [(Kind.MENTION, cast.it_agent.email)]
    row = Notification.objects.get(ticket=ticket)
    assert row.context["url"] == f"{SITE_URL}/desk/tickets/{ticket.pk}/"


def test_an_internal_note_never_reaches_the_requester_even_when_it_names_them(
    cast: Cast, ticket: Ticket
) -> None:
    services.ticket_reply(
        ticket=ticket,
        author=cast.it_agent,
        body="@erin.employee and @erin.employee@example.com sound confused; no mail to them.",
        internal=True,
    )

    assert sent(ticket) == []


def test_an_internal_note_without_a_mention_tells_nobody(cast: Cast, ticket: Ticket) -> None:
    services.ticket_reply(
        ticket=ticket, author=cast.it_agent, body="Looked at it, nothing yet.", internal=True
    )

    assert sent(ticket) == []


def test_a_mention_by_full_address_and_in_other_case_also_works(cast: Cast, ticket: Ticket) -> None:
    services.ticket_reply(
        ticket=ticket,
        author=cast.manager,
        body="cc @Ian.IT@Example.com: please look",
        internal=True,
    )

    assert sent(ticket) == [(Kind.MENTION, cast.it_agent.email)]


def test_a_mention_at_the_end_of_a_sentence_tells_the_agent(cast: Cast, ticket: Ticket) -> None:
    services.ticket_reply(
        ticket=ticket, author=cast.manager, body="Could you take a look, @ian.it.", internal=True
    )

    assert sent(ticket) == [(Kind.MENTION, cast.it_agent.email)]


def test_resolving_tells_the_requester_with_a_reopen_link(cast: Cast, ticket: Ticket) -> None:
    services.ticket_claim(ticket=ticket, actor=cast.it_agent)
    Notification.objects.all().delete()

    services.ticket_set_status(ticket=ticket, status=Ticket.Status.RESOLVED, actor=cast.it_agent)

    assert sent(ticket) == [(Kind.RESOLVED, cast.employee.email)]
    row = Notification.objects.get(ticket=ticket)
    assert row.context["reopen_url"] == f"{SITE_URL}/requests/{ticket.pk}/"
    assert row.context["reopen_until"]


def test_a_reply_that_resolves_sends_the_reply_and_the_resolution(cast: Cast, ticket: Ticket) -> None:
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Fixed.", status=Ticket.Status.RESOLVED)

    assert sent(ticket) == [
        (Kind.REPLY_TO_REQUESTER, cast.employee.email),
        (Kind.RESOLVED, cast.employee.email),
    ]


def test_the_requester_resolving_their_own_request_tells_staff_not_themselves(
    cast: Cast, ticket: Ticket
) -> None:
    services.ticket_resolve(ticket=ticket, actor=cast.employee)

    assert sent(ticket) == [(Kind.STATUS_CHANGED, cast.it_agent.email)]


def test_assigning_tells_the_new_assignee_unless_they_took_it_themselves(cast: Cast, ticket: Ticket) -> None:
    cast.it.members.add(cast.manager)
    services.ticket_claim(ticket=ticket, actor=cast.it_agent)
    assert sent(ticket) == []

    services.ticket_assign(ticket=ticket, assignee=cast.manager, actor=cast.it_agent)
    assert sent(ticket) == [(Kind.ASSIGNED, cast.manager.email)]


def test_an_opted_out_agent_is_not_told_of_new_tickets(cast: Cast) -> None:
    preferences_set(user=cast.it_agent, enabled=[])

    ticket = file_ticket(cast.employee)

    assert sent(ticket) == [(Kind.RECEIVED, cast.employee.email)]


def test_a_requester_who_muted_everything_still_gets_the_receipt_and_replies(cast: Cast) -> None:
    preferences_set(user=cast.employee, enabled=[])
    ticket = file_ticket(cast.employee)
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="On it.")
    services.ticket_set_status(ticket=ticket, status=Ticket.Status.WAITING_REQUESTER, actor=cast.it_agent)

    assert sent(ticket, recipient=cast.employee) == [
        (Kind.RECEIVED, cast.employee.email),
        (Kind.REPLY_TO_REQUESTER, cast.employee.email),
    ]
