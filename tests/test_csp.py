"""The Content-Security-Policy: on every page for every role with a fresh nonce, and nothing it would break.

Pages are found by walking the URL patterns and the admin's registry, so a new page is checked
without being listed here. Each page's HTML, and every template file, is searched for what the
policy refuses: inline scripts, event handlers, style attributes, javascript: links, hx-on code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.db.models import Model
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from pytest_django.fixtures import DjangoAssertNumQueries, Settings

from accounts.models import User
from accounts.views import LoginView
from satisfaction.links import rating_token
from tickets import services
from tickets.models import Attachment, Ticket

from .conftest import Cast, client_for
from .factories import file_ticket

BASE_DIR = Path(settings.BASE_DIR)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'nonce-*'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
DOWNLOAD_POLICY = "default-src 'none'; sandbox"
ROLES = ["anonymous", "employee", "it_agent", "manager", "admin"]
# What each role must see rendered, so the walk can't pass by reaching nothing but redirects.
PAGES_SEEN = {
    "anonymous": {
        "accounts:login",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
    },
    "employee": {
        "home",
        "tickets:list",
        "tickets:new",
        "tickets:detail",
        "accounts:profile",
        "accounts:password_change",
        "accounts:password_change_done",
        "notifications:preferences",
    },
    "it_agent": {"desk:list", "desk:ticket", "tickets:list", "accounts:profile"},
    "manager": {"desk:list", "desk:ticket", "reports:dashboard"},
    "admin": {"desk:list", "desk:ticket", "reports:dashboard"},
}
ADMIN_VIEWS = ["changelist", "add", "change", "history", "delete"]
EMAIL_TEMPLATES = BASE_DIR / "templates" / "notifications" / "email"


@pytest.fixture
def broken_login_page(monkeypatch: pytest.MonkeyPatch) -> Callable[[type[Exception]], str]:
    """Make the log-in page fail with `error`, so the site's own handlers answer; returns its URL."""

    def breaks(error: type[Exception]) -> str:
        def get(*args: object, **kwargs: object) -> HttpResponse:
            raise error("a failure while answering")

        monkeypatch.setattr(LoginView, "get", get)
        return reverse("accounts:login")

    return breaks


# ---- reading responses ------------------------------------------------------------------------


def policy_of(response: HttpResponse) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    assert header, f"{response.status_code} response has no Content-Security-Policy"
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


def nonce_of(response: HttpResponse) -> str:
    sources = policy_of(response)["script-src"]
    nonces = [source[len("'nonce-") : -1] for source in sources if source.startswith("'nonce-")]
    assert len(nonces) == 1, sources
    return nonces[0]


def assert_strict_policy(response: HttpResponse, where: str) -> None:
    directives = policy_of(response)
    nonce = nonce_of(response)
    assert re.fullmatch(r"[A-Za-z0-9+/]{22}==", nonce), f"{where}: weak nonce {nonce!r}"
    masked = {name: [v.replace(nonce, "*") for v in values] for name, values in directives.items()}
    assert masked == POLICY, where


