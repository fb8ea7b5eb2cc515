"""Dates the dashboard can't use: out of range, reversed, malformed.

The page explains and shows the last 30 days; every CSV answers 400 with the reason before
sending a byte, rather than a 200 whose stream breaks half-way.
"""

from __future__ import annotations

import html
import re

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from reports.tables import TABLES

from ..conftest import client_for
from .conftest import NOW, Story, at

DASHBOARD = reverse("reports:dashboard")
TODAY_IN_A_YEAR = "2027-11-16"  # NOW is 16 November 2026
OUT_OF_RANGE = "Choose dates between 1 Jan 2000 and 16 Nov 2027."
LAST_30_DAYS = "18 Oct 2026 – 16 Nov 2026"

out_of_range = pytest.mark.parametrize(
    "dates",
    [
        pytest.param({"start": "9999-12-30", "end": "9999-12-31"}, id="year-9999"),
        pytest.param({"start": "0001-01-01", "end": "0001-01-02"}, id="year-1"),
        pytest.param({"start": "1999-12-31", "end": "2000-01-10"}, id="before-2000"),
        pytest.param({"start": "2027-11-01", "end": "2027-11-17"}, id="over-a-year-ahead"),
    ],
)
malformed = pytest.mark.parametrize(
    ("dates", "message"),
    [
        pytest.param(
            {"start": "2026-13-45", "end": "2026-11-15"},
            "“From” must be a date such as 2026-11-02; choose it in the calendar.",
            id="no-such-month",
        ),
        pytest.param(
            {"start": "2026-11-02", "end": "99999-01-01"},
            "“To” must be a date such as 2026-11-02; choose it in the calendar.",
            id="five-digit-year",
        ),
        pytest.param(
            {"start": "yesterday", "end": "2026-11-02'; --"},
            "“From” and “To” must be dates such as 2026-11-02; choose them in the calendar.",
            id="words",
        ),
    ],
)


def get(client: Client, url: str, data: dict[str, str]) -> HttpResponse:
    with at(NOW):
        return client.get(url, data)


def export_url(key: str) -> str:
    return reverse("reports:export", args=[key])


def error_shown(response: HttpResponse) -> str:
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    start = page.index('<p class="errornote">') + len('<p class="errornote">')
    return page[start : page.index("</p>", start)]


def csv_links(response: HttpResponse) -> set[str]:
    """The query strings of the page's CSV links."""
    prefix = re.escape(reverse("reports:export", args=["volume"]).removesuffix("volume.csv"))
    return set(re.findall(rf'href="{prefix}[\w-]+\.csv\?([^"]*)"', html.unescape(response.content.decode())))


def refused(response: HttpResponse) -> str:
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert not response.streaming
    return response.content.decode()


@pytest.fixture
def manager(story: Story) -> Client:
    return client_for(story.cast.manager)


# ---- out of range ---------------------------------------------------------------------------


@out_of_range
def test_the_dashboard_explains_dates_out_of_range_and_shows_the_last_30_days(
    manager: Client, dates: dict[str, str]
) -> None:
    response = get(manager, DASHBOARD, {"range": "custom", **dates})

    assert error_shown(response) == OUT_OF_RANGE
    assert LAST_30_DAYS in html.unescape(response.content.decode())
    # Its CSV links fetch what the page shows, not the refused dates.
    assert csv_links(response) == {"range=custom&start=2026-10-18&end=2026-11-16"}


@out_of_range
@pytest.mark.parametrize("table", list(TABLES))
def test_every_csv_refuses_dates_out_of_range_before_streaming(
    manager: Client, dates: dict[str, str], table: str
) -> None:
    response = get(manager, export_url(table), {"range": "custom", **dates})

    assert refused(response) == f"No CSV was made: {OUT_OF_RANGE}\n"


def test_the_first_and_last_allowed_days_are_accepted(manager: Client) -> None:
    for dates in (
        {"start": "2000-01-01", "end": "2000-01-31"},
        {"start": "2027-11-01", "end": TODAY_IN_A_YEAR},
    ):
        response = get(manager, DASHBOARD, {"range": "custom", **dates})
        assert response.status_code == 200
        assert '<p class="errornote">' not in response.content.decode()
        assert get(manager, export_url("volume"), {"range": "custom", **dates}).status_code == 200


def test_dates_out_of_range_are_ignored_by_a_preset(manager: Client) -> None:
    data = {"range": "7d", "start": "9999-12-30", "end": "9999-12-31"}

    response = get(manager, DASHBOARD, data)

    assert '<p class="errornote">' not in response.content.decode()
    assert "10 Nov 2026 – 16 Nov 2026" in html.unescape(response.content.decode())
    assert get(manager, export_url("tickets"), data).status_code == 200


# ---- malformed ------------------------------------------------------------------------------


@malformed
def test_the_dashboard_explains_a_malformed_date(
    manager: Client, dates: dict[str, str], message: str
) -> None:
    response = get(manager, DASHBOARD, {"range": "custom", **dates})

    assert error_shown(response) == message
    assert LAST_30_DAYS in html.unescape(response.content.decode())


@malformed
@pytest.mark.parametrize("table", ["volume", "sla", "tickets"])
def test_a_csv_refuses_a_malformed_date(
    manager: Client, dates: dict[str, str], message: str, table: str
) -> None:
    response = get(manager, export_url(table), {"range": "custom", **dates})

    assert refused(response) == f"No CSV was made: {message}\n"


def test_a_csv_refuses_an_unknown_queue_rather_than_exporting_every_queue(manager: Client) -> None:
    response = get(manager, export_url("backlog-queue"), {"range": "7d", "queue": "nope"})

    assert refused(response) == (
        "No CSV was made: Queue: Select a valid choice. That choice is not one of the available choices.\n"
    )


# ---- reversed -------------------------------------------------------------------------------


def test_reversed_dates_are_read_as_the_same_range(manager: Client) -> None:
    reversed_range = {"range": "custom", "start": "2026-11-15", "end": "2026-11-02"}

    response = get(manager, DASHBOARD, reversed_range)

    assert response.status_code == 200
    assert '<p class="errornote">' not in response.content.decode()
    assert "2 Nov 2026 – 15 Nov 2026" in html.unescape(response.content.decode())


@pytest.mark.parametrize("table", list(TABLES))
def test_every_csv_of_reversed_dates_is_that_of_the_range(manager: Client, table: str) -> None:
    ordered = get(manager, export_url(table), {"range": "custom", "start": "2026-11-02", "end": "2026-11-15"})
    reversed_range = get(
        manager, export_url(table), {"range": "custom", "start": "2026-11-15", "end": "2026-11-02"}
    )

    assert reversed_range.status_code == ordered.status_code == 200
    assert reversed_range["Content-Disposition"] == ordered["Content-Disposition"]
    assert b"".join(reversed_range.streaming_content) == b"".join(ordered.streaming_content)
