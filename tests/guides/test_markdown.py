"""Markdown and links in every dangerous form come out inert; the safe ones keep working."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from guides.markdown import link_allowed, markdown_render

OWN_IMAGE = "/guides/images/7/"


class Elements(HTMLParser):
    """Every element's tag and attributes in rendered HTML, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(html)
    return parser.found


def assert_inert(html: str) -> None:
    for tag, attrs in elements(html):
        assert tag not in {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "input"}, (
            html
        )
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            assert name not in {"style", "srcdoc", "formaction"}, html
            if name in {"href", "src"}:
                assert value is not None
                assert re.match(r"(https?://|mailto:|/guides/)", value), f"{name}={value!r} in {html}"


DANGEROUS = {
    "javascript link": "[click](javascript:alert(1))",
    "mixed case with an entity colon": "[click](JaVaScRiPt&#58;alert(1))",
    "hex entity colon": "[click](javascript&#x3A;alert(1))",
    "entity letters": "[click](&#106;avascript:alert(1))",
    "tab inside the scheme": "[click](java&#x09;script:alert(1))",
    "newline entity inside the scheme": "[click](java&#10;script:alert(1))",
    "leading spaces and control": "[click](<  javascript:alert(1)>)",
    "percent-encoded colon": "[click](javascript%3Aalert(1))",
    "vbscript": "[click](vbscript:msgbox(1))",
    "data text/html link": "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "data image": "![x](data:image/png;base64,iVBORw0KGgo=)",
    "data svg image": "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "raw script": "<script>alert(1)</script>",
    "raw script split across lines": "<scr\nipt>alert(1)</script>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "svg onload": "<svg onload=alert(1)>",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "style tag": "<style>body{display:none}</style>",
    "a tag with javascript": '<a href="javascript:alert(1)">x</a>',
    "html comment": "<!-- <script>alert(1)</script> -->",
    "autolink javascript": "<javascript:alert(1)>",
    "autolink data": "<data:text/html,<script>alert(1)</script>>",
    "autolink with entity": "<JaVaScRiPt&#58;alert(1)>",
    "reference link javascript": "[click][1]\n\n[1]: javascript:alert(1)",
    "reference link entity": '[click][evil]\n\n[evil]: JaVaScRiPt&#58;alert(1) "title"',
    "reference image elsewhere": "![x][pic]\n\n[pic]: https://evil.example/track.png",
    "image elsewhere": "![tracker](https://evil.example/pixel.gif)",
    "image protocol-relative": "![x](//evil.example/x.png)",
    "image from another guide's folder": "![x](/guides/images/8/)",
    "image with onerror in title": '![x](https://evil.example/x.png "\\" onerror=\\"alert(1)")',
    "link title breaking out": '[x](https://example.com "a\\" onmouseover=\\"alert(1)")',
    "protocol-relative link": "[x](//evil.example)",
    "backslash trick": "[x](/\\evil.example)",
    "relative link out of the guides": "[x](/admin/)",
    "dot-dot out of the guides": "[x](/guides/../admin/)",
    "encoded dot-dot out of the guides": "[x](/guides/%2e%2e/admin/)",
    "nested image link": "[![x](/guides/images/7/)](javascript:alert(1))",
    "table with alignment styles": "a | b\n--|--:\n1 | 2",
    "fenced code with html": "```html\n<script>alert(1)</script>\n```",
    "inline code with html": "`<img src=x onerror=alert(1)>`",
    "heading with html": "# <img src=x onerror=alert(1)>",
    "emphasis around html": "**<script>alert(1)</script>**",
}


@pytest.mark.parametrize("source", DANGEROUS.values(), ids=DANGEROUS.keys())
def test_dangerous_markdown_comes_out_inert(source: str) -> None:
    rendered = markdown_render(source, image_urls={OWN_IMAGE})

    assert_inert(rendered.html)
    assert "<script" not in rendered.html.lower()


def test_a_refused_link_stays_as_the_text_the_author_typed_and_is_reported() -> None:
    rendered = markdown_render("[click](JaVaScRiPt&#58;alert(1))")

    assert "<a" not in rendered.html
    assert "[click]" in rendered.html
    assert rendered.refused_links == ["JaVaScRiPt:alert(1)"]


def test_a_picture_from_elsewhere_is_left_out_but_its_description_stays() -> None:
    rendered = markdown_render("![Our page](https://evil.example/pixel.gif)", image_urls={OWN_IMAGE})

    assert "<img" not in rendered.html
    assert "Our page" in rendered.html
    assert rendered.refused_images == ["https://evil.example/pixel.gif"]


def test_raw_html_is_shown_as_text() -> None:
    rendered = markdown_render("Press <kbd>Ctrl</kbd> then <script>alert(1)</script>")

    assert "&lt;kbd&gt;Ctrl&lt;/kbd&gt;" in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html


SAFE = {
    "https link": ("[help](https://help.x.com)", '<a href="https://help.x.com"'),
    "http link": ("[old](http://example.com/page)", '<a href="http://example.com/page"'),
    "mailto link": ("[write](mailto:desk@example.com)", '<a href="mailto:desk@example.com"'),
    "autolink": ("<https://www.facebook.com/hacked>", '<a href="https://www.facebook.com/hacked"'),
    "reference link": (
        "[help][1]\n\n[1]: https://www.linkedin.com/help",
        '<a href="https://www.linkedin.com/help"',
    ),
    "another guide": ("[see](/guides/when-a-post-goes-wrong/)", '<a href="/guides/when-a-post-goes-wrong/"'),
    "own picture": (
        "![The settings page](/guides/images/7/)",
        '<img src="/guides/images/7/" alt="The settings page"',
    ),
}


@pytest.mark.parametrize(("source", "expected"), SAFE.values(), ids=SAFE.keys())
def test_allowed_links_and_own_pictures_work(source: str, expected: str) -> None:
    rendered = markdown_render(source, image_urls={OWN_IMAGE})

    assert expected in rendered.html
    assert rendered.refused_links == rendered.refused_images == []
    assert_inert(rendered.html)


def test_links_do_not_pass_on_the_guides_address_or_rank() -> None:
    html = markdown_render("[x](https://example.com)").html

    assert 'rel="noopener noreferrer nofollow"' in html


def test_the_body_has_no_second_page_title() -> None:
    assert markdown_render("# Big\n\n## Small").html == "<h2>Big</h2>\n<h2>Small</h2>\n"


def test_markdown_structure_survives_the_allowlist() -> None:
    html = markdown_render(
        "## Steps\n\n1. **Reset** the password\n2. Sign *out*\n\n> Quote\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    ).html

    for tag in ("<h2>", "<ol>", "<li>", "<strong>", "<em>", "<blockquote>", "<hr>", "<table>", "<td>"):
        assert tag in html


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://example.com", True),
        ("HTTPS://EXAMPLE.COM/a", True),
        ("mailto:desk@example.com", True),
        ("/guides/", True),
        ("/guides/some-guide/", True),
        ("mailto:", False),
        ("https://", False),
        ("https:example.com", False),
        ("ftp://example.com", False),
        ("//example.com", False),
        ("/\\example.com", False),
        ("/guides/../admin/", False),
        ("/guides/%2E%2E/admin/", False),
        ("/guidesX/", False),
        ("java\tscript:alert(1)", False),
        ("\u200bjavascript:alert(1)", False),
        ("relative/path", False),
        ("#top", False),
    ],
)
def test_link_rules(url: str, allowed: bool) -> None:
    assert link_allowed(url) is allowed
