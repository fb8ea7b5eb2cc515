"""The desk's guide screens: who may open them, writing and publishing, pictures, revisions."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from guides.models import Guide, GuideFeedback, GuideImage, GuideRevision

from ..conftest import Cast, client_for, platform
from ..tickets.pages import PNG, messages_shown, query_count, shown
from .conftest import form_data, guide_make, guides_state

GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


@pytest.fixture
def guide(cast: Cast) -> Guide:
    return guide_make(cast.it_agent, title="Blocked sites", body="Ask IT.\n", platforms=["facebook"])


def desk_urls(guide: Guide) -> dict[str, str]:
    revision = guide.revisions.get(number=1)
    return {
        "desk_guides:list": reverse("desk_guides:list"),
        "desk_guides:new": reverse("desk_guides:new"),
        "desk_guides:edit": reverse("desk_guides:edit", args=[guide.pk]),
        "desk_guides:revisions": reverse("desk_guides:revisions", args=[guide.pk]),
        "desk_guides:revision": reverse("desk_guides:revision", args=[revision.pk]),
    }


DESK_POSTS = ["desk_guides:new", "desk_guides:edit", "desk_guides:image_add", "desk_guides:preview"]


def post_url(name: str, guide: Guide) -> str:
    return (
        reverse(name, args=[guide.pk])
        if name in ("desk_guides:edit", "desk_guides:image_add")
        else reverse(name)
    )


# ---- who may open what -----------------------------------------------------------------------


def test_anonymous_people_are_sent_to_log_in_and_posts_change_nothing(guide: Guide) -> None:
    before = guides_state()
    for url in desk_urls(guide).values():
        assertRedirects(
            Client().get(url), f"{reverse('accounts:login')}?next={quote(url)}", fetch_redirect_response=False
        )
    for name in DESK_POSTS:
        assert Client().post(post_url(name, guide), form_data(guide)).status_code == 302
    assert guides_state() == before


def test_employees_are_forbidden_every_desk_page_and_action(cast: Cast, guide: Guide) -> None:
    employee = client_for(cast.employee)
    before = guides_state()

    for url in desk_urls(guide).values():
        assert employee.get(url).status_code == 403, url
    for name in DESK_POSTS:
        data = {**form_data(guide, title="Taken over"), "image": SimpleUploadedFile("a.png", PNG)}
        assert employee.post(post_url(name, guide), data).status_code == 403, name

    assert guides_state() == before


@pytest.mark.parametrize("agent", ["it_agent", "marketing_agent", "comms_agent", "manager", "admin"])
def test_every_desk_role_opens_every_guide_page(cast: Cast, guide: Guide, agent: str) -> None:
    client = client_for(getattr(cast, agent))
    headings = {
        "desk_guides:list": guide.title,
        "desk_guides:new": "New guide",
        "desk_guides:edit": f"Edit “{guide.title}”",
        "desk_guides:revisions": f"Revisions of “{guide.title}”",
        "desk_guides:revision": f"Revision 1 of “{guide.title}”",
    }

    for name, url in desk_urls(guide).items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert headings[name] in shown(response), url


def test_opening_the_desk_pages_changes_nothing(cast: Cast, guide: Guide) -> None:
    client = client_for(cast.it_agent)
    before = guides_state()

    for url in desk_urls(guide).values():
        client.get(url)
    for name in ("desk_guides:image_add", "desk_guides:preview"):
        assert client.get(post_url(name, guide)).status_code == 405

    assert guides_state() == before


def test_unknown_guides_and_revisions_are_not_found(cast: Cast) -> None:
    client = client_for(cast.it_agent)

    for name in ("desk_guides:edit", "desk_guides:revisions", "desk_guides:revision"):
        assert client.get(reverse(name, args=[999_999])).status_code == 404


# ---- writing ---------------------------------------------------------------------------------


def test_an_agent_writes_a_draft_that_employees_cannot_see(cast: Cast) -> None:
    response = client_for(cast.it_agent).post(
        reverse("desk_guides:new"),
        form_data(platforms=[platform("facebook").pk], note="First go"),
    )

    guide = Guide.objects.get()
    assertRedirects(response, guide.get_desk_url(), fetch_redirect_response=False)
    assert (guide.status, guide.slug, guide.revisions.get().note) == (
        "draft",
        "reporting-a-fake-company-account",
        "First go",
    )
    assert client_for(cast.employee).get(guide.get_absolute_url()).status_code == 404


def test_the_editor_says_what_is_missing_and_keeps_what_was_typed(cast: Cast) -> None:
    response = client_for(cast.it_agent).post(
        reverse("desk_guides:new"), form_data(title="", body="Half a <script>thought</script>")
    )

    assert response.status_code == 400
    page = shown(response)
    assert "Give the guide a title, the question it answers." in page
    assert "Half a &lt;script&gt;thought&lt;/script&gt;" in response.content.decode()
    assert not Guide.objects.exists()


def test_an_edit_saves_a_new_revision_and_says_which_links_were_left_out(cast: Cast, guide: Guide) -> None:
    response = client_for(cast.marketing_agent).post(
        reverse("desk_guides:edit", args=[guide.pk]),
        form_data(guide, body="Ask IT. [Evil](javascript:alert(1))\n", note="Link"),
        follow=True,
    )

    guide.refresh_from_db()
    assert guide.revisions.count() == 2
    assert "<a" not in guide.body_html
    warnings = [text for level, text in messages_shown(response) if level == "warning"]
    assert warnings and "javascript:alert(1)" in warnings[0]


def test_an_edit_over_someone_elses_newer_save_is_refused_and_the_text_kept(cast: Cast, guide: Guide) -> None:
    stale = form_data(guide, body="My version.")
    client_for(cast.comms_agent).post(
        reverse("desk_guides:edit", args=[guide.pk]), form_data(guide, body="Theirs.")
    )

    response = client_for(cast.it_agent).post(reverse("desk_guides:edit", args=[guide.pk]), stale)

    assert response.status_code == 409
    assert "saved this guide while you were editing it" in shown(response)
    assert "My version." in shown(response)
    assert Guide.objects.get(pk=guide.pk).body == "Theirs."


@pytest.mark.parametrize("topic", [Guide.Topic.POLICY, Guide.Topic.ETIQUETTE])
def test_a_wrong_role_publishing_policy_is_refused_with_a_reason(cast: Cast, topic: str) -> None:
    before = guides_state()

    response = client_for(cast.it_agent).post(
        reverse("desk_guides:new"), form_data(topic=topic, status=Guide.Status.PUBLISHED)
    )

    assert response.status_code == 403
    assert "Communications publishes" in shown(response)
    assert guides_state() == before


def test_communications_publishes_policy_from_the_desk(cast: Cast) -> None:
    client_for(cast.comms_agent).post(
        reverse("desk_guides:new"), form_data(topic=Guide.Topic.POLICY, status=Guide.Status.PUBLISHED)
    )

    assert Guide.objects.get().is_published


def test_a_published_policy_guide_opens_read_only_for_other_agents(cast: Cast) -> None:
    policy = guide_make(cast.comms_agent, topic=Guide.Topic.POLICY)

    response = client_for(cast.it_agent).get(policy.get_desk_url())
    refused = client_for(cast.it_agent).post(policy.get_desk_url(), form_data(policy, body="Changed.\n"))

    assert "Communications keeps published policy guides" in shown(response)
    assert 'type="submit" disabled' in response.content.decode()
    assert refused.status_code == 403
    assert Guide.objects.get(pk=policy.pk).body == policy.body


def test_a_draft_policy_guide_tells_other_agents_who_publishes_it(cast: Cast) -> None:
    draft = guide_make(cast.it_agent, topic=Guide.Topic.POLICY, status=Guide.Status.DRAFT)

    page = shown(client_for(cast.it_agent).get(draft.get_desk_url()))

    assert "someone in the Communications queue, or a manager, publishes it" in page
    assert "publishes it" not in shown(client_for(cast.comms_agent).get(draft.get_desk_url()))


def test_preview_renders_safely_and_saves_nothing(cast: Cast, guide: Guide) -> None:
    before = guides_state()

    response = client_for(cast.it_agent).post(
        reverse("desk_guides:preview"),
        {"body": "**Bold** <img src=x onerror=alert(1)> ![x](https://evil.example/a.png)", "guide": guide.pk},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert "<strong>Bold</strong>" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "https://evil.example/a.png" in shown(response) and "<img" not in html
    assert guides_state() == before


# ---- pictures --------------------------------------------------------------------------------


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_picture_uploaded_to_the_guide_shows_in_it(cast: Cast, guide: Guide) -> None:
    agent = client_for(cast.it_agent)
    agent.post(
        reverse("desk_guides:image_add", args=[guide.pk]), {"image": upload("settings.gif", GIF, "image/gif")}
    )
    image = GuideImage.objects.get()
    url = image.get_absolute_url()

    agent.post(guide.get_desk_url(), form_data(guide, body=f"![The settings page]({url})\n"))
    served = client_for(cast.employee).get(url)

    assert image.content_type == "image/gif"
    assert f'<img src="{url}" alt="The settings page">' in Guide.objects.get(pk=guide.pk).body_html
    assert served.status_code == 200 and served["Content-Type"] == "image/gif"
    assert served["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == GIF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("drawing.svg", SVG, "isn't a PNG, JPEG, GIF or WebP picture"),
        ("drawing.png", SVG, "isn't a PNG, JPEG, GIF or WebP picture"),
        ("page.png", b"<html><script>alert(1)</script></html>", "isn't a PNG, JPEG, GIF or WebP picture"),
        ("program.png", b"MZ\x90\x00" + b"\x00" * 20, "isn't a PNG, JPEG, GIF or WebP picture"),
        ("empty.png", b"", "is empty"),
    ],
)
def test_uploads_that_are_not_pictures_are_refused(
    cast: Cast, guide: Guide, name: str, content: bytes, message: str
) -> None:
    response = client_for(cast.it_agent).post(
        reverse("desk_guides:image_add", args=[guide.pk]), {"image": upload(name, content)}, follow=True
    )

    assert any(message in text for level, text in messages_shown(response) if level == "danger"), (
        messages_shown(response)
    )
    assert not GuideImage.objects.exists()


def test_an_oversized_picture_is_refused_with_the_limit(
    cast: Cast, guide: Guide, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("guides.images.IMAGE_MAX_BYTES", 1024)

    response = client_for(cast.it_agent).post(
        reverse("desk_guides:image_add", args=[guide.pk]),
        {"image": upload("big.png", PNG + b"\x00" * 2000)},
        follow=True,
    )

    assert any("may be at most 1.0\xa0KB" in text for _, text in messages_shown(response))
    assert not GuideImage.objects.exists()


def test_another_guides_picture_is_not_shown(cast: Cast, guide: Guide) -> None:
    other = guide_make(cast.it_agent, title="Other")
    client_for(cast.it_agent).post(
        reverse("desk_guides:image_add", args=[other.pk]), {"image": upload("a.png", PNG)}
    )
    url = GuideImage.objects.get().get_absolute_url()

    client_for(cast.it_agent).post(guide.get_desk_url(), form_data(guide, body=f"![x]({url})\n"))

    assert "<img" not in Guide.objects.get(pk=guide.pk).body_html


def test_pictures_of_hidden_guides_are_not_found_for_employees(cast: Cast) -> None:
    staff_only = guide_make(cast.it_agent, audience=Guide.Audience.STAFF)
    client_for(cast.it_agent).post(
        reverse("desk_guides:image_add", args=[staff_only.pk]), {"image": upload("a.png", PNG)}
    )
    url = GuideImage.objects.get().get_absolute_url()

    assert client_for(cast.employee).get(url).status_code == 404
    response = client_for(cast.it_agent).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert Client().get(url).status_code == 302


# ---- revisions -------------------------------------------------------------------------------


def test_the_revision_page_shows_the_change_word_by_word_escaped(cast: Cast) -> None:
    guide = guide_make(cast.it_agent, body="Ask IT for an exception, and say which site you need.")
    client = client_for(cast.it_agent)
    client.post(
        guide.get_desk_url(),
        form_data(
            guide,
            body="Ask IT for an exception <script>x</script>, and say which sites you need.",
            note="Sooner",
        ),
    )
    second = GuideRevision.objects.get(guide=guide, number=2)

    response = client.get(second.get_absolute_url())

    html = response.content.decode()
    assert "compared with" in shown(response) and "“Sooner”" in shown(response)
    assert "<ins> &lt;script&gt;x&lt;/script&gt;</ins>" in html
    assert "<del>site</del>" in html and "<ins>sites</ins>" in html
    assert "<script>x" not in html


def test_the_revisions_list_names_every_revision(cast: Cast, guide: Guide) -> None:
    client_for(cast.it_agent).post(guide.get_desk_url(), form_data(guide, body="Two.\n", note="Second"))

    page = shown(client_for(cast.it_agent).get(reverse("desk_guides:revisions", args=[guide.pk])))

    assert "Revision 2" in page and "Second" in page and "Revision 1" in page


# ---- the list ----------------------------------------------------------------------------------


def test_the_desk_list_shows_drafts_and_reader_counts(cast: Cast, guide: Guide) -> None:
    draft = guide_make(cast.it_agent, title="Unfinished", status=Guide.Status.DRAFT)
    GuideFeedback.objects.create(guide=guide, person=cast.employee, helpful=True)
    GuideFeedback.objects.create(guide=guide, person=cast.other_employee, helpful=False)

    response = client_for(cast.it_agent).get(reverse("desk_guides:list"))

    rows = {g.title: (g.helpful_count, g.unhelpful_count) for g in response.context["guides"]}
    assert rows == {guide.title: (1, 1), draft.title: (0, 0)}


def test_the_desk_list_filters_by_status_and_searches(cast: Cast, guide: Guide) -> None:
    guide_make(cast.it_agent, title="Unfinished", status=Guide.Status.DRAFT)
    client = client_for(cast.it_agent)

    drafts = client.get(reverse("desk_guides:list"), {"status": "draft"}).context["guides"]
    found = client.get(reverse("desk_guides:list"), {"q": "facebook"}).context["guides"]

    assert [g.title for g in drafts] == ["Unfinished"]
    assert [g.title for g in found] == [guide.title]


def test_the_desk_list_costs_the_same_number_of_queries_however_many_guides(cast: Cast, guide: Guide) -> None:
    client = client_for(cast.it_agent)
    url = reverse("desk_guides:list")
    query_count(client, url)
    few = query_count(client, url)
    for number in range(12):
        more = guide_make(cast.it_agent, title=f"Extra {number}", platforms=["blog", "linkedin"])
        GuideFeedback.objects.create(guide=more, person=cast.employee, helpful=True)

    assert query_count(client, url) == few
    assert query_count(client, url + "?q=extra") == query_count(client, url + "?q=blocked")
