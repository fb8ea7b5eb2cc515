"""What an agent reads first on the desk: which queue this is, room for subjects, a way out of
an empty filter, and buttons that say what they set."""

from __future__ import annotations

import re

from django.urls import reverse

from tickets import services

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .pages import desk_ids, raw, shown

LIST = reverse("desk:list")
HTMX = {"HTTP_HX_REQUEST": "true"}


def headers(html: str) -> list[str]:
    head = re.search(r"<thead.*?</thead>", html, re.S)
    assert head is not None
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<th[^>]*>(.*?)</th>", head.group(0), re.S)
    ]


def test_an_agent_of_one_queue_reads_its_name_and_no_queue_column(cast: Cast) -> None:
    file_ticket(cast.employee, problem="login-access")

    html = raw(client_for(cast.it_agent).get(LIST))

    assert re.search(r"<h1[^>]*>IT queue</h1>", html)
    assert headers(html)[1:] == ["Ticket", "Priority", "Status", "SLA", "Assignee", "Updated"]


def test_a_manager_sees_the_queue_of_every_ticket(cast: Cast) -> None:
    file_ticket(cast.employee, problem="login-access")

    html = raw(client_for(cast.manager).get(LIST))

    assert re.search(r"<h1[^>]*>All queues</h1>", html)
    assert "Queue" in headers(html)


def test_an_agent_of_several_queues_sees_the_queue_column(cast: Cast) -> None:
    cast.marketing.members.add(cast.it_agent)
    file_ticket(cast.employee, problem="login-access")

    html = raw(client_for(cast.it_agent).get(LIST))

    assert re.search(r"<h1[^>]*>My queues</h1>", html)
    assert "Queue" in headers(html)


def test_filtered_results_for_an_agent_of_one_queue_have_no_queue_column(cast: Cast) -> None:
    file_ticket(cast.employee, problem="login-access")

    fragment = raw(client_for(cast.it_agent).get(LIST, {"status": "any"}, **HTMX))

    assert "<h1" not in fragment
    assert "Queue" not in headers(fragment)


def test_an_empty_filter_result_offers_to_clear_the_filters(cast: Cast) -> None:
    file_ticket(cast.employee, problem="login-access", subject="Locked out of LinkedIn")
    client = client_for(cast.it_agent)

    page = shown(client.get(LIST, {"q": "nothing like this", "priority": "4"}))
    fragment = shown(client.get(LIST, {"q": "nothing like this"}, **HTMX))

    for html in (page, fragment):
        assert "No tickets match these filters." in html
        assert f'<a href="{LIST}">Clear filters</a>' in html
    cleared = client.get(LIST)
    assert "Locked out of LinkedIn" in shown(cleared)


def test_an_empty_queue_says_so_without_a_filter_to_clear(cast: Cast) -> None:
    # What the filter form sends with nothing chosen: every field, empty.
    empty_form = {
        name: "" for name in ("q", "queue", "status", "priority", "platform", "problem", "assignee")
    }

    html = shown(client_for(cast.it_agent).get(LIST, {**empty_form, "sort": "due"}, **HTMX))

    assert "Nothing unresolved in your queues." in html
    assert "Clear filters" not in html


def test_a_long_subject_reaches_the_list_whole(cast: Cast) -> None:
    url = "https://blog.example.com/2025/03/how-we-support-our-communities-through-volunteering-days"
    ticket = file_ticket(cast.employee, problem="publishing-problem", subject=f"Broken page {url}")

    response = client_for(cast.it_agent).get(LIST)

    assert desk_ids(response) == [ticket.pk]
    assert re.search(r'<td class="subject">\s*<a [^>]*class="subject-link', raw(response))
    assert f"Broken page {url}" in shown(response)


def test_the_ticket_page_says_what_each_button_sets(cast: Cast) -> None:
    ticket = file_ticket(cast.employee, problem="login-access")
    services.ticket_claim(ticket=ticket, actor=cast.it_agent)

    html = shown(client_for(cast.it_agent).get(reverse("desk:ticket", args=[ticket.pk])))

    buttons = re.findall(r'<button class="btn[^"]*" type="submit">([^<]+)</button>', html)
    assert "Set priority" in buttons and "Set status" in buttons
    assert "Set" not in buttons
    assert len(buttons) == len(set(buttons)), buttons
