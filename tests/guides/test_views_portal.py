"""The portal's guides: browsing, searching, reading, feedback and views, for each kind of reader."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from guides.models import Guide, GuideFeedback, GuideView

from ..conftest import Cast, client_for, platform
from ..tickets.pages import query_count, shown
from .conftest import guide_make, guides_state


@pytest.fixture
def guide(cast: Cast) -> Guide:
    return guide_make(
        cast.it_agent,
        title="The blog shows an error",
        summary="What to check and what to send.",
        body="## Check\n\nReload once, then [read this](/guides/other/).\n",
        platforms=["blog"],
    )


@pytest.fixture
def staff_guide(cast: Cast) -> Guide:
    return guide_make(
        cast.it_agent, title="Desk checklist for hacked accounts", audience=Guide.Audience.STAFF
    )


@pytest.fixture
def draft(cast: Cast) -> Guide:
    return guide_make(cast.it_agent, title="Half-written guide", status=Guide.Status.DRAFT)


# ---- who sees what ---------------------------------------------------------------------------


def test_anonymous_readers_are_sent_to_log_in(guide: Guide) -> None:
    for url in [reverse("guides:list"), guide.get_absolute_url()]:
        assertRedirects(
            Client().get(url), f"{reverse('accounts:login')}?next={quote(url)}", fetch_redirect_response=False
        )


def test_anonymous_posts_change_nothing(guide: Guide) -> None:
    before = guides_state()

    for name in ("guides:feedback", "guides:viewed"):
        response = Client().post(reverse(name, args=[guide.slug]), {"helpful": "yes"})
        assert response.status_code == 302

    assert guides_state() == before


def test_an_employee_reads_a_published_guide(cast: Cast, guide: Guide) -> None:
    response = client_for(cast.employee).get(guide.get_absolute_url())

    assert response.status_code == 200
    page = shown(response)
    assert "The blog shows an error" in page and "Did this answer your question?" in page
    assert "<h2>Check</h2>" in response.content.decode()
    assert "Edit this guide" not in page


@pytest.mark.parametrize("which", ["staff_guide", "draft"])
def test_staff_only_guides_and_drafts_do_not_exist_for_employees(
    cast: Cast, request: pytest.FixtureRequest, which: str
) -> None:
    hidden: Guide = request.getfixturevalue(which)
    employee = client_for(cast.employee)

    assert employee.get(hidden.get_absolute_url()).status_code == 404
    assert (
        employee.post(reverse("guides:feedback", args=[hidden.slug]), {"helpful": "yes"}).status_code == 404
    )
    assert employee.post(reverse("guides:viewed", args=[hidden.slug])).status_code == 404
    assert hidden.title not in shown(employee.get(reverse("guides:list")))
    assert list(employee.get(reverse("guides:list"), {"q": hidden.title}).context["guides"]) == []
    assert not GuideFeedback.objects.exists() and not GuideView.objects.exists()


def test_staff_read_staff_only_guides_but_no_drafts_on_the_portal(
    cast: Cast, staff_guide: Guide, draft: Guide
) -> None:
    agent = client_for(cast.it_agent)

    assert agent.get(staff_guide.get_absolute_url()).status_code == 200
    assert "Staff only" in shown(agent.get(reverse("guides:list")))
    assert agent.get(draft.get_absolute_url()).status_code == 404


def test_an_unknown_guide_is_not_found(cast: Cast) -> None:
    assert client_for(cast.employee).get(reverse("guides:guide", args=["no-such-guide"])).status_code == 404


# ---- browsing and searching ------------------------------------------------------------------


def test_browse_by_platform_and_topic(cast: Cast, guide: Guide) -> None:
    other = guide_make(
        cast.it_agent, title="Posting tips", topic=Guide.Topic.SUCCESS_TIPS, platforms=["linkedin"]
    )
    employee = client_for(cast.employee)

    by_platform = shown(employee.get(reverse("guides:list"), {"platform": "blog"}))
    by_topic = shown(employee.get(reverse("guides:list"), {"topic": "success-tips"}))

    assert guide.title in by_platform and other.title not in by_platform
    assert other.title in by_topic and guide.title not in by_topic
    assert "Guides on success tips" in by_topic


def test_an_unknown_filter_is_ignored(cast: Cast, guide: Guide) -> None:
    response = client_for(cast.employee).get(
        reverse("guides:list"), {"platform": "myspace", "topic": "gossip"}
    )

    assert response.status_code == 200
    assert guide.title in shown(response)


def test_search_lists_best_matches_and_says_when_there_are_none(cast: Cast, guide: Guide) -> None:
    employee = client_for(cast.employee)

    assert guide.title in shown(employee.get(reverse("guides:list"), {"q": "blog"}))
    nothing = shown(employee.get(reverse("guides:list"), {"q": "mastodon"}))
    assert "No guide matches “mastodon”" in nothing and "New request" in nothing


def test_the_list_pages_through_many_guides(cast: Cast) -> None:
    for number in range(30):
        guide_make(cast.it_agent, title=f"Guide {number:02d}")
    employee = client_for(cast.employee)

    first = employee.get(reverse("guides:list"))
    titles = [g.title for g in first.context["guides"]]
    second = employee.get(reverse("guides:list"), {"after": first.context["page"].next_cursor})

    assert len(titles) == 24 and titles[0] == "Guide 00"
    assert [g.title for g in second.context["guides"]] == [f"Guide {n}" for n in range(24, 30)]


def test_the_guide_list_costs_the_same_number_of_queries_however_many_guides(cast: Cast) -> None:
    employee = client_for(cast.employee)
    guide_make(cast.it_agent, platforms=["blog"])
    url = reverse("guides:list")
    query_count(employee, url)  # warm the session and the content types
    few = query_count(employee, url)
    for number in range(15):
        guide_make(cast.it_agent, platforms=["blog", "linkedin"], title=f"More {number}")

    assert query_count(employee, url) == few


def test_guide_search_costs_the_same_number_of_queries_however_many_match(cast: Cast) -> None:
    employee = client_for(cast.employee)
    guide_make(cast.it_agent, title="Hacked account", platforms=["twitter-x"])
    url = reverse("guides:list") + "?q=hacked&platform=twitter-x"
    query_count(employee, url)
    few = query_count(employee, url)
    for number in range(15):
        guide_make(cast.it_agent, title=f"Hacked again {number}", platforms=["twitter-x", "facebook"])

    response_queries = query_count(employee, url)
    assert response_queries == few


def test_the_guide_page_costs_the_same_number_of_queries_however_many_related(
    cast: Cast, guide: Guide
) -> None:
    employee = client_for(cast.employee)
    url = guide.get_absolute_url()
    query_count(employee, url)
    few = query_count(employee, url)
    for number in range(8):
        guide_make(cast.it_agent, title=f"Blog {number}", platforms=["blog"])

    assert query_count(employee, url) == few


def test_related_guides_share_the_topic_or_a_platform_closest_first(cast: Cast, guide: Guide) -> None:
    both = guide_make(cast.it_agent, title="Z both", platforms=["blog"])
    platform_only = guide_make(
        cast.it_agent, title="A platform", platforms=["blog"], topic=Guide.Topic.SECURITY
    )
    topic_only = guide_make(cast.it_agent, title="B topic")
    guide_make(cast.it_agent, title="Unrelated", topic=Guide.Topic.SECURITY, platforms=["linkedin"])
    guide_make(cast.it_agent, title="Hidden", platforms=["blog"], audience=Guide.Audience.STAFF)

    related = client_for(cast.employee).get(guide.get_absolute_url()).context["related"]

    assert [g.title for g in related] == [both.title, platform_only.title, topic_only.title]


# ---- reading changes nothing; feedback and views by POST -------------------------------------


def test_reading_a_guide_changes_nothing(cast: Cast, guide: Guide) -> None:
    employee = client_for(cast.employee)
    before = guides_state()

    employee.get(guide.get_absolute_url())
    employee.get(reverse("guides:list"), {"q": "blog"})
    for name in ("guides:feedback", "guides:viewed"):
        assert employee.get(reverse(name, args=[guide.slug]), {"helpful": "yes"}).status_code == 405

    assert guides_state() == before


def test_a_view_is_counted_once_per_reader_in_a_while(cast: Cast, guide: Guide) -> None:
    employee, other = client_for(cast.employee), client_for(cast.other_employee)
    url = reverse("guides:viewed", args=[guide.slug])

    assert employee.post(url).status_code == 204
    employee.post(url)
    other.post(url)

    assert sorted(GuideView.objects.values_list("person__email", flat=True)) == sorted(
        [cast.employee.email, cast.other_employee.email]
    )


def test_feedback_is_one_per_reader_and_can_be_changed(cast: Cast, guide: Guide) -> None:
    employee = client_for(cast.employee)
    url = reverse("guides:feedback", args=[guide.slug])

    first = employee.post(url, {"helpful": "no", "comment": "Nothing about the <b>admin</b> page."})
    assertRedirects(first, f"{guide.get_absolute_url()}#feedback", fetch_redirect_response=False)
    employee.post(url, {"helpful": "yes", "comment": ""})

    feedback = GuideFeedback.objects.get()
    assert (feedback.person, feedback.helpful, feedback.comment) == (cast.employee, True, "")
    page = employee.get(guide.get_absolute_url())
    assert "You answered <strong>yes</strong>" in shown(page)


def test_feedback_without_an_answer_says_what_to_do_and_keeps_the_comment(cast: Cast, guide: Guide) -> None:
    response = client_for(cast.employee).post(
        reverse("guides:feedback", args=[guide.slug]), {"comment": "Where is <script>alert(1)</script>?"}
    )

    assert response.status_code == 400
    assert "Choose yes or no." in shown(response)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()
    assert not GuideFeedback.objects.exists()


def test_a_guide_page_asks_for_the_view_by_post_from_a_script_file(cast: Cast, guide: Guide) -> None:
    html = client_for(cast.employee).get(guide.get_absolute_url()).content.decode()

    assert (
        f'<form id="guide-viewed" method="post" action="{reverse("guides:viewed", args=[guide.slug])}"'
        in html
    )
    assert '<script src="/static/js/guides.js"></script>' in html


def test_the_nav_links_to_the_guides(cast: Cast, guide: Guide) -> None:
    html = client_for(cast.employee).get(reverse("guides:list")).content.decode()

    assert f'class="nav-link active" href="{reverse("guides:list")}">Guides</a>' in html


def test_platform_labels_come_from_the_platforms(cast: Cast, guide: Guide) -> None:
    assert platform("blog").name in shown(client_for(cast.employee).get(guide.get_absolute_url()))


def test_no_queries_leak_between_pages(cast: Cast, guide: Guide) -> None:
    # The guide page fetches the guide, its platforms, the reader's answer and the related
    # guides; it must not fetch each related guide's platforms one by one.
    employee = client_for(cast.employee)
    employee.get(guide.get_absolute_url())
    with CaptureQueriesContext(connection) as context:
        employee.get(guide.get_absolute_url())
    platform_queries = [q for q in context.captured_queries if "tickets_platform" in q["sql"]]
    assert len(platform_queries) == 1
