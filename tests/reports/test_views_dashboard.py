"""The manager dashboard and its CSV exports: who gets in, what the page says, what the CSV says.

The page and every export are read the way a person (or a spreadsheet) reads them, and compared
cell by cell; the numbers come from the hand-made story of tests/reports/conftest.py.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Department, User
from accounts.services import user_create
from reports.tables import TABLES
from sla.models import Policy
from tickets import services
from tickets.models import Platform, Queue, Ticket

from ..conftest import PASSWORD, Cast, client_for
from ..factories import file_ticket
from .conftest import NOW, Story, at, paris, sweep

DASHBOARD = reverse("reports:dashboard")
TICKETS = reverse("admin:tickets_ticket_changelist")
RANGE = {"range": "custom", "start": "2026-11-02", "end": "2026-11-15"}
# Tickets a test makes for itself go in June or July, away from the story (and before the
# real today, so that the test client's session has not expired at that time).
JUNE = {"range": "custom", "start": "2026-06-01", "end": "2026-06-04"}
JULY = {"range": "custom", "start": "2026-07-01", "end": "2026-07-31"}
JULY_END = paris(2026, 7, 31, 12, 0)
PAGE_TABLES = [key for key in TABLES if key != "tickets"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_url(key: str) -> str:
    return reverse("reports:export", args=[key])


def get(client: Client, url: str, data: dict[str, str] | None = None, moment: datetime = NOW) -> Any:
    with at(moment):
        return client.get(url, data or {})


class DashboardPage(HTMLParser):
    """The page as a person reads it: each section's table rows, its links, and the figures on top."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: dict[str, list[tuple[str, str]]] = {}
        self.figures: dict[str, str] = {}
        self._section = ""
        self._in_body = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._empty_row = False
        self._link: tuple[str, list[str]] | None = None
        self._figure: dict[str, list[str]] | None = None
        self._figure_part = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "section" and (attributes.get("aria-labelledby") or "").startswith("t-"):
            self._section = (attributes["aria-labelledby"] or "")[2:]
            self.tables[self._section] = []
        elif tag == "tbody" and self._section:
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._row, self._empty_row = [], False
        elif tag == "td" and self._row is not None:
            self._cell = []
            self._empty_row = self._empty_row or "empty" in classes
        elif tag == "a":
            self._link = (attributes.get("href") or "", [])
        elif tag == "div" and "figure" in classes:
            self._figure = {"value": [], "label": []}
        elif tag == "span" and self._figure is not None and classes and classes[0] in ("value", "label"):
            self._figure_part = classes[0]

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._section = ""
        elif tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if not self._empty_row:
                self.tables[self._section].append(self._row)
            self._row = None
        elif tag == "a" and self._link is not None:
            href, text = self._link
            self.links.setdefault(self._section or "top", []).append((" ".join("".join(text).split()), href))
            self._link = None
        elif tag == "span":
            self._figure_part = ""
        elif tag == "div" and self._figure is not None:
            label = " ".join("".join(self._figure["label"]).split())
            self.figures[label] = "".join(self._figure["value"]).strip()
            self._figure = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._link is not None:
            self._link[1].append(data)
        if self._figure is not None and self._figure_part:
            self._figure[self._figure_part].append(data)


def page_of(response: HttpResponse) -> DashboardPage:
    assert response.status_code == 200
    return DashboardPage(response.content.decode())


def csv_rows(response: StreamingHttpResponse) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def as_in_csv(key: str, row: list[str]) -> list[str]:
    """A page row written the way the CSV writes it: no units, no dash for "nothing"."""
    cells = []
    for cell in row[: len(TABLES[key].headers)]:
        cell = cell.removesuffix(" h").removesuffix("%")
        cells.append("" if cell == "—" else cell)
    if key == "volume":
        cells[0] = datetime.strptime(f"{cells[0]} 2026", "%a %d %b %Y").date().isoformat()
    return cells


def refs(response: HttpResponse) -> set[str]:
    assert response.status_code == 200, response.status_code
    return {ticket.reference for ticket in response.context["cl"].result_list}


@pytest.fixture
def manager(story: Story) -> Client:
    return client_for(story.cast.manager)


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


# ---- what the CSV says ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "filters",
    [
        pytest.param(RANGE, id="range"),
        pytest.param({**RANGE, "queue": "it"}, id="range-it"),
        pytest.param({**RANGE, "platform": "linkedin"}, id="range-linkedin"),
        pytest.param(
            {"range": "7d", "queue": "marketing", "platform": "facebook"}, id="7d-marketing-facebook"
        ),
    ],
)
def test_every_export_says_what_the_page_says_with_the_same_filters(
    story: Story, manager: Client, filters: dict[str, str]
) -> None:
    page = page_of(get(manager, DASHBOARD, filters))

    for key in PAGE_TABLES:
        rows = csv_rows(get(manager, export_url(key), filters))
        assert rows[0] == TABLES[key].headers, key
        if filters is RANGE:
            assert rows[1:], f"{key} is empty: the comparison would prove nothing"
        assert rows[1:] == [as_in_csv(key, row) for row in page.tables[key]], key


