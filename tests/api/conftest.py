"""Callers of the API: a client that sends a personal token, made through the token service."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import User
from api.tokens import api_token_create


class ApiClient:
    """Django's test client speaking JSON with `Authorization: Bearer <token>`."""

    def __init__(self, token: str = "") -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, url: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.get(url, data or {}, headers=self.headers)

    def post(self, url: str, body: dict[str, Any]) -> Any:
        return self.client.post(url, json.dumps(body), content_type="application/json", headers=self.headers)

    def upload(self, url: str, fields: dict[str, Any]) -> Any:
        """A multipart/form-data POST: fields and files, as a browser form sends them."""
        return self.client.post(url, fields, headers=self.headers)

    def patch(self, url: str, body: dict[str, Any]) -> Any:
        return self.client.patch(url, json.dumps(body), content_type="application/json", headers=self.headers)


def token_for(user: User, scope: str = "write", days: int = 30) -> str:
    # Made from a session that gave the second factor, as the token screen requires of staff.
    return api_token_create(
        user=user, name="Script", scope=scope, expires_in_days=days, second_factor_passed=True
    ).plaintext


def api_as(user: User, scope: str = "write") -> ApiClient:
    return ApiClient(token_for(user, scope))


@pytest.fixture(autouse=True)
def throttle_counts_cleared() -> None:
    """Throttles count on the shared cache: one test's requests must not spend the next one's."""
    cache.clear()
