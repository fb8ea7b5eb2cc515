from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from ..conftest import Cast, client_for
from .conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


@pytest.fixture
def rates(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Throttle rates small enough to reach in a test (DRF reads them once, at import)."""
    rates = {"token": "3/minute", "user": "5/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    return rates


def test_token_throttle_answers_429_with_retry_after(cast: Cast, rates: dict[str, str]) -> None:
    client = ApiClient(token_for(cast.employee))
    assert [client.get(ME).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(ME)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "throttled"
    # A second token has its own allowance, within the person's: four of their five are spent.
    other = ApiClient(token_for(cast.employee))
    assert [other.get(ME).status_code for _ in range(2)] == [200, 429]


def test_person_throttle_counts_the_session_too(cast: Cast, rates: dict[str, str]) -> None:
    session = client_for(cast.employee)
    statuses = [session.get(ME).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_validation_errors_share_the_shape(cast: Cast) -> None:
    response = ApiClient(token_for(cast.employee)).post("/api/v1/tickets/", {"subject": ""})
    error = response.json()["error"]
    assert response.status_code == 400
    assert error["code"] == "invalid"
    assert error["fields"]["subject"] == ["This field may not be blank."]
    assert error["message"] == "Correct platform, problem_type, subject, description and send it again."


def test_malformed_json_is_400_in_the_same_shape(cast: Cast) -> None:
    client = ApiClient(token_for(cast.employee))
    response = client.client.post(
        "/api/v1/tickets/", "{not json", content_type="application/json", headers=client.headers
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_session_writes_need_the_csrf_token(cast: Cast) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.employee)
    assert browser.get(ME).status_code == 200
    refused = browser.post("/api/v1/tickets/", "{}", content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]["message"]
    browser.get("/accounts/profile/")  # sets the CSRF cookie, as a page does
    token = browser.cookies["csrftoken"].value
    allowed = browser.post(
        "/api/v1/tickets/", "{}", content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert allowed.status_code == 400  # past CSRF: the empty filing is refused on its fields