def test_the_filters_change_what_the_exports_say(story: Story, manager: Client) -> None:
    everything = csv_rows(get(manager, export_url("backlog-queue"), RANGE))
    it = csv_rows(get(manager, export_url("backlog-queue"), {**RANGE, "queue": "it"}))
    linkedin = csv_rows(get(manager, export_url("cost-queue"), {**RANGE, "platform": "linkedin"}))

    assert everything[1:] == [["Marketing", "3"], ["IT", "2"], ["Communications", "1"]]
    assert it[1:] == [["IT", "2"]]
    assert [row[:2] for row in linkedin[1:]] == [["Marketing", "0.8"], ["Communications", "0.3"]]


def test_the_ticket_export_lists_every_ticket_filed_in_the_range(story: Story, manager: Client) -> None:
    response = get(manager, export_url("tickets"), RANGE)
    rows = csv_rows(response)

    assert (
        response["Content-Disposition"] == 'attachment; filename="socialit-tickets-2026-11-02-2026-11-15.csv"'
    )
    assert rows[0] == TABLES["tickets"].headers
    by_reference = {row[0]: row for row in rows[1:]}
    assert set(by_reference) == story.refs(
        "IT1", "IT4", "CO1", "IT2", "CO2", "MK1", "IT3", "CO3", "IT5", "MK2", "LATE"
    )
    it5 = story["IT5"]
    assert by_reference[it5.reference] == [
        it5.reference,
        it5.subject,
        "2026-11-13 00:30",
        it5.requester.full_name,
        it5.requester.email,
        "IT",
        "Twitter/X",
        "Compromised account",
        "Urgent",
        "Resolved",
        "Sales",
        "Ian It",
        "0.33",
        "3.00",
        "no",
        "no",
        "0",
    ]
    assert by_reference[story["CO2"].reference][8:] == [
        "Urgent",
        "Open",
        "Finance",
        "Cora Comms",
        "9.00",
        "",
        "yes",
        "yes",
        "0",
    ]
    assert by_reference[story["CO3"].reference][10] == ""  # Nadia has no department
    it_only = csv_rows(get(manager, export_url("tickets"), {**RANGE, "queue": "it"}))
    assert {row[0] for row in it_only[1:]} == story.refs("IT1", "IT4", "IT2", "IT3", "IT5")


def test_the_page_and_the_export_round_hours_alike(story: Story, manager: Client) -> None:
    with at(paris(2026, 6, 1, 10, 0)):
        ticket = file_ticket(story.cast.employee, problem="login-access")
        services.ticket_log_time(ticket=ticket, agent=story.cast.it_agent, minutes=15)

    page = page_of(get(manager, DASHBOARD, JUNE))
    rows = csv_rows(get(manager, export_url("cost-queue"), JUNE))

    assert rows[1][:2] == page.tables["cost-queue"][0][:2]


@pytest.fixture
def hostile(story: Story) -> dict[str, str]:
    """Names a spreadsheet would run as formulas, in every place an export prints a name."""
    department = Department.objects.create(name='=HYPERLINK("http://evil.example","Click")')
    mallory = user_create(
        email="mallory@example.com", full_name="Mallory", password=PASSWORD, department=department
    )
    minus = user_create(
        email="eve@example.com",
        full_name="-Eve Minus",
        password=PASSWORD,
        role=User.Role.AGENT,
        department=department,
    )
    cast = story.cast
    cast.it.members.add(minus)
    Platform.objects.create(name="+Threads", slug="threads", position=9)
    Queue.objects.filter(pk=cast.it.pk).update(name="@IT")
    with at(paris(2026, 11, 10, 10, 0)):
        ticket = file_ticket(
            mallory, problem="login-access", platform="threads", subject="=2+5*cmd|' /C calc'!A0"
        )
        services.ticket_claim(ticket=ticket, actor=minus)
        services.ticket_log_time(ticket=ticket, agent=minus, minutes=60, note="=1+1")
    return {
        "department": department.name,
        "agent": minus.full_name,
        "platform": "+Threads",
        "queue": "@IT",
        "subject": ticket.subject,
    }


def test_exports_neutralise_formulas_in_names(hostile: dict[str, str], manager: Client) -> None:
    quoted = {name: "'" + value for name, value in hostile.items()}

    threads = {**RANGE, "platform": "threads"}
    (ticket,) = csv_rows(get(manager, export_url("tickets"), threads))[1:]
    assert ticket[1] == quoted["subject"]
    assert ticket[5:7] == [quoted["queue"], quoted["platform"]]
    assert ticket[10:12] == [quoted["department"], quoted["agent"]]
    assert csv_rows(get(manager, export_url("cost-department"), threads))[1:] == [
        [quoted["department"], "1.0", "85.00"]
    ]
    assert csv_rows(get(manager, export_url("cost-platform"), threads))[1:] == [
        [quoted["platform"], "1.0", "85.00"]
    ]
    assert csv_rows(get(manager, export_url("agents"), threads))[1:] == [[quoted["agent"], "1", "0"]]
    for key in TABLES:
        for row in csv_rows(get(manager, export_url(key), RANGE))[1:]:
            assert not [cell for cell in row if cell.startswith(FORMULA_STARTS)], (key, row)


