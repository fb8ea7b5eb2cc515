"""Markdown to safe HTML, done once when a guide is saved.

Two layers, each enough on its own for what it covers. The parser (markdown-it, CommonMark,
raw HTML off) turns any HTML an author types into text and refuses every link and image
whose address breaks the rules below; those stay as the text the author typed. Then nh3
keeps only an allowlist of tags and attributes and checks each address again, so a gap in
the first layer cannot reach the page.

The rules: links go to http, https or mailto addresses, or to the guides' own pages
(/guides/...); images come only from the guide's own uploads. Nothing else gets through:
no javascript: or data: addresses, however they are spelled, no event handlers, no styles.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
GUIDES_PATH = "/guides/"
IMAGE_PATH = re.compile(r"^/guides/images/(\d+)/$")

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
# Characters browsers drop or fold inside an address: "java\tscript:" is javascript:.
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")


def link_allowed(url: str) -> bool:
    """Whether a link may point at `url`: http(s) with a host, mailto, or a guides page."""
    if "\\" in url or _INVISIBLE.search(url.strip()):
        return False
    url = url.strip()
    if url.startswith(GUIDES_PATH):
        # A guides page, and still one once "." and ".." (plain or percent-encoded) are resolved.
        path = urlsplit(url).path
        resolved = posixpath.normpath(unquote(path))
        return resolved == GUIDES_PATH.rstrip("/") or resolved.startswith(GUIDES_PATH)
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme not in LINK_SCHEMES:
        return False
    if scheme == "mailto":
        return "@" in parts.path
    return bool(parts.hostname)


def image_allowed(url: str, image_urls: Collection[str]) -> bool:
    return url.strip() in image_urls


@dataclass(frozen=True)
class Rendered:
    html: str
    # Addresses the rules left out, so the editor can say what and why.
    refused_links: list[str]
    refused_images: list[str]


class _GuideMarkdown(MarkdownIt):
    def __init__(self, image_urls: Collection[str]) -> None:
        super().__init__("commonmark", {"html": False, "linkify": False, "typographer": False})
        self.enable(["table", "strikethrough"])
        self.image_urls = image_urls
        self.refused_links: list[str] = []
        self.refused_images: list[str] = []
        self.add_render_rule("image", self._image_rule())
        self.core.ruler.push("guide_headings", _headings_below_title)

    def validateLink(self, url: str) -> bool:
        # Called for links, autolinks, reference definitions and images alike; images are
        # held to the stricter rule when they are rendered.
        if link_allowed(url):
            return True
        self.refused_links.append(url)
        return False

    def _image_rule(self) -> Any:
        # markdown-it binds a render rule to its renderer, which comes first.
        def image(
            renderer: RendererHTML, tokens: Sequence[Token], index: int, options: OptionsDict, env: EnvType
        ) -> str:
            token = tokens[index]
            source = str(token.attrGet("src") or "")
            if image_allowed(source, self.image_urls):
                token.attrs["alt"] = renderer.renderInlineAsText(token.children or [], options, env)
                return renderer.renderToken(tokens, index, options, env)
            self.refused_images.append(source)
            # The picture is left out; its description stays, as text.
            return renderer.renderInlineAsText(token.children or [], options, env)

        return image


def _headings_below_title(state: Any) -> None:
    """The guide's title is the page's only h1: a "#" heading in the body becomes an h2."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"


def _attribute_filter(image_urls: Collection[str]) -> Any:
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href":
            return value if link_allowed(value) else None
        if tag == "img" and attribute == "src":
            return value if image_allowed(value, image_urls) else None
        return value

    return keep


def markdown_render(text: str, *, image_urls: Collection[str] = ()) -> Rendered:
    """Safe HTML for a guide's body; `image_urls` are the addresses of the guide's own images."""
    parser = _GuideMarkdown(image_urls)
    html = parser.render(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(LINK_SCHEMES),
        attribute_filter=_attribute_filter(image_urls),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return Rendered(
        html=clean,
        refused_links=list(dict.fromkeys(parser.refused_links)),
        refused_images=list(dict.fromkeys(parser.refused_images)),
    )
