from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from api.models import ApiToken
from api.tokens import api_token_revoke

from ..conftest import Cast, client_for
from .conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db


def test_administrator_lists_tokens_without_their_secrets(cast: Cast) -> None:
    plaintext = token_for(cast.employee)
    token = ApiToken.objects.get()
    page = client_for(cast.admin).get(reverse("admin:api_apitoken_changelist")).content.decode()
    assert token.prefix in page
    assert plaintext.split("_", 2)[2] not in page
    assert (
        token.digest
        not in client_for(cast.admin)
        .get(reverse("admin:api_apitoken_change", args=[token.pk]))
        .content.decode()
    )


def test_administrator_revokes_a_token(cast: Cast) -> None:
    plaintext = token_for(cast.employee)
    token = ApiToken.objects.get()
    response = client_for(cast.admin).post(
        reverse("admin:api_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    assert ApiClient(plaintext).get("/api/v1/me/").status_code == 401


def test_nobody_else_revokes_someone_elses_token(cast: Cast) -> None:
    token_for(cast.employee)
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=ApiToken.objects.get(), actor=cast.manager)
    assert ApiToken.objects.get().revoked_at is None


def test_agents_dont_see_tokens_in_the_admin(cast: Cast) -> None:
    token_for(cast.employee)
    response = client_for(cast.it_agent).get(reverse("admin:api_apitoken_changelist"))
    assert response.status_code in (302, 403)
