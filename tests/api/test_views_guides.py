"""Guides through the API: the published guides a person may read, as the portal shows them."""

from __future__ import annotations

import pytest

from guides.models import Guide

from ..conftest import Cast
from ..guides.conftest import guide_make, guides_state
from .conftest import ApiClient, api_as
from .test_queries import queries

pytestmark = pytest.mark.django_db

GUIDES = "/api/v1/guides/"


def slugs(response: object) -> set[str]:
    return {row["slug"] for row in response.json()["results"]}  # type: ignore[attr-defined]


@pytest.fixture
def shelf(cast: Cast) -> dict[str, Guide]:
    return {
        "public": guide_make(cast.comms_agent, title="Posting about work", platforms=["linkedin"]),
        "staff": guide_make(
            cast.comms_agent, title="Handling a hacked account", audience=Guide.Audience.STAFF
        ),
        "draft": guide_make(cast.comms_agent, title="Unfinished advice", status=Guide.Status.DRAFT),
    }


def test_employees_read_published_guides_for_everyone(cast: Cast, shelf: dict[str, Guide]) -> None:
    assert slugs(api_as(cast.employee).get(GUIDES)) == {shelf["public"].slug}
    assert slugs(api_as(cast.it_agent).get(GUIDES)) == {shelf["public"].slug, shelf["staff"].slug}


def test_a_guide_shows_its_markdown_and_safe_html(cast: Cast, shelf: dict[str, Guide]) -> None:
    body = api_as(cast.employee).get(f"{GUIDES}{shelf['public'].slug}/").json()
    assert body["title"] == "Posting about work"
    assert body["body"].startswith("## What to do")
    assert "<h2" in body["body_html"]
    assert [p["slug"] for p in body["platforms"]] == ["linkedin"]


@pytest.mark.parametrize("which", ["staff", "draft"])
def test_guides_an_employee_may_not_read_are_404(cast: Cast, shelf: dict[str, Guide], which: str) -> None:
    response = api_as(cast.employee).get(f"{GUIDES}{shelf[which].slug}/")
    assert response.status_code == 404
    assert api_as(cast.employee).get(f"{GUIDES}no-such-guide/").status_code == 404


def test_guides_filter_and_search(cast: Cast, shelf: dict[str, Guide]) -> None:
    client = api_as(cast.it_agent)
    linkedin = shelf["public"].platforms.get().pk
    assert slugs(client.get(GUIDES, {"platform": linkedin})) == {shelf["public"].slug}
    found = client.get(GUIDES, {"q": "hacked"}).json()
    assert [row["slug"] for row in found["results"]] == [shelf["staff"].slug]
    assert found["next"] is None
    for params in ({"status": "draft"}, {"topic": "gossip"}, {"platform": "999999"}):
        assert client.get(GUIDES, params).status_code == 400


def test_guides_need_a_caller_and_change_nothing(cast: Cast, shelf: dict[str, Guide]) -> None:
    before = guides_state()
    assert ApiClient().get(GUIDES).status_code == 401
    api_as(cast.employee).get(f"{GUIDES}{shelf['public'].slug}/")
    assert api_as(cast.comms_agent).post(GUIDES, {"title": "x"}).status_code == 405
    assert guides_state() == before


def test_the_guide_list_costs_the_same_for_3_and_30_guides(cast: Cast, shelf: dict[str, Guide]) -> None:
    client = api_as(cast.employee)
    few = queries(client, f"{GUIDES}?page_size=100")
    for number in range(27):
        guide_make(cast.comms_agent, title=f"Guide {number}", platforms=["blog", "linkedin"])
    assert queries(client, f"{GUIDES}?page_size=100") == few
