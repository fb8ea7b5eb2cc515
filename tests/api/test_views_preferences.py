from __future__ import annotations

import pytest

from notifications.models import OptOut

from ..conftest import Cast
from .conftest import ApiClient, api_as

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/notifications/"


def test_preferences_show_what_can_be_turned_off_and_what_is_always_sent(cast: Cast) -> None:
    body = api_as(cast.employee, scope="read").get(URL).json()
    assert body["optional"]
    assert all(row["enabled"] for row in body["optional"])
    assert all(row["enabled"] for row in body["always"])
    assert {row["kind"] for row in body["optional"]}.isdisjoint(row["kind"] for row in body["always"])


def test_turning_emails_off_goes_through_the_service(cast: Cast) -> None:
    client = api_as(cast.it_agent)
    optional = [row["kind"] for row in client.get(URL).json()["optional"]]
    response = client.client.put(
        URL, f'{{"enabled": ["{optional[0]}"]}}', content_type="application/json", headers=client.headers
    )
    assert response.status_code == 200
    assert set(OptOut.objects.filter(user=cast.it_agent).values_list("kind", flat=True)) == set(optional[1:])
    assert [row["enabled"] for row in response.json()["optional"]] == [True] + [False] * (len(optional) - 1)


def test_a_kind_that_cannot_be_chosen_is_refused(cast: Cast) -> None:
    client = api_as(cast.employee)
    always = client.get(URL).json()["always"][0]["kind"]
    response = client.client.put(
        URL,
        f'{{"enabled": ["{always}", "nonsense"]}}',
        content_type="application/json",
        headers=client.headers,
    )
    assert response.status_code == 400
    assert "enabled" in response.json()["error"]["fields"]
    assert not OptOut.objects.exists()


def test_read_only_token_cannot_change_preferences(cast: Cast) -> None:
    client = api_as(cast.employee, scope="read")
    response = client.client.put(
        URL, '{"enabled": []}', content_type="application/json", headers=client.headers
    )
    assert response.status_code == 403
    assert not OptOut.objects.exists()


def test_preferences_need_a_caller(cast: Cast) -> None:
    assert ApiClient().get(URL).status_code == 401
