"""Rating a resolved request: the signed link in the email, the portal's box, and who is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from time_machine import TimeMachineFixture

from notifications.emails import build
from notifications.models import Kind, Notification
from satisfaction.links import SALT, rating_token
from satisfaction.models import Rating
from tickets import services
from tickets.models import Ticket

from ..conftest import Cast, client_for
from ..factories import file_ticket
from ..tickets.pages import shown


@pytest.fixture
def resolved(cast: Cast) -> Ticket:
    ticket = file_ticket(cast.employee, subject="Blog shows an error")
    return services.ticket_set_status(ticket=ticket, status=Ticket.Status.RESOLVED, actor=cast.it_agent)


def link(ticket: Ticket) -> str:
    return reverse(
        "satisfaction:rate", args=[rating_token(ticket_id=ticket.pk, requester_id=ticket.requester_id)]
    )


# ---- the email and its link -------------------------------------------------------------------


def test_the_resolved_email_carries_a_rating_link_that_opens_the_rating_page(resolved: Ticket) -> None:
    notification = Notification.objects.get(kind=Kind.RESOLVED, ticket=resolved)

    message = build(notification)

    text = message.body
    assert "How did we do?" in text
    url = next(line for line in text.splitlines() if "/satisfaction/rate/" in line).strip()
    assert url in message.alternatives[0][0]
    page = Client().get(url.split("127.0.0.1:8000", 1)[-1].removeprefix("http://testserver"))
    assert page.status_code == 200
    assert "How did we do?" in shown(page)


def test_following_the_link_with_get_records_nothing(resolved: Ticket) -> None:
    response = Client().get(link(resolved))

    assert response.status_code == 200
    assert 'name="score" value="5"' in response.content.decode()
    assert Rating.objects.count() == 0


def test_a_button_posts_the_rating_with_its_comment(cast: Cast, resolved: Ticket) -> None:
    response = Client().post(link(resolved), {"score": "4", "comment": "Quick, thanks"}, follow=True)

    assert "you rated it 4 of 5" in shown(response)
    rating = Rating.objects.get()
    assert (rating.ticket, rating.requester, rating.score, rating.comment) == (
        resolved,
        cast.employee,
        4,
        "Quick, thanks",
    )


def test_one_rating_per_ticket_changeable_until_it_closes(cast: Cast, resolved: Ticket) -> None:
    Client().post(link(resolved), {"score": "2"})
    Client().post(link(resolved), {"score": "5", "comment": "Sorted after all"})

    rating = Rating.objects.get()
    assert (rating.score, rating.comment) == (5, "Sorted after all")

    Ticket.objects.filter(pk=resolved.pk).update(status=Ticket.Status.CLOSED, closed_at=timezone.now())
    response = Client().post(link(resolved), {"score": "1"})

    assert response.status_code == 409
    assert "closed" in shown(response)
    assert Rating.objects.get().score == 5


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),
        lambda token: signing.dumps({"t": 1, "u": 1}, salt="another purpose"),
        lambda token: "not-a-token",
    ],
    ids=["edited", "other salt", "garbage"],
)
def test_a_tampered_link_records_nothing(resolved: Ticket, tamper: object) -> None:
    token = rating_token(ticket_id=resolved.pk, requester_id=resolved.requester_id)
    url = reverse("satisfaction:rate", args=[tamper(token)])  # type: ignore[operator]

    assert Client().get(url).status_code == 404
    assert Client().post(url, {"score": "5"}).status_code == 404
    assert Rating.objects.count() == 0


def test_a_link_for_another_person_or_ticket_records_nothing(cast: Cast, resolved: Ticket) -> None:
    for ticket_id, requester_id in [
        (resolved.pk, cast.other_employee.pk),
        (resolved.pk + 999, cast.employee.pk),
    ]:
        token = signing.dumps({"t": ticket_id, "u": requester_id}, salt=SALT, compress=True)
        assert Client().post(reverse("satisfaction:rate", args=[token]), {"score": "5"}).status_code == 404
    assert Rating.objects.count() == 0


def test_an_expired_link_records_nothing(resolved: Ticket, time_machine: TimeMachineFixture) -> None:
    url = link(resolved)
    time_machine.move_to(timezone.now() + timedelta(days=14, minutes=1))

    response = Client().post(url, {"score": "5"})

    assert response.status_code == 410
    assert "expired" in shown(response)
    assert Rating.objects.count() == 0


def test_a_reopened_ticket_waits_for_its_next_resolution(cast: Cast, resolved: Ticket) -> None:
    services.ticket_reopen(ticket=resolved, actor=cast.employee)

    response = Client().post(link(resolved), {"score": "3"})

    assert response.status_code == 409
    assert "open again" in shown(response)
    assert Rating.objects.count() == 0


@pytest.mark.parametrize("score", ["0", "6", "", "five"])
def test_a_score_outside_1_to_5_is_refused_clearly(resolved: Ticket, score: str) -> None:
    response = Client().post(link(resolved), {"score": score})

    assert response.status_code == 400
    assert "Choose a rating from 1 to 5." in shown(response)
    assert Rating.objects.count() == 0


def test_html_in_the_comment_is_shown_as_typed(resolved: Ticket) -> None:
    Client().post(link(resolved), {"score": "5", "comment": "<script>alert(1)</script>"})

    page = Client().get(link(resolved)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# ---- poor ratings reach the managers ----------------------------------------------------------


def test_a_rating_of_1_or_2_tells_the_managers_once(cast: Cast, resolved: Ticket) -> None:
    Client().post(link(resolved), {"score": "2", "comment": "Took a week"})
    Client().post(link(resolved), {"score": "1", "comment": "Still slow"})

    told = Notification.objects.filter(kind=Kind.LOW_RATING)
    assert [n.recipient for n in told] == [cast.manager]
    message = build(told.get())
    assert "Rated 2 of 5: Blog shows an error" in message.subject
    assert "2 of 5" in message.body and "Took a week" in message.body


def test_a_good_rating_tells_nobody(resolved: Ticket) -> None:
    Client().post(link(resolved), {"score": "4"})

    assert not Notification.objects.filter(kind=Kind.LOW_RATING).exists()


# ---- the portal -------------------------------------------------------------------------------


def test_the_requester_rates_from_the_portal(cast: Cast, resolved: Ticket) -> None:
    response = client_for(cast.employee).post(
        reverse("satisfaction:rate_in_portal", args=[resolved.pk]), {"score": "5"}
    )

    assert response.status_code == 302
    assert Rating.objects.get().score == 5


def test_others_cannot_rate_from_the_portal(cast: Cast, resolved: Ticket) -> None:
    url = reverse("satisfaction:rate_in_portal", args=[resolved.pk])

    assert client_for(cast.other_employee).post(url, {"score": "1"}).status_code == 404
    assert client_for(cast.it_agent).post(url, {"score": "1"}).status_code == 404
    assert Client().post(url, {"score": "1"}).status_code == 302
    assert client_for(cast.employee).get(url).status_code == 405
    assert Rating.objects.count() == 0


def test_rating_holds_csrf(cast: Cast, resolved: Ticket) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(link(resolved), {"score": "5"}).status_code == 403
    client.force_login(cast.employee)
    assert (
        client.post(reverse("satisfaction:rate_in_portal", args=[resolved.pk]), {"score": "5"}).status_code
        == 403
    )
    assert Rating.objects.count() == 0


def test_the_portal_page_asks_how_did_we_do_once_resolved(cast: Cast, resolved: Ticket) -> None:
    page = shown(client_for(cast.employee).get(resolved.get_absolute_url()))

    assert "How did we do?" in page
    assert reverse("satisfaction:rate_in_portal", args=[resolved.pk]) in page


def test_the_portal_page_of_an_open_ticket_asks_nothing(cast: Cast) -> None:
    ticket = file_ticket(cast.employee)

    assert "How did we do?" not in shown(client_for(cast.employee).get(ticket.get_absolute_url()))


def test_a_closed_ticket_shows_its_rating_without_buttons(cast: Cast, resolved: Ticket) -> None:
    Client().post(link(resolved), {"score": "4"})
    Ticket.objects.filter(pk=resolved.pk).update(status=Ticket.Status.CLOSED, closed_at=timezone.now())

    page = client_for(cast.employee).get(resolved.get_absolute_url()).content.decode()
    assert "You rated it 4 of 5." in page
    assert 'name="score"' not in page
