"""The email preferences page: optional kinds can be turned off, essential ones are not offered."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from accounts.models import User
from notifications.models import (
    ESSENTIAL_KINDS,
    MANAGER_KINDS,
    OPTIONAL_KINDS,
    REQUESTER_KINDS,
    STAFF_KINDS,
    Kind,
    Notification,
    OptOut,
)

from ..conftest import Cast, client_for
from ..factories import file_ticket

URL = "/accounts/notifications/"


def offered(html: str) -> set[str]:
    return set(re.findall(r'name="enabled" value="([a-z_]+)"', html))


def checked(html: str) -> set[str]:
    return {
        value
        for tag in re.findall(r"<input[^>]*name=\"enabled\"[^>]*>", html)
        if " checked" in tag
        for value in re.findall(r'value="([a-z_]+)"', tag)
    }


def untick_everything(user: User) -> None:
    """What a browser sends with every box unticked: the CSRF token and nothing else."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    html = client.get(URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token is not None
    response = client.post(URL, {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302


def test_the_page_is_where_the_brief_says(db: None) -> None:
    assert reverse("notifications:preferences") == URL


def test_anonymous_is_sent_to_log_in(db: None) -> None:
    response = Client().get(URL)

    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_page_offers_an_agent_every_optional_kind_checked_and_lists_the_essential_ones_apart(
    cast: Cast,
) -> None:
    html = client_for(cast.it_agent).get(URL).content.decode()

    assert offered(html) == {kind.value for kind in OPTIONAL_KINDS}
    assert checked(html) == {kind.value for kind in OPTIONAL_KINDS}
    assert not offered(html) & {kind.value for kind in ESSENTIAL_KINDS}
    for kind in ESSENTIAL_KINDS - {Kind.SLA_ESCALATION, Kind.LOW_RATING}:  # managers' alone
        assert Kind(kind).label in html


def test_an_employee_is_offered_only_the_emails_about_their_own_requests(cast: Cast) -> None:
    html = client_for(cast.employee).get(URL).content.decode()

    assert offered(html) == {
        Kind.STATUS_CHANGED.value,
        Kind.RESOLVED.value,
        Kind.ACCESS_ENDING.value,
        Kind.ACCOUNT_NOTICE.value,
    }
    for desk_only in (Kind.NEW_IN_QUEUE, Kind.ASSIGNED, Kind.SLA_WARNING, Kind.SLA_BREACH, Kind.MENTION):
        assert desk_only.label not in html
    assert Kind.SLA_ESCALATION.label not in html
    assert Kind.RECEIVED.label in html and Kind.REPLY_TO_REQUESTER.label in html


def test_only_managers_are_told_escalations_are_always_sent(cast: Cast) -> None:
    manager = client_for(cast.manager).get(URL).content.decode()
    agent = client_for(cast.it_agent).get(URL).content.decode()

    assert Kind.SLA_ESCALATION.label in manager
    assert Kind.SLA_ESCALATION.label not in agent


def test_staff_read_what_a_status_email_can_tell_them(cast: Cast) -> None:
    agent = client_for(cast.it_agent).get(URL).content.decode()
    employee = client_for(cast.employee).get(URL).content.decode()

    assert "a requester resolved or reopened a ticket you work" in agent
    assert "a requester resolved or reopened a ticket you work" not in employee


def test_every_kind_of_email_can_reach_someone() -> None:
    assert set(Kind) == MANAGER_KINDS
    assert REQUESTER_KINDS < STAFF_KINDS < MANAGER_KINDS


def test_an_employee_cannot_turn_off_a_desk_email_by_hand(cast: Cast) -> None:
    response = client_for(cast.employee).post(URL, {"enabled": [Kind.RESOLVED, Kind.ASSIGNED]})

    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert not OptOut.objects.filter(user=cast.employee).exists()


def test_an_employee_who_becomes_an_agent_gets_the_desk_emails(cast: Cast) -> None:
    untick_everything(cast.employee)
    assert set(OptOut.objects.filter(user=cast.employee).values_list("kind", flat=True)) == {
        Kind.STATUS_CHANGED,
        Kind.RESOLVED,
        Kind.ACCESS_ENDING,
        Kind.ACCOUNT_NOTICE,
    }

    User.objects.filter(pk=cast.employee.pk).update(role=User.Role.AGENT)
    cast.it.members.add(cast.employee)
    html = client_for(User.objects.get(pk=cast.employee.pk)).get(URL).content.decode()

    assert checked(html) == {kind.value for kind in OPTIONAL_KINDS} - {
        Kind.STATUS_CHANGED,
        Kind.RESOLVED,
        Kind.ACCESS_ENDING,
        Kind.ACCOUNT_NOTICE,
    }


def test_posting_the_form_turns_the_unticked_kinds_off(cast: Cast) -> None:
    client = client_for(cast.it_agent)
    keep = [Kind.ASSIGNED, Kind.MENTION]

    response = client.post(URL, {"enabled": keep}, follow=True)

    assertRedirects(response, URL)
    assert "Your email preferences are saved." in response.content.decode()
    muted = set(OptOut.objects.filter(user=cast.it_agent).values_list("kind", flat=True))
    assert muted == {kind.value for kind in OPTIONAL_KINDS} - set(keep)
    assert checked(response.content.decode()) == set(keep)


def test_an_essential_kind_posted_by_hand_is_refused_and_nothing_changes(cast: Cast) -> None:
    client = client_for(cast.employee)
    client.post(URL, {"enabled": [Kind.STATUS_CHANGED]})
    before = set(OptOut.objects.filter(user=cast.employee).values_list("kind", flat=True))

    response = client.post(URL, {"enabled": [Kind.RECEIVED]})

    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert set(OptOut.objects.filter(user=cast.employee).values_list("kind", flat=True)) == before


def test_unticking_everything_still_leaves_the_essential_emails(cast: Cast) -> None:
    untick_everything(cast.employee)
    untick_everything(cast.it_agent)

    ticket = file_ticket(cast.employee)

    assert list(Notification.objects.filter(ticket=ticket).values_list("kind", "email")) == [
        (Kind.RECEIVED, cast.employee.email)
    ]


def test_each_person_sets_only_their_own_preferences(cast: Cast) -> None:
    untick_everything(cast.it_agent)

    assert not OptOut.objects.filter(user=cast.employee).exists()
    assert OptOut.objects.filter(user=cast.it_agent).count() == len(OPTIONAL_KINDS)


def test_a_post_with_every_box_unticked_and_nothing_else_turns_everything_off(cast: Cast) -> None:
    response = client_for(cast.it_agent).post(URL, {})

    assert response.status_code == 302
    assert OptOut.objects.filter(user=cast.it_agent).count() == len(OPTIONAL_KINDS)