# ---- the admin's ticket list: the filters managers use ------------------------------------------


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ({"sla": "on-track"}, {"LATE"}),
        ({"sla": "at-risk"}, {"IT3", "MK2"}),
        ({"sla": "breached"}, {"OLD", "CO2"}),
        ({"sla": "paused"}, {"MK3"}),
        ({"sla": "ever-breached"}, {"OLD", "IT4", "CO2"}),
        ({"age": "1"}, {"LATE", "MK3"}),
        ({"age": "3"}, {"MK2"}),
        ({"age": "7"}, {"MK1", "IT3", "CO3", "IT5"}),
        ({"age": "30"}, {"PRE", "IT1", "IT4", "CO1", "IT2", "CO2"}),
        ({"age": "old"}, {"OLD"}),
        ({"sla": "breached", "age": "old"}, {"OLD"}),
    ],
)
def test_the_ticket_list_filters_by_sla_state_and_age(
    story: Story, manager: Client, query: dict[str, str], keys: set[str]
) -> None:
    assert refs(get(manager, TICKETS, query)) == story.refs(*keys)


def test_the_ticket_list_filters_by_requester_department(
    story: Story, manager: Client, finance: Department
) -> None:
    response = get(manager, TICKETS, {"requester__department__id__exact": str(finance.pk)})

    assert refs(response) == story.refs("OLD", "IT2", "CO2", "MK2", "LATE")


def test_the_ticket_list_has_a_date_hierarchy(story: Story, manager: Client) -> None:
    response = get(manager, TICKETS, {"created_at__year": "2026", "created_at__month": "10"})

    assert refs(response) == story.refs("OLD", "PRE")


def ticket_links(page: DashboardPage, section: str) -> list[tuple[str, str]]:
    return [(text, href) for text, href in page.links.get(section, []) if href.startswith(TICKETS)]


def followed(manager: Client, href: str) -> tuple[tuple[str, str, str], set[str]]:
    query = parse_qs(urlsplit(href).query)
    queue = Queue.objects.get(pk=query["queue__id__exact"][0]).name
    targets = Policy.objects.get(pk=query["sla_policy__id__exact"][0]).name
    return (query["sla"][0], queue, targets), refs(get(manager, href))


def test_the_breached_and_at_risk_links_lead_to_exactly_those_tickets(story: Story, manager: Client) -> None:
    page = page_of(get(manager, DASHBOARD, RANGE))

    lists = {}
    for count, href in ticket_links(page, "sla"):
        row, listed = followed(manager, href)
        assert len(listed) == int(count), row
        lists[row] = listed

    assert lists == {
        ("breached", "Communications", "Normal"): story.refs("CO2"),  # filed Normal, raised on breach
        ("at-risk", "IT", "Normal"): story.refs("IT3"),
        ("at-risk", "Marketing", "Normal"): story.refs("MK2"),
    }


def test_the_breached_figure_links_to_exactly_the_tickets_it_counts(story: Story, manager: Client) -> None:
    page = page_of(get(manager, DASHBOARD, RANGE))
    (href,) = [href for text, href in ticket_links(page, "top") if text == "breached and open"]

    assert refs(get(manager, href)) == story.refs("CO2")


def test_a_row_link_keeps_the_range_and_the_platform(story: Story, manager: Client) -> None:
    with at(paris(2026, 11, 16, 9, 0)):  # after the range; first-response warning at 12:00
        file_ticket(story.cast.employee, problem="publishing-problem", platform="blog")
    page = page_of(get(manager, DASHBOARD, {**RANGE, "platform": "facebook"}))
    (href,) = [href for _, href in ticket_links(page, "sla")]

    assert followed(manager, href) == (("at-risk", "IT", "Normal"), story.refs("IT3"))


def test_the_at_risk_link_of_a_ticket_that_missed_its_first_response(story: Story, manager: Client) -> None:
    with at(paris(2026, 6, 1, 9, 0)):  # a Monday
        ticket = file_ticket(story.cast.employee, problem="login-access")
    sweep(paris(2026, 6, 1, 13, 0))  # first response breached; the priority goes up to High
    with at(paris(2026, 6, 1, 14, 0)):
        services.ticket_reply(ticket=ticket, author=story.cast.it_agent, body="Sorry.")
    # Resolution warning Wednesday 11:15, due 18:00.
    moment = paris(2026, 6, 3, 12, 0)
    page = page_of(get(manager, DASHBOARD, JUNE, moment=moment))
    (at_risk,) = [href for _, href in ticket_links(page, "sla") if "sla=at-risk" in href]

    with at(moment):
        assert refs(manager.get(at_risk)) == {ticket.reference}


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
