"""The manager dashboard and its CSV exports: who gets in, what the page says, what the CSV says.

The page and every export are read the way a person (or a spreadsheet) reads them, and compared
cell by cell; the numbers come from the hand-made story of tests/reports/conftest.py.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.tables import TABLES
from tickets import services
from tickets.models import Ticket

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .conftest import NOW, Story, at, paris, sweep
from .dashboard_page import DASHBOARD, RANGE, TICKETS, csv_rows, export_url, get, page_of

JULY = {"range": "custom", "start": "2026-07-01", "end": "2026-07-31"}
JULY_END = paris(2026, 7, 31, 12, 0)


# ---- who gets in ----------------------------------------------------------------------------


def test_a_manager_gets_the_dashboard(manager: Client) -> None:
    response = get(manager, DASHBOARD)

    assert response.status_code == 200
    assert "Social media support at a glance" in response.content.decode()


def test_a_manager_lands_on_the_dashboard_from_the_admin_home(manager: Client) -> None:
    response = manager.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.headers["Location"] == DASHBOARD


def test_the_admin_app_list_stays_one_click_away_for_a_manager(manager: Client) -> None:
    page = page_of(get(manager, DASHBOARD))
    app_list = next(href for _, href in page.links["top"] if href.endswith("?apps=1"))

    response = manager.get(app_list)

    assert response.status_code == 200
    assert TICKETS in response.content.decode()
    assert response.context["app_list"]


def test_an_administrator_gets_the_dashboard_and_keeps_the_admin_home(story: Story) -> None:
    ada = client_for(story.cast.admin)

    assert get(ada, DASHBOARD).status_code == 200
    assert get(ada, export_url("volume")).status_code == 200
    home = ada.get(reverse("admin:index"))
    assert home.status_code == 200  # administrators come to configure the desk
    assert f'href="{DASHBOARD}"' in home.content.decode()


@pytest.mark.parametrize("role", ["it_agent", "marketing_agent", "comms_agent"])
def test_agents_get_no_dashboard_and_no_export(story: Story, role: str) -> None:
    agent = client_for(getattr(story.cast, role))

    assert get(agent, DASHBOARD).status_code == 403
    assert get(agent, export_url("tickets")).status_code == 403
    home = agent.get(reverse("admin:index"))
    assert home.status_code == 200
    assert DASHBOARD not in home.content.decode()


@pytest.mark.parametrize("who", ["employee", "anonymous"])
@pytest.mark.parametrize("url", [DASHBOARD, export_url("tickets")])
def test_employees_and_strangers_are_sent_to_the_admin_login(story: Story, who: str, url: str) -> None:
    client = client_for(story.cast.employee) if who == "employee" else Client()

    response = get(client, url)

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("admin:login"))


def test_an_unknown_table_is_not_found(manager: Client) -> None:
    assert get(manager, export_url("salaries")).status_code == 404


# ---- what the page says ----------------------------------------------------------------------


def test_the_page_shows_the_key_numbers_of_the_story(story: Story, manager: Client) -> None:
    page = page_of(get(manager, DASHBOARD, RANGE))

    figures = dict(page.figures)
    cost = figures.pop("cost of support")
    figures = dict(list(figures.items())[:5])  # the top row; the sections below have their own
    assert figures == {
        "opened": "11",
        "resolved": "8",
        "open now": "6",
        "SLA targets met (aim: 90%)": "82.4%",  # 14 met, 3 missed
        "breached and open": "1",
    }
    cost_by_queue = csv_rows(get(manager, export_url("cost-queue"), RANGE))[1:]
    total = sum(Decimal(row[2]) for row in cost_by_queue).quantize(Decimal(1), ROUND_HALF_UP)
    assert cost == f"{total} EUR"
    assert page.tables["backlog-queue"] == [
        ["Marketing", "3", ""],
        ["IT", "2", ""],
        ["Communications", "1", ""],
    ]
    assert page.tables["backlog-age"] == [
        ["< 1 day", "2", ""],
        ["1–3 days", "1", ""],
        ["3–7 days", "1", ""],
        ["7–30 days", "1", ""],
        ["> 30 days", "1", ""],
    ]
    assert page.tables["agents"] == [
        ["Ian It", "2", "5"],
        ["Cora Comms", "1", "2"],
        ["Mia Marketing", "1", "1"],
    ]
    assert page.tables["reopen"] == [
        ["Communications", "2", "0", "0.0%"],
        ["IT", "4", "1", "25.0%"],
        ["Marketing", "1", "1", "100.0%"],
    ]
    assert ["Marketing", "8.0 h", "8.0 h", "1", "23.5 h", "23.5 h", "1"] in page.tables["speed"]
    assert ["Marketing", "Normal", "—", "—", "0", "0", "1"] in page.tables["sla"]


def test_the_chart_has_every_day_and_a_text_alternative(story: Story, manager: Client) -> None:
    response = get(manager, DASHBOARD, RANGE)
    html = response.content.decode()
    page = page_of(response)

    start = html.index('<script id="volume-data" type="application/json">') + len(
        '<script id="volume-data" type="application/json">'
    )
    chart = json.loads(html[start : html.index("</script>", start)])
    assert chart["labels"][:3] == ["02 Nov", "03 Nov", "04 Nov"]
    assert len(chart["labels"]) == 14
    assert chart["opened"] == [1, 0, 1, 1, 1, 0, 0, 2, 1, 1, 0, 1, 1, 1]
    assert chart["resolved"] == [1, 0, 1, 0, 2, 0, 0, 0, 0, 0, 2, 2, 0, 0]
    assert "11 tickets opened and 8 resolved between 2 Nov and 15 Nov" in html
    assert page.tables["volume"][0] == ["Mon 2 Nov", "1", "1"]
    assert len(page.tables["volume"]) == 14
    assert "/static/vendor/chart.js/chart.umd.min.js" in html


def test_an_invalid_custom_range_is_explained_and_the_last_30_days_shown(
    story: Story, manager: Client
) -> None:
    response = get(manager, DASHBOARD, {"range": "custom", "start": "2026-11-02"})
    page = page_of(response)

    assert "Choose both dates for a custom range." in response.content.decode()
    assert "18 Oct 2026 – 16 Nov 2026" in response.content.decode()
    assert page.figures["opened"] == "13"


def test_an_invalid_custom_range_keeps_the_queue_filter(story: Story, manager: Client) -> None:
    page = page_of(get(manager, DASHBOARD, {"range": "custom", "start": "2026-11-02", "queue": "it"}))

    assert page.tables["backlog-queue"] == [["IT", "2", ""]]


# ---- cost of the page ------------------------------------------------------------------------

PROBLEMS = [
    ("login-access", "twitter-x"),
    ("policy-etiquette", "linkedin"),
    ("metrics-request", "facebook"),
    ("new-account", "blog"),
    ("compromised-account", "other"),
    ("content-review", "twitter-x"),
    ("network-block", "linkedin"),
    ("publishing-problem", "blog"),
    ("other", "facebook"),
]


def file_many(cast: Cast, count: int, first: int = 0, now: datetime = NOW) -> None:
    """Tickets of every kind over the last weeks: answered, resolved, reopened, timed, some not."""
    requesters = [cast.employee, cast.other_employee]
    agents = {cast.it.pk: cast.it_agent, cast.marketing.pk: cast.marketing_agent}
    agents[cast.communications.pk] = cast.comms_agent
    for number in range(first, first + count):
        problem, platform = PROBLEMS[number % len(PROBLEMS)]
        moment = now - timedelta(days=number % 25, hours=number % 7 + 1)
        with at(moment):
            ticket = file_ticket(requesters[number % 2], problem=problem, platform=platform)
        agent = agents[ticket.queue_id]
        if number % 3:
            with at(moment + timedelta(minutes=20)):
                services.ticket_claim(ticket=ticket, actor=agent)
                services.ticket_reply(ticket=ticket, author=agent, body="On it.")
                services.ticket_log_time(ticket=ticket, agent=agent, minutes=10 + number)
        if number % 3 == 2:
            with at(moment + timedelta(minutes=50)):
                services.ticket_set_status(ticket=ticket, status=Ticket.Status.RESOLVED, actor=agent)
        if number % 3 == 2 and number % 4 == 0:
            with at(moment + timedelta(minutes=55)):
                services.ticket_reopen(ticket=ticket, actor=ticket.requester)


def queries(client: Client, url: str, data: dict[str, str]) -> int:
    with at(JULY_END), CaptureQueriesContext(connection) as context:
        response = client.get(url, data)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_dashboard_runs_as_many_queries_for_60_tickets_as_for_5(story: Story, manager: Client) -> None:
    cast = story.cast
    file_many(cast, 5, now=JULY_END)
    few = queries(manager, DASHBOARD, {})
    few_filtered = queries(manager, DASHBOARD, {"range": "7d", "queue": "it"})

    file_many(cast, 55, first=5, now=JULY_END)
    sweep(JULY_END)

    assert Ticket.objects.filter(created_at__month=7).count() == 60
    assert queries(manager, DASHBOARD, {}) == few
    assert queries(manager, DASHBOARD, {"range": "7d", "queue": "it"}) == few_filtered


def test_the_ticket_export_streams_every_row(story: Story, manager: Client) -> None:
    file_many(story.cast, 60, now=JULY_END)

    response = get(manager, export_url("tickets"), JULY, moment=JULY_END)

    assert isinstance(response, StreamingHttpResponse)
    assert response.streaming is True
    rows = csv_rows(response)
    assert len(rows) == 61
    assert len({row[0] for row in rows[1:]}) == 60


def test_each_export_runs_a_fixed_number_of_queries(story: Story, manager: Client) -> None:
    file_many(story.cast, 5, now=JULY_END)
    few = {key: queries(manager, export_url(key), {}) for key in TABLES}

    file_many(story.cast, 30, first=5, now=JULY_END)

    assert {key: queries(manager, export_url(key), {}) for key in TABLES} == few


def test_the_period_heading_names_the_filters(story: Story, manager: Client) -> None:
    html = get(manager, DASHBOARD, {**RANGE, "queue": "it", "platform": "linkedin"}).content.decode()

    assert "2 Nov 2026 – 15 Nov 2026 · IT · LinkedIn" in html
    assert f'href="{export_url("tickets")}?range=custom&amp;start=2026-11-02&amp;end=2026-11-15' in html


def test_a_day_in_the_export_is_a_day_in_paris(manager: Client) -> None:
    # IT5 was filed at 00:30 on Friday the 13th in Paris: 23:30 on Thursday in UTC.
    rows = csv_rows(
        get(manager, export_url("volume"), {"range": "custom", "start": "2026-11-12", "end": "2026-11-13"})
    )

    assert rows == [["Day", "Opened", "Resolved"], ["2026-11-12", "0", "2"], ["2026-11-13", "1", "2"]]
