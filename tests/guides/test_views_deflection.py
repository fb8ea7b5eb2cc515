"""Guides suggested beside the filing form, and "This solved it", which files nothing."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guides import suggestions
from guides.models import Deflection, Guide
from guides.seed import starter_guides_load
from tickets.models import Ticket

from ..conftest import Cast, client_for, platform, problem
from ..tickets.pages import shown
from .conftest import guide_make

HACKED = "the-first-fifteen-minutes-after-an-account-is-hacked"
SUGGEST = reverse("guides:suggestions")


@pytest.fixture(params=["database", "sqlite fallback"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "sqlite fallback":
        monkeypatch.setattr(suggestions, "connection", SimpleNamespace(vendor="sqlite"))
    return request.param


@pytest.fixture
def starters(cast: Cast) -> None:
    starter_guides_load()


def suggested(client: Client, **typed: object) -> list[str]:
    response = client.post(SUGGEST, typed)
    assert response.status_code == 200
    return re.findall(r'action="/guides/([\w-]+)/solved/"', response.content.decode())


def test_a_hacked_twitter_account_is_answered_by_the_hacked_account_guide(
    cast: Cast, starters: None, engine: str
) -> None:
    found = suggested(client_for(cast.employee), subject="our twitter account was hacked", description="")

    assert found[0] == HACKED
    assert len(found) <= 3
    assert f"{len(found)} guides may answer it: see below." in shown(
        client_for(cast.employee).post(SUGGEST, {"subject": "our twitter account was hacked"})
    )


def test_the_platform_and_problem_type_weigh_in(cast: Cast, starters: None) -> None:
    found = suggested(
        client_for(cast.employee),
        subject="someone is posting from our page",
        description="",
        platform=platform("facebook").pk,
        problem_type=problem("compromised-account").pk,
    )

    assert found and found[0] == HACKED


@pytest.mark.parametrize("subject", ["printer is broken", "my account", "hello", "", "?!"])
def test_nothing_appears_when_nothing_matches_well(
    cast: Cast, starters: None, engine: str, subject: str
) -> None:
    response = client_for(cast.employee).post(SUGGEST, {"subject": subject, "description": ""})

    assert response.status_code == 200
    page = response.content.decode()
    assert "These guides may answer it" not in page and "/solved/" not in page
    assert "may answer it: see below" not in page


def test_employees_are_not_offered_staff_only_or_draft_guides(cast: Cast) -> None:
    guide_make(cast.it_agent, title="Hacked account desk checklist", audience=Guide.Audience.STAFF)
    guide_make(cast.it_agent, title="Hacked account draft", status=Guide.Status.DRAFT)

    assert suggested(client_for(cast.employee), subject="hacked account checklist draft") == []
    assert len(suggested(client_for(cast.it_agent), subject="hacked account checklist draft")) == 1


def test_suggesting_records_nothing_and_a_get_is_refused(cast: Cast, starters: None) -> None:
    client = client_for(cast.employee)

    suggested(client, subject="our twitter account was hacked")

    assert client.get(SUGGEST, {"subject": "hacked"}).status_code == 405
    assert Deflection.objects.count() == 0
    assert Ticket.objects.count() == 0


def test_a_long_description_is_read_in_part_not_refused(cast: Cast, starters: None) -> None:
    found = suggested(
        client_for(cast.employee), subject="twitter account hacked", description="word " * 50_000
    )

    assert found[0] == HACKED


def test_suggestions_cost_the_same_queries_however_many_guides_there_are(cast: Cast, starters: None) -> None:
    client = client_for(cast.employee)
    typed = {"subject": "our twitter account was hacked", "platform": platform("twitter-x").pk}

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            client.post(SUGGEST, typed)
        return len(context.captured_queries)

    before = count()
    for number in range(15):
        guide_make(cast.it_agent, title=f"Hacked Twitter account, case {number}", platforms=["twitter-x"])
    assert count() == before


def test_anonymous_people_are_sent_to_log_in(cast: Cast, starters: None) -> None:
    assert Client().post(SUGGEST, {"subject": "hacked"}).status_code == 302
    assert Client().post(reverse("guides:solved", args=[HACKED])).status_code == 302
    assert Deflection.objects.count() == 0


# ---- This solved it ---------------------------------------------------------------------------


def test_this_solved_it_records_a_deflection_and_files_nothing(cast: Cast, starters: None) -> None:
    response = client_for(cast.employee).post(
        reverse("guides:solved", args=[HACKED]),
        {
            "subject": "our  twitter account was hacked",
            "platform": platform("twitter-x").pk,
            "problem_type": problem("compromised-account").pk,
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("guides:guide", args=[HACKED])
    assert "Nothing was filed" in shown(response)
    deflection = Deflection.objects.get()
    assert (deflection.guide.slug, deflection.person, deflection.subject) == (
        HACKED,
        cast.employee,
        "our twitter account was hacked",
    )
    assert (deflection.platform, deflection.problem_type) == (
        platform("twitter-x"),
        problem("compromised-account"),
    )
    assert Ticket.objects.count() == 0


def test_this_solved_it_needs_a_post_and_a_readable_guide(cast: Cast) -> None:
    staff = guide_make(cast.it_agent, title="Desk only", audience=Guide.Audience.STAFF)
    client = client_for(cast.employee)

    assert client.get(reverse("guides:solved", args=[staff.slug])).status_code == 405
    assert client.post(reverse("guides:solved", args=[staff.slug])).status_code == 404
    assert client.post(reverse("guides:solved", args=["no-such-guide"])).status_code == 404
    assert Deflection.objects.count() == 0


def test_this_solved_it_holds_csrf(cast: Cast, starters: None) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.employee)

    assert client.post(reverse("guides:solved", args=[HACKED])).status_code == 403
    assert Deflection.objects.count() == 0


def test_forged_platform_ids_are_ignored_not_stored(cast: Cast, starters: None) -> None:
    client_for(cast.employee).post(
        reverse("guides:solved", args=[HACKED]), {"platform": "99999", "problem_type": "x", "subject": "s"}
    )

    deflection = Deflection.objects.get()
    assert (deflection.platform, deflection.problem_type) == (None, None)


def test_the_filing_form_asks_for_suggestions_as_the_employee_types(cast: Cast) -> None:
    page = client_for(cast.employee).get(reverse("tickets:new")).content.decode()

    assert f'hx-post="{SUGGEST}"' in page
    assert "delay:500ms" in page


# ---- the desk: links in replies, guides from tickets -----------------------------------------


def test_the_picker_offers_published_guides_with_their_markdown_link(cast: Cast, starters: None) -> None:
    response = client_for(cast.it_agent).get(reverse("desk_guides:picker"), {"q": "hacked"})

    page = shown(response)
    assert response.status_code == 200
    assert "[The first fifteen minutes after an account is hacked](http" in page
    assert f"/guides/{HACKED}/)" in page


def test_the_picker_is_for_staff_only(cast: Cast, starters: None) -> None:
    url = reverse("desk_guides:picker")
    assert client_for(cast.employee).get(url, {"q": "hacked"}).status_code in (403, 404)
    assert Client().get(url, {"q": "hacked"}).status_code == 302


def test_the_picker_costs_the_same_queries_however_many_match(cast: Cast, starters: None) -> None:
    client = client_for(cast.it_agent)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("desk_guides:picker"), {"q": "hacked"}).status_code == 200
        return len(context.captured_queries)

    before = count()
    for number in range(6):
        guide_make(cast.it_agent, title=f"Hacked page {number}", platforms=["blog", "facebook"])
    assert count() == before


def test_a_guide_starts_from_a_ticket_the_agent_works(cast: Cast) -> None:
    from tickets.services import ticket_file

    ticket = ticket_file(
        requester=cast.employee,
        platform=platform("twitter-x"),
        problem_type=problem("compromised-account"),
        subject="Strange posts on our X account",
        description="Private details stay here.",
    )

    page = shown(client_for(cast.it_agent).get(reverse("desk_guides:new"), {"ticket": ticket.pk}))
    assert 'value="Strange posts on our X account"' in page
    assert f"Started from {ticket.reference}" in page
    assert "Private details" not in page
    assert (
        client_for(cast.marketing_agent).get(reverse("desk_guides:new"), {"ticket": ticket.pk}).status_code
        == 404
    )


def test_the_desk_ticket_page_offers_the_picker_and_a_guide_from_it(cast: Cast) -> None:
    from tickets.services import ticket_file

    ticket = ticket_file(
        requester=cast.employee,
        platform=platform("blog"),
        problem_type=problem("publishing-problem"),
        subject="The blog shows an error",
        description="Since this morning.",
    )

    page = client_for(cast.it_agent).get(ticket.get_desk_url()).content.decode()
    assert f'hx-get="{reverse("desk_guides:picker")}"' in page
    assert f"{reverse('desk_guides:new')}?ticket={ticket.pk}" in page
    assert 'data-insert-into="#id_body"' in page and 'id="id_body"' in page
