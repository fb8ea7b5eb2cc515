"""Every guides page, for each role that opens it, under the strict Content-Security-Policy:
no inline script, style or handler, and a body rendered from Markdown adds none."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guides import services
from guides.models import Guide

from ..conftest import Cast, client_for
from ..test_csp import assert_page_clean, assert_strict_policy
from ..tickets.pages import PNG
from .conftest import guide_make

HOSTILE = (
    "## Steps\n\n<script>alert(1)</script> <img src=x onerror=alert(1)> "
    "[x](javascript:alert(1)) <a style='color:red'>y</a>\n\n| a | b |\n|--|--:|\n| 1 | 2 |\n"
)


@pytest.fixture
def guide(cast: Cast) -> Guide:
    guide = guide_make(cast.it_agent, title="Hostile text", body=HOSTILE, platforms=["blog"])
    services.guide_image_add(
        actor=cast.it_agent, guide=guide, upload=SimpleUploadedFile("a.png", PNG, content_type="image/png")
    )
    services.guide_feedback_give(guide=guide, person=cast.employee, helpful=False, comment="<b>x</b>")
    return guide


@pytest.mark.parametrize("role", ["employee", "it_agent", "manager"])
def test_portal_pages_are_clean_under_the_policy(cast: Cast, guide: Guide, role: str) -> None:
    client = client_for(getattr(cast, role))

    for url in [reverse("guides:list"), reverse("guides:list") + "?q=hostile", guide.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200
        assert_strict_policy(response, url)
        assert_page_clean(response, url)


@pytest.mark.parametrize("role", ["it_agent", "admin"])
def test_desk_pages_are_clean_under_the_policy(cast: Cast, guide: Guide, role: str) -> None:
    client = client_for(getattr(cast, role))
    urls = [
        reverse("desk_guides:list"),
        reverse("desk_guides:new"),
        guide.get_desk_url(),
        reverse("desk_guides:revisions", args=[guide.pk]),
        guide.revisions.get().get_absolute_url(),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert_strict_policy(response, url)
        assert_page_clean(response, url)
    preview = client.post(reverse("desk_guides:preview"), {"body": HOSTILE}, HTTP_HX_REQUEST="true")
    assert_page_clean(preview, "preview")
