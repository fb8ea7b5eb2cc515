"""The webhook admin screens and the API token page, at desktop and phone width, into
test-results/screens/."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from api.tokens import api_token_create
from webhooks.models import Attempt, Delivery, Endpoint, Topic

from ..conftest import Cast
from ..factories import file_ticket
from .conftest import DESKTOP, PHONE, assert_fields_labelled, assert_no_horizontal_scroll, log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def endpoints(cast: Cast) -> Endpoint:
    chat = Endpoint.objects.create(
        name="IT chat channel",
        url="https://chat.example.com/hooks/social-it-desk/incoming",
        owner=cast.admin,
        topics=[Topic.TICKET_CREATED, Topic.TICKET_ASSIGNED, Topic.SLA_BREACH],
    )
    Endpoint.objects.create(
        name="Intranet news",
        url="https://intranet.example.com/api/desk-events",
        owner=cast.manager,
        topics=list(Topic.values),
        is_active=False,
        failures_in_row=15,
        disabled_at=timezone.now(),
        disabled_reason="15 failures in a row; the last: Answered HTTP 503.",
    )
    file_ticket(cast.employee, subject="The blog shows a PHP error on every page")
    delivery = Delivery.objects.filter(endpoint=chat).order_by("pk").first()
    assert delivery is not None
    Attempt.objects.create(
        delivery=delivery, number=1, duration_ms=3004, error="No answer within 10.0 s.", response_excerpt=""
    )
    Attempt.objects.create(
        delivery=delivery, number=2, duration_ms=87, status_code=200, response_excerpt='{"ok": true}'
    )
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.DELIVERED, attempts=2, delivered_at=timezone.now()
    )
    intranet = Endpoint.objects.get(name="Intranet news")
    for topic in (Topic.TICKET_UPDATED, Topic.SLA_BREACH):
        Delivery.objects.create(
            endpoint=intranet,
            topic=topic,
            ticket=delivery.ticket,
            payload=delivery.payload,
            status=Delivery.Status.FAILED,
            attempts=8,
            last_error="Answered HTTP 503. The endpoint was turned off after 15 failures in a row.",
        )
    return chat


def at_both_widths(page: Page, name: str, show: Callable[[], None], check: Callable[[], None]) -> None:
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        show()
        check()
        # The admin's lists label their search box with a magnifier image: its alt text names it.
        if "/change/" in page.url or "/add/" in page.url:
            assert_fields_labelled(page)
        screenshot(page, name)


def test_webhook_admin_screens(cast: Cast, endpoints: Endpoint, page: Page) -> None:
    log_in(page, cast.admin)
    at_both_widths(
        page,
        "webhooks-endpoints",
        lambda: page.goto("/admin/webhooks/endpoint/"),
        lambda: expect(page.get_by_role("link", name="IT chat channel")).to_be_visible(),
    )
    at_both_widths(
        page,
        "webhooks-endpoint",
        lambda: page.goto(f"/admin/webhooks/endpoint/{endpoints.pk}/change/"),
        lambda: expect(page.get_by_text(endpoints.secret)).to_be_visible(),
    )
    delivery = Delivery.objects.filter(endpoint=endpoints).order_by("pk").first()
    assert delivery is not None
    at_both_widths(
        page,
        "webhooks-deliveries",
        lambda: page.goto("/admin/webhooks/delivery/"),
        lambda: expect(page.get_by_text("Ticket created").first).to_be_visible(),
    )
    at_both_widths(
        page,
        "webhooks-delivery",
        lambda: page.goto(f"/admin/webhooks/delivery/{delivery.pk}/change/"),
        lambda: expect(page.get_by_text("No answer within 10.0 s.")).to_be_visible(),
    )
    # A private address is refused with the reason, on the form.
    page.set_viewport_size(DESKTOP)
    page.goto("/admin/webhooks/endpoint/add/")
    page.get_by_label("Name").fill("Local test")
    page.get_by_label("URL").fill("http://192.168.1.20/hook")
    page.get_by_label("Ticket created").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("a private address: webhooks go only to public addresses")).to_be_visible()
    screenshot(page, "webhooks-endpoint-refused")


def test_token_page(cast: Cast, page: Page) -> None:
    api_token_create(
        user=cast.it_agent, name="Chat bot", scope="write", expires_in_days=90, second_factor_passed=True
    )
    log_in(page, cast.it_agent)

    def create() -> None:
        page.goto("/accounts/api-tokens/")
        page.get_by_label("Name").fill("Intranet widget")
        page.get_by_label("Read only").check()
        page.get_by_role("button", name="Create token").click()

    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        create()
        expect(page.get_by_text("Your new token “Intranet widget”")).to_be_visible()
        assert_fields_labelled(page)
        if viewport is PHONE:
            assert_no_horizontal_scroll(page)
        screenshot(page, "api-tokens")
