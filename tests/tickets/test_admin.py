"""The Django admin: every page loads for the administrator, each role sees what it should, "try the rules"."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from notifications.services import preferences_set
from tickets import services
from tickets.events import event_sentence as said
from tickets.models import Event, RoutingRule, Ticket

from ..conftest import PASSWORD, Cast, client_for, platform, problem
from ..factories import file_ticket
from ..twofactor.devices import session_verify

REGISTERED: list[type[Model]] = sorted(admin.site._registry, key=lambda model: model._meta.label)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def admin_url(model: type[Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def world(cast: Cast, settings: Settings, tmp_path: Path) -> Ticket:
    """At least one row of everything the admin shows: a ticket with a conversation, files and history."""
    settings.MEDIA_ROOT = tmp_path / "media"
    ticket = file_ticket(
        cast.employee,
        problem="compromised-account",
        subject="Strange posts on our page",
        files=[SimpleUploadedFile("proof.png", PNG, content_type="image/png")],
    )
    services.ticket_claim(ticket=ticket, actor=cast.it_agent)
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Changing the password now.")
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Was it phishing?", internal=True)
    services.ticket_reply(
        ticket=ticket,
        author=cast.employee,
        body="Here is the alert",
        files=[SimpleUploadedFile("alert.png", PNG, content_type="image/png")],
    )
    preferences_set(user=cast.employee, enabled=[])  # some opt-outs
    return ticket


@pytest.fixture
def admin_client_for_ada(cast: Cast) -> Client:
    return client_for(cast.admin)


# ---- every page loads for the administrator ---------------------------------------------------


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_changelist_loads_with_search_and_each_filter(
    world: Ticket, admin_client_for_ada: Client, model: type[Model]
) -> None:
    client = admin_client_for_ada
    url = admin_url(model, "changelist")

    response = client.get(url)
    assert response.status_code == 200
    changelist = response.context["cl"]
    rows = model._default_manager.count()
    assert changelist.result_count == rows

    model_admin = admin.site._registry[model]
    if model_admin.search_fields:
        assert client.get(url, {"q": "phishing"}).status_code == 200
        assert client.get(url, {"q": str(world.pk)}).status_code == 200

    choices = [
        choice["query_string"] for spec in changelist.filter_specs for choice in spec.choices(changelist)
    ]
    assert len(choices) >= len(model_admin.list_filter)
    for query_string in choices:
        filtered = client.get(url + query_string)
        assert filtered.status_code == 200, query_string

    if model_admin.date_hierarchy:
        moment = world.created_at
        by_month = client.get(
            url,
            {
                f"{model_admin.date_hierarchy}__year": moment.year,
                f"{model_admin.date_hierarchy}__month": moment.month,
            },
        )
        assert by_month.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_change_page_loads(world: Ticket, admin_client_for_ada: Client, model: type[Model]) -> None:
    instance = model._default_manager.order_by("pk").first()
    if instance is None:
        pytest.skip(f"the scenario makes no {model._meta.verbose_name}")

    response = admin_client_for_ada.get(admin_url(model, "change", instance.pk))

    assert response.status_code == 200
    assert response.context["original"] == instance


def test_searching_tickets_finds_them_by_subject_id_and_requester(
    world: Ticket, cast: Cast, admin_client_for_ada: Client
) -> None:
    url = admin_url(Ticket, "changelist")
    file_ticket(cast.other_employee, subject="Something else entirely")

    for query in ("strange posts", str(world.pk), cast.employee.email):
        response = admin_client_for_ada.get(url, {"q": query})
        assert [ticket.pk for ticket in response.context["cl"].result_list] == [world.pk], query


def test_searching_tickets_by_reference(world: Ticket, admin_client_for_ada: Client) -> None:
    response = admin_client_for_ada.get(admin_url(Ticket, "changelist"), {"q": world.reference})

    assert [ticket.pk for ticket in response.context["cl"].result_list] == [world.pk]


def test_filtering_tickets_by_queue(world: Ticket, cast: Cast, admin_client_for_ada: Client) -> None:
    other = file_ticket(cast.employee, problem="metrics-request")
    url = admin_url(Ticket, "changelist")

    by_it = admin_client_for_ada.get(url, {"queue__id__exact": cast.it.pk})
    by_marketing = admin_client_for_ada.get(url, {"queue__id__exact": cast.marketing.pk})

    assert [t.pk for t in by_it.context["cl"].result_list] == [world.pk]
    assert [t.pk for t in by_marketing.context["cl"].result_list] == [other.pk]


def test_the_ticket_page_shows_the_conversation_and_history(
    world: Ticket, admin_client_for_ada: Client
) -> None:
    response = admin_client_for_ada.get(admin_url(Ticket, "change", world.pk))

    content = response.content.decode()
    assert "Strange posts on our page" in content
    assert "Changing the password now." in content
    assert "Was it phishing?" in content
    assert world.get_desk_url() in content
    assert said(world.events.get(kind=Event.Kind.ROUTED)) in content


def test_nobody_adds_or_edits_tickets_in_the_admin_not_even_the_administrator(
    world: Ticket, admin_client_for_ada: Client
) -> None:
    assert admin_client_for_ada.get(admin_url(Ticket, "add")).status_code == 403
    response = admin_client_for_ada.post(admin_url(Ticket, "change", world.pk), {"subject": "Edited"})
    assert response.status_code == 403
    assert Ticket.objects.get(pk=world.pk).subject == "Strange posts on our page"


# ---- try the rules ----------------------------------------------------------------------------


def try_rules(client: Client, **facts: object) -> str:
    response = client.get(f"{reverse('admin:tickets_routingrule_try')}?{urlencode(facts)}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_changelist_links_to_try_the_rules(cast: Cast, admin_client_for_ada: Client) -> None:
    response = admin_client_for_ada.get(admin_url(RoutingRule, "changelist"))

    assert reverse("admin:tickets_routingrule_try") in response.content.decode()


def test_try_the_rules_shows_the_rule_that_fires_and_its_result(
    cast: Cast, admin_client_for_ada: Client
) -> None:
    content = try_rules(
        admin_client_for_ada,
        platform=platform("twitter-x").pk,
        problem_type=problem("compromised-account").pk,
        subject="Someone posts as us",
    )

    assert "Rule <strong>Compromised accounts go to IT, urgent</strong> fires:" in content
    assert "queue <strong>IT</strong>, priority <strong>Urgent</strong>" in content
    assert "<strong>yes — fires</strong>" in content


def test_try_the_rules_shows_a_later_keyword_rule_and_the_earlier_misses(
    cast: Cast, admin_client_for_ada: Client
) -> None:
    response = admin_client_for_ada.get(
        reverse("admin:tickets_routingrule_try"),
        {
            "platform": platform("facebook").pk,
            "problem_type": problem("other").pk,
            "subject": "I think we got phishing mails",
        },
    )

    content = response.content.decode()
    assert "Rule <strong>Signs of a hacked account go to IT, urgent</strong> fires:" in content
    results = {rule.name: matched for rule, matched in response.context["results"]}
    assert results["Compromised accounts go to IT, urgent"] is False
    assert results["Signs of a hacked account go to IT, urgent"] is True
    assert response.context["decision"].rule.name == "Signs of a hacked account go to IT, urgent"


def test_try_the_rules_names_the_fallback_when_nothing_matches(
    cast: Cast, admin_client_for_ada: Client
) -> None:
    content = try_rules(
        admin_client_for_ada,
        platform=platform("blog").pk,
        problem_type=problem("other").pk,
        subject="A question about our logo",
    )

    assert "No rule matches: the fallback queue takes it:" in content
    assert "queue <strong>Marketing</strong>, priority <strong>Normal</strong>" in content


def test_try_the_rules_names_the_assignee_a_rule_gives(cast: Cast, admin_client_for_ada: Client) -> None:
    RoutingRule.objects.create(
        name="Finance blog posts to Cora", position=1, queue=cast.communications, assignee=cast.comms_agent
    ).departments.add(cast.other_employee.department)

    content = try_rules(
        admin_client_for_ada,
        platform=platform("blog").pk,
        problem_type=problem("other").pk,
        department=cast.other_employee.department_id,
        subject="Post about results",
    )

    assert "Rule <strong>Finance blog posts to Cora</strong> fires:" in content
    assert (
        f"queue <strong>Communications</strong>, priority <strong>Normal</strong>, assigned to {cast.comms_agent}"
        in content
    )


def test_try_the_rules_without_a_sample_shows_just_the_form(cast: Cast, admin_client_for_ada: Client) -> None:
    response = admin_client_for_ada.get(reverse("admin:tickets_routingrule_try"))

    assert response.status_code == 200
    assert response.context["decision"] is None
    assert 'id="routing-result"' not in response.content.decode()


def test_try_the_rules_escapes_what_it_echoes(cast: Cast, admin_client_for_ada: Client) -> None:
    RoutingRule.objects.filter(name="Log-in problems go to IT").update(name="<script>alert(1)</script>")

    content = try_rules(
        admin_client_for_ada,
        platform=platform("blog").pk,
        problem_type=problem("login-access").pk,
        subject="<img src=x onerror=alert(1)>",
    )

    assert "<script>alert(1)</script>" not in content
    assert "<img src=x" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


# ---- who may enter, and what they may do ------------------------------------------------------


def admin_sign_in(email: str, password: str = PASSWORD) -> tuple[Client, int, str]:
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": email, "password": password, "next": reverse("admin:index")}
    )
    return client, response.status_code, response.headers.get("Location", "")


def test_an_agent_signs_in_to_the_admin_and_reads_tickets(world: Ticket, cast: Cast) -> None:
    client, status, location = admin_sign_in(cast.it_agent.email.upper())
    assert (status, location) == (302, reverse("admin:index"))
    session_verify(client, cast.it_agent)  # then the second factor (tests/twofactor)

    assert client.get(reverse("admin:index")).status_code == 200
    listing = client.get(admin_url(Ticket, "changelist"))
    assert listing.status_code == 200
    assert [t.pk for t in listing.context["cl"].result_list] == [world.pk]
    page = client.get(admin_url(Ticket, "change", world.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_an_agent_cannot_add_change_or_delete_tickets(world: Ticket, cast: Cast) -> None:
    client = client_for(cast.it_agent)

    assert client.get(admin_url(Ticket, "add")).status_code == 403
    assert client.post(admin_url(Ticket, "change", world.pk), {"subject": "Edited"}).status_code == 403
    assert client.post(admin_url(Ticket, "delete", world.pk), {"post": "yes"}).status_code == 403
    assert Ticket.objects.get(pk=world.pk).subject == "Strange posts on our page"


def test_an_agent_cannot_see_routing_rules(cast: Cast) -> None:
    client = client_for(cast.it_agent)
    rule = RoutingRule.objects.first()
    assert rule is not None

    assert client.get(admin_url(RoutingRule, "changelist")).status_code == 403
    assert client.get(admin_url(RoutingRule, "change", rule.pk)).status_code == 403
    assert "routingrule" not in client.get(reverse("admin:index")).content.decode()


def test_an_agent_cannot_try_the_routing_rules(cast: Cast) -> None:
    response = client_for(cast.it_agent).get(
        reverse("admin:tickets_routingrule_try"),
        {"platform": platform("blog").pk, "problem_type": problem("other").pk, "subject": "x"},
    )

    assert response.status_code == 403


def test_a_manager_views_routing_rules_but_does_not_edit_them(cast: Cast) -> None:
    client = client_for(cast.manager)
    rule = RoutingRule.objects.get(name="Log-in problems go to IT")

    listing = client.get(admin_url(RoutingRule, "changelist"))
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == RoutingRule.objects.count()
    page = client.get(admin_url(RoutingRule, "change", rule.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.get(admin_url(RoutingRule, "add")).status_code == 403
    assert try_rules(
        client, platform=platform("blog").pk, problem_type=problem("login-access").pk, subject="Locked out"
    ).count("Log-in problems go to IT")


def test_a_manager_edits_queues(cast: Cast) -> None:
    page = client_for(cast.manager).get(admin_url(type(cast.it), "change", cast.it.pk))

    assert page.status_code == 200
    assert 'name="_save"' in page.content.decode()


def test_an_employee_cannot_enter_the_admin(cast: Cast) -> None:
    client, status, _ = admin_sign_in(cast.employee.email)

    assert status == 200
    assert (
        "for a staff account"
        in client.post(
            reverse("admin:login"), {"username": cast.employee.email, "password": PASSWORD}
        ).content.decode()
    )
    index = client.get(reverse("admin:index"))
    assert index.status_code == 302
    assert index.headers["Location"].startswith(reverse("admin:login"))


def test_a_signed_in_employee_is_still_kept_out(cast: Cast) -> None:
    client = client_for(cast.employee)

    for url in (
        reverse("admin:index"),
        admin_url(Ticket, "changelist"),
        reverse("admin:tickets_routingrule_try"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith(reverse("admin:login"))
