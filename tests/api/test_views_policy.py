"""The API's pages send the desk's strict Content-Security-Policy and carry no inline code."""

from __future__ import annotations

import pytest
from django.test import Client

from ..conftest import Cast, client_for
from ..test_csp import assert_page_clean, assert_strict_policy

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/docs/", "/accounts/api-tokens/", "/api/v1/me/", "/api/schema/"])
def test_api_pages_send_the_strict_policy(cast: Cast, path: str) -> None:
    for client in (Client(), client_for(cast.employee), client_for(cast.manager)):
        response = client.get(path, follow=True)
        assert_strict_policy(response, path)
        if response.status_code == 200 and "html" in response.headers["Content-Type"]:
            assert_page_clean(response, path)


def test_the_token_page_with_a_new_token_is_clean(cast: Cast) -> None:
    response = client_for(cast.employee).post(
        "/accounts/api-tokens/", {"name": "Bot", "scope": "read", "expires_in_days": "7"}
    )
    assert response.status_code == 200
    assert_strict_policy(response, "new token")
    assert_page_clean(response, "new token")
