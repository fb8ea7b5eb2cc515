"""The site's root: staff land on the desk, employees on their requests; the portal stays one click away."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from accounts.models import User
from accounts.services import user_create

from ..conftest import PASSWORD, Cast, client_for
from ..factories import file_ticket

ROOT = reverse("home")


@pytest.mark.parametrize("who", ["it_agent", "marketing_agent", "manager", "admin"])
def test_staff_who_open_the_root_land_on_the_desk(cast: Cast, who: str) -> None:
    response = client_for(getattr(cast, who)).get(ROOT)

    assertRedirects(response, reverse("desk:list"), fetch_redirect_response=False)


def test_an_it_agent_at_the_root_sees_the_it_queue(cast: Cast) -> None:
    mine = file_ticket(cast.employee, problem="login-access", subject="Locked out of LinkedIn")
    theirs = file_ticket(cast.employee, problem="metrics-request", subject="Follower growth")
    assert (mine.queue, theirs.queue) == (cast.it, cast.marketing)

    response = client_for(cast.it_agent).get(ROOT, follow=True)

    html = response.content.decode()
    assert response.redirect_chain == [(reverse("desk:list"), 302)]
    assert re.search(r"<h1[^>]*>IT queue</h1>", html)
    assert "Locked out of LinkedIn" in html
    assert "Follower growth" not in html


def test_a_manager_at_the_root_sees_every_queue(cast: Cast) -> None:
    html = client_for(cast.manager).get(ROOT, follow=True).content.decode()

    assert re.search(r"<h1[^>]*>All queues</h1>", html)


def test_an_employee_at_the_root_sees_their_requests(cast: Cast) -> None:
    file_ticket(cast.employee, subject="My blog post is stuck")

    response = client_for(cast.employee).get(ROOT)

    assert response.status_code == 200
    assert "tickets/portal/home.html" in [template.name for template in response.templates]
    assert "My blog post is stuck" in response.content.decode()


def test_logging_in_from_the_root_takes_an_agent_to_the_desk(cast: Cast) -> None:
    client = Client()
    login = client.get(ROOT)
    assertRedirects(login, f"{reverse('accounts:login')}?next=/", fetch_redirect_response=False)

    response = client.post(
        login["Location"], {"username": cast.it_agent.email, "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1] == (reverse("desk:list"), 302)
    assert response.status_code == 200


def test_an_agents_own_requests_are_one_click_away(cast: Cast) -> None:
    file_ticket(cast.it_agent, subject="My laptop can't open Facebook")
    client = client_for(cast.it_agent)

    desk = client.get(reverse("desk:list")).content.decode()
    link = re.search(r'<a class="nav-link[^"]*" href="([^"]+)">My requests</a>', desk)

    assert link is not None and link.group(1) == reverse("tickets:list")
    mine = client.get(link.group(1))
    assert mine.status_code == 200
    assert "My laptop can&#x27;t open Facebook" in mine.content.decode()


def test_an_employees_my_requests_link_is_the_root(cast: Cast) -> None:
    html = client_for(cast.employee).get(ROOT).content.decode()

    assert re.search(r'<a class="nav-link[^"]*" href="/">My requests</a>', html)


def test_an_agent_without_a_queue_lands_on_a_desk_that_says_so(cast: Cast) -> None:
    newcomer = user_create(
        email="nina.new@example.com", full_name="Nina New", password=PASSWORD, role=User.Role.AGENT
    )

    html = client_for(newcomer).get(ROOT, follow=True).content.decode()

    assert "You are not in any queue yet" in html
