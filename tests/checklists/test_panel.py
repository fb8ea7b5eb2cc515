"""The checklist panel on the desk's ticket page: what each person sees, in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from checklists import services
from checklists.models import Checklist, Item
from tickets.models import Ticket

from ..conftest import Cast
from ..factories import file_ticket
from ..tickets.pages import SCRIPT
from .scene import report, x_account

pytestmark = pytest.mark.django_db
PANEL = Template("{% load checklist_tags %}{% ticket_checklists ticket %}")


def render(user: User, ticket: Ticket) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return PANEL.render(Context({"request": request, "ticket": ticket, "csrf_token": "token"}))


def test_the_agent_sees_the_items_the_links_and_a_done_button_each(cast: Cast) -> None:
    ticket = report(cast, x_account(cast))

    html = render(cast.it_agent, ticket)

    assert "Secure the recovery email first" in html
    assert 'href="https://help.x.com/en/safety-and-security/x-account-compromised"' in html
    assert html.count("Done: “") == 11
    # "Publish the holding statement" waits for the approval, and says so.
    assert html.count(" disabled>") == 1 and "Waits for the holding statement to be approved." in html
    assert "Allow resolving" not in html  # managers only
    assert "Save the draft" not in html  # Communications and managers only


def test_communications_drafts_and_a_manager_approves_or_waives(cast: Cast) -> None:
    ticket = report(cast, x_account(cast))
    services.statement_draft(ticket=ticket, actor=cast.comms_agent, text=f"Line one.\nLine two {SCRIPT}")

    author, manager = render(cast.comms_agent, ticket), render(cast.manager, ticket)

    assert "Save the new wording" in author and "Approve the statement" not in author
    assert "Approve the statement" in manager and "Allow resolving" in manager
    assert "Line one.<br>Line two &lt;script&gt;" in manager
    assert SCRIPT not in manager


def test_a_finished_ticket_shows_the_record_without_buttons(cast: Cast) -> None:
    ticket = report(cast, x_account(cast))
    checklist = Checklist.objects.get(ticket=ticket)
    services.checklist_tick(item=checklist.items.first(), actor=cast.it_agent)
    services.checklist_waive(
        checklist=checklist, actor=cast.manager, reason="Account deleted by the platform"
    )
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.RESOLVED)
    ticket.refresh_from_db()

    html = render(cast.manager, ticket)

    assert "Done by Ian It" in html
    assert (
        "Max Manager let the ticket be resolved with required items open: Account deleted by the platform"
        in html
    )
    assert "<button" not in html


def test_no_checklist_no_panel(cast: Cast) -> None:
    assert render(cast.it_agent, file_ticket(cast.employee)).strip() == ""


def queries(user: User, ticket: Ticket) -> int:
    with CaptureQueriesContext(connection) as context:
        render(user, ticket)
    return len(context.captured_queries)


def test_the_panel_costs_the_same_with_more_items_done(cast: Cast) -> None:
    ticket = report(cast, x_account(cast))
    few = queries(cast.manager, ticket)
    for item in Item.objects.filter(checklist__ticket=ticket, needs=""):
        services.checklist_tick(item=item, actor=[cast.it_agent, cast.comms_agent][item.pk % 2])
    Item.objects.bulk_create(
        Item(checklist=Checklist.objects.get(ticket=ticket), text=f"Extra {n}") for n in range(20)
    )

    assert queries(cast.manager, ticket) == few


def test_only_a_checklist_that_secures_an_account_speaks_of_securing_it(cast: Cast) -> None:
    ticket = report(cast, x_account(cast))
    assert "Not secured yet" in render(cast.it_agent, ticket)

    Item.objects.filter(checklist__ticket=ticket).update(secures=False)

    assert "Not secured yet" not in render(cast.it_agent, ticket)
