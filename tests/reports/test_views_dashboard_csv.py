"""The dashboard's CSV export, and the admin's ticket list filters managers use."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import HttpResponse
from django.test import Client

from accounts.models import Department, User
from accounts.services import user_create
from reports.tables import TABLES
from sla.models import Policy
from tickets import services
from tickets.models import Platform, Queue

from ..conftest import PASSWORD
from ..factories import file_ticket
from .conftest import Story, at, paris, sweep
from .dashboard_page import DASHBOARD, RANGE, TICKETS, DashboardPage, csv_rows, export_url, get, page_of

# Tickets a test makes for itself go in June or July, away from the story (and before the
# real today, so that the test client's session has not expired at that time).
JUNE = {"range": "custom", "start": "2026-06-01", "end": "2026-06-04"}
PAGE_TABLES = [key for key in TABLES if key != "tickets"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