def is_html(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("text/html") and bool(response.content)


class InlineCode(HTMLParser):
    """Collects what a policy without 'unsafe-inline' refuses (or that needs eval) in rendered HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") or name.startswith(("hx-on", "data-hx-on")):
                self.found.append(f"<{tag} {name}=...>")
            elif name == "style":
                self.found.append(f"<{tag} style={value!r}>")
            elif value and re.match(r"\s*javascript:", value, re.IGNORECASE):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "style" and "nonce" not in values:
            self.found.append("<style> without a nonce")
        # json_script's data is never run, so the policy lets it be.
        executable = values.get("type") != "application/json"
        if tag == "script" and executable and not values.get("src") and "nonce" not in values:
            self.found.append("inline <script> without a nonce")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def assert_page_clean(response: HttpResponse, where: str) -> None:
    assert inline_code(response.content.decode()) == [], where


# ---- the people and what they see -------------------------------------------------------------


@pytest.fixture
def world(cast: Cast, settings: Settings, tmp_path: Path) -> Ticket:
    """A ticket with a conversation and a file, claimed by the IT agent: every page has something."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = False
    ticket = file_ticket(
        cast.employee,
        subject="Our page posts things we never wrote",
        files=[SimpleUploadedFile("proof.png", PNG, content_type="image/png")],
    )
    services.ticket_claim(ticket=ticket, actor=cast.it_agent)
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Changing the password now.")
    return ticket


def visitor(cast: Cast, role: str) -> Client:
    return Client() if role == "anonymous" else client_for(getattr(cast, role))


def reset_link_arguments(user: User) -> dict[str, str]:
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def arguments_for(name: str, ticket: Ticket, cast: Cast) -> dict[str, object]:
    """The URL arguments of each pattern that takes some; a new one must be added here."""
    by_name: dict[str, Callable[[], dict[str, object]]] = {
        "tickets:attachment": lambda: {"pk": Attachment.objects.filter(ticket=ticket).first().pk},
        "accounts:password_reset_confirm": lambda: reset_link_arguments(cast.employee),
        "reports:export": lambda: {"table": "volume"},
        "guides:guide": lambda: {"slug": "no-such-guide"},
        "api:guide": lambda: {"slug": "no-such-guide"},
        "guides:feedback": lambda: {"slug": "no-such-guide"},
        "guides:viewed": lambda: {"slug": "no-such-guide"},
        "guides:solved": lambda: {"slug": "no-such-guide"},
        "guides:policy_confirm": lambda: {"slug": "no-such-guide"},
        "satisfaction:rate": lambda: {
            "token": rating_token(ticket_id=ticket.pk, requester_id=ticket.requester_id)
        },
        "approvals:link": lambda: {"token": "not-a-signed-link"},
        "desk:unlink": lambda: {"pk": ticket.pk, "link_pk": 999999},
        "tickets:colleague_remove": lambda: {"pk": ticket.pk, "user_pk": cast.other_employee.pk},
        "macros:preview": lambda: {"pk": ticket.pk, "macro_pk": 999999},
        "macros:apply": lambda: {"pk": ticket.pk, "macro_pk": 999999},
    }
    if name in by_name:
        return by_name[name]()
    return {"pk": ticket.pk}


def named_patterns(
    resolver: URLResolver | None = None, namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # walked through the admin's registry
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


def site_urls(ticket: Ticket, cast: Cast) -> dict[str, str]:
    urls = {}
    for name, pattern in named_patterns():
        arguments = pattern.pattern.regex.groupindex
        kwargs = arguments_for(name, ticket, cast) if arguments else {}
        assert set(kwargs) == set(arguments), (
            f"tests/test_csp.py: give {name} its URL arguments {set(arguments)}"
        )
        urls[name] = reverse(name, kwargs=kwargs)
    return urls


def admin_urls(cast: Cast) -> dict[str, str]:
    """Every admin page: index, each app, and each model's list, add, change, history and delete."""
    urls = {
        "admin:index": reverse("admin:index"),
        "admin:password_change": reverse("admin:password_change"),
        "admin:tickets_routingrule_try": reverse("admin:tickets_routingrule_try") + "?subject=Hacked",
        "admin:auth_user_password_change": reverse(
            "admin:auth_user_password_change", args=[cast.employee.pk]
        ),
    }
    for model in admin.site._registry:
        meta = model._meta
        urls[f"admin:app_list:{meta.app_label}"] = reverse("admin:app_list", args=[meta.app_label])
        instance: Model | None = model._default_manager.order_by("pk").first()
        for view in ADMIN_VIEWS:
            args = [] if view in ("changelist", "add") else [instance.pk] if instance else None
            if args is not None:
                urls[f"admin:{meta.label}:{view}"] = reverse(
                    f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args
                )
    return urls


# ---- every page, every role -------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_page_sends_the_policy_for_every_role(world: Ticket, cast: Cast, role: str) -> None:
    client = visitor(cast, role)
    rendered = set()

    for name, url in site_urls(world, cast).items():
        response = client.get(url, follow=True)
        if response.resolver_match.view_name == "tickets:attachment" and response.status_code == 200:
            assert response["Content-Security-Policy"] == DOWNLOAD_POLICY
            assert response.getvalue() == PNG  # read through, so the client closes the file
            continue
        assert_strict_policy(response, f"{role} {url}")
        if response.status_code == 200 and is_html(response):
            assert_page_clean(response, f"{role} {url}")
            if response.resolver_match.view_name == name:  # not a page it was sent to instead
                rendered.add(name)

    assert PAGES_SEEN[role] <= rendered


def test_the_password_reset_link_opens_its_form_under_the_policy(world: Ticket, cast: Cast) -> None:
    url = reverse("accounts:password_reset_confirm", kwargs=reset_link_arguments(cast.employee))

    response = Client().get(url, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain, "the link hides its token behind a redirect"
    assert b'type="password"' in response.content
    assert_strict_policy(response, url)
    assert_page_clean(response, url)


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_every_admin_page_sends_the_policy(world: Ticket, cast: Cast, role: str) -> None:
    client = visitor(cast, role)
    rendered = 0

    for name, url in admin_urls(cast).items():
        response = client.get(url, follow=True)
        assert_strict_policy(response, f"{role} {name} {url}")
        if response.status_code == 200 and is_html(response):
            assert_page_clean(response, f"{role} {name} {url}")
            rendered += 1

    # The administrator sees at least the list and a change page of every model.
    assert role != "admin" or rendered > 2 * len(admin.site._registry)


def test_the_admin_change_forms_with_their_widgets_render_clean(world: Ticket, cast: Cast) -> None:
    """filter_horizontal, autocomplete, inlines and the date hierarchy, as the administrator sees them."""
    client = client_for(cast.admin)
    pages = [
        reverse("admin:tickets_queue_change", args=[cast.it.pk]),
        reverse("admin:tickets_routingrule_add"),
        reverse("admin:accounts_user_change", args=[cast.employee.pk]),
        reverse("admin:sla_calendar_add"),
        reverse("admin:tickets_ticket_changelist") + f"?created_at__year={world.created_at.year}",
    ]

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_policy(response, url)
        assert_page_clean(response, url)
    assert b'class="selectfilter"' in client.get(pages[0]).content
    assert b"admin-autocomplete" in client.get(pages[1]).content


def test_an_htmx_fragment_sends_the_policy_too(world: Ticket, cast: Cast) -> None:
    response = client_for(cast.it_agent).get(reverse("desk:list"), {"q": "page"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert_strict_policy(response, "desk list fragment")
    assert_page_clean(response, "desk list fragment")


def test_the_dashboard_carries_its_chart_data_as_json_not_code(world: Ticket, cast: Cast) -> None:
    response = client_for(cast.manager).get(reverse("reports:dashboard"))

    html = response.content.decode()
    assert re.search(r'<script id="volume-data" type="application/json">\{', html)
    assert_page_clean(response, "dashboard")


# ---- the nonce ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        ("anonymous", "/accounts/login/", 200),
        ("employee", "/", 200),
        ("it_agent", "/desk/", 200),
        ("manager", "/admin/reports/", 200),
        ("admin", "/admin/", 200),
        ("employee", "/no/such/page/", 404),
        ("employee", "/desk/", 403),
    ],
)
def test_each_response_gets_a_fresh_nonce(
    world: Ticket, cast: Cast, role: str, url: str, status: int
) -> None:
    client = visitor(cast, role)

    first, second = client.get(url), client.get(url)

    assert first.status_code == second.status_code == status
    assert_strict_policy(first, url)
    assert nonce_of(first) != nonce_of(second)


@pytest.mark.parametrize("error", [RuntimeError, OperationalError], ids=["a bug", "the database away"])
def test_a_failing_page_gets_the_policy_and_a_fresh_nonce(
    world: Ticket, broken_login_page: Callable[[type[Exception]], str], error: type[Exception]
) -> None:
    url = broken_login_page(error)
    client = Client(raise_request_exception=False)

    first, second = client.get(url), client.get(url)

    assert first.status_code >= 500
    assert_strict_policy(first, url)
    assert_page_clean(first, url)
    assert nonce_of(first) != nonce_of(second)


def test_the_error_pages_render_clean_with_debug_off(
    world: Ticket, cast: Cast, broken_login_page: Callable[[type[Exception]], str]
) -> None:
    employee = client_for(cast.employee)
    anonymous = Client(raise_request_exception=False)

    for response, heading in (
        (employee.get("/no/such/page/"), b"We can't find that page"),
        (employee.get(reverse("desk:list")), b"This page isn't for your role"),
        (anonymous.get(broken_login_page(RuntimeError)), b"Something went wrong on our side"),
    ):
        assert heading in response.content
        assert_page_clean(response, heading.decode())


def test_the_500_page_needs_no_database_and_links_its_stylesheets(
    world: Ticket,
    broken_login_page: Callable[[type[Exception]], str],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    url = broken_login_page(RuntimeError)

    with django_assert_num_queries(0):
        response = Client(raise_request_exception=False).get(url)

    assert response.status_code == 500
    assert b'<link rel="stylesheet" href="/static/css/app.css">' in response.content


# ---- every template -------------------------------------------------------------------------


def page_templates() -> list[Path]:
    folders = [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]
    found = {file for folder in folders for file in folder.rglob("*.html")}
    return sorted(file for file in found if EMAIL_TEMPLATES not in file.parents)


TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.DOTALL)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
STYLE_TAG = re.compile(r"<style\b([^>]*)>", re.IGNORECASE)
# Searched in the raw text: inside {% if %} a handler would not look like an attribute to a parser.
REFUSED = {
    "an inline event handler": re.compile(r"(?<![\w:.-])on[a-z]{3,}\s*=", re.IGNORECASE),
    "hx-on code": re.compile(r"\bhx-on", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "a style attribute": re.compile(r"(?<![\w-])style\s*=\s*[\"'{]", re.IGNORECASE),
}


def refused_in(text: str) -> list[str]:
    text = TEMPLATE_COMMENT.sub("", text)
    problems = [
        f"{what}: {m.group(0)!r}" for what, pattern in REFUSED.items() for m in pattern.finditer(text)
    ]
    for attributes in SCRIPT_TAG.findall(text):
        executable = not re.search(r"""type\s*=\s*["']application/json["']""", attributes)
        if executable and not re.search(r"\bsrc\s*=", attributes) and "nonce" not in attributes:
            problems.append(f"an inline <script{attributes}>")
    problems += [f"a <style{a}> without a nonce" for a in STYLE_TAG.findall(text) if "nonce" not in a]
    return problems


def test_the_template_search_finds_every_page_template() -> None:
    names = {str(file.relative_to(BASE_DIR)) for file in page_templates()}

    assert {"templates/base.html", "templates/500.html", "templates/admin/reports/dashboard.html"} <= names
    assert not any("/email/" in name for name in names)


@pytest.mark.parametrize("template", page_templates(), ids=lambda file: str(file.relative_to(BASE_DIR)))
def test_no_template_has_what_the_policy_refuses(template: Path) -> None:
    assert refused_in(template.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "snippet",
    [
        '<button onclick="go()">',
        '<a href="#" {% if x %}onmouseover="go()"{% endif %}>',
        '<a href="JavaScript:go()">',
        '<div hx-on:click="go()">',
        '<p style="color: red">',
        "<style>p { color: red }</style>",
        "<script>go()</script>",
        '<script type="text/javascript">go()</script>',
    ],
)
def test_the_template_search_catches_each_refused_construct(snippet: str) -> None:
    assert refused_in(snippet) != []
    assert inline_code(snippet.replace("{% if x %}", "").replace("{% endif %}", "")) != []


@pytest.mark.parametrize(
    "snippet",
    [
        "<script src=\"{% static 'js/app.js' %}\"></script>",
        '<script id="data" type="application/json">{}</script>',
        '<script nonce="{{ request.csp_nonce }}">go()</script>',
        "{# an onclick=handler in a comment #}",
        '<span class="bar" data-value="3"></span>',
        '<button data-bs-toggle="collapse">',
    ],
)
def test_the_template_search_lets_the_allowed_through(snippet: str) -> None:
    assert refused_in(snippet) == []
    assert inline_code(snippet) == []
