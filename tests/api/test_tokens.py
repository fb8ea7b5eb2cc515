from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from api.tokens import api_token_authenticate, api_token_create, api_token_revoke

from ..conftest import Cast, client_for
from ..twofactor.devices import authenticator
from .conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def test_token_is_stored_only_as_its_digest(cast: Cast) -> None:
    issued = api_token_create(
        user=cast.employee, name="Chat bot", scope="read", expires_in_days=30, second_factor_passed=False
    )
    token = ApiToken.objects.get()
    secret = issued.plaintext.split("_", 2)[2]
    assert issued.plaintext.startswith(f"sit_{token.prefix}_")
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.digest, token.prefix, token.name}


def test_a_valid_token_opens_the_api_as_its_owner_and_records_its_use(cast: Cast) -> None:
    response = ApiClient(token_for(cast.employee)).get(ME)
    assert response.status_code == 200
    assert response.json()["email"] == cast.employee.email
    assert ApiToken.objects.get().last_used_at is not None


def test_anonymous_caller_is_asked_for_a_token(cast: Cast) -> None:
    response = ApiClient().get(ME)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize("text", ["sit_nothing", "sit_abcdefgh_wrong", "Basic abc", ""])
def test_forged_tokens_are_refused(cast: Cast, text: str) -> None:
    token_for(cast.employee)
    assert ApiClient(text).get(ME).status_code == 401


def test_a_tampered_secret_is_refused(cast: Cast) -> None:
    plaintext = token_for(cast.employee)
    assert (
        ApiClient(plaintext[:-2] + ("aa" if not plaintext.endswith("aa") else "bb")).get(ME).status_code
        == 401
    )


def test_expired_token_is_refused(cast: Cast) -> None:
    plaintext = token_for(cast.employee, days=7)
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        response = ApiClient(plaintext).get(ME)
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]


def test_revoked_token_is_refused(cast: Cast) -> None:
    plaintext = token_for(cast.employee)
    api_token_revoke(token=ApiToken.objects.get(), actor=cast.employee)
    assert ApiClient(plaintext).get(ME).status_code == 401


def test_token_of_a_deactivated_account_is_refused(cast: Cast) -> None:
    plaintext = token_for(cast.employee)
    cast.employee.is_active = False
    cast.employee.save(update_fields=["is_active"])
    assert api_token_authenticate(plaintext) is None


def test_read_only_token_cannot_write(cast: Cast) -> None:
    response = ApiClient(token_for(cast.employee, scope="read")).post(
        "/api/v1/tickets/", {"subject": "x", "description": "y", "platform": 1, "problem_type": 1}
    )
    assert response.status_code == 403
    assert "read only" in response.json()["error"]["message"]


def test_nobody_revokes_someone_elses_token(cast: Cast) -> None:
    token_for(cast.employee)
    token = ApiToken.objects.get()
    response = client_for(cast.other_employee).post(f"/accounts/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


# ---- the profile's token screen ----------------------------------------------------


def test_new_token_is_shown_once_on_the_profile_screen(cast: Cast) -> None:
    client = client_for(cast.employee)
    created = client.post(
        "/accounts/api-tokens/", {"name": "Intranet", "scope": "write", "expires_in_days": "30"}
    )
    plaintext = created.context["issued"].plaintext
    assert plaintext in created.content.decode()
    assert "no-store" in created.headers["Cache-Control"]
    listed = client.get("/accounts/api-tokens/")
    assert plaintext not in listed.content.decode()
    assert "Intranet" in listed.content.decode()
    assert ApiClient(plaintext).get(ME).status_code == 200


def test_token_screen_lists_last_use_and_revokes(cast: Cast) -> None:
    plaintext = token_for(cast.employee)
    ApiClient(plaintext).get(ME)
    client = client_for(cast.employee)
    page = client.get("/accounts/api-tokens/").content.decode()
    assert "last used never" not in page
    token = ApiToken.objects.get()
    assert client.post(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 302
    assert ApiClient(plaintext).get(ME).status_code == 401
    assert "Revoked" in client.get("/accounts/api-tokens/").content.decode()


def test_token_form_says_what_to_fix(cast: Cast) -> None:
    response = client_for(cast.employee).post(
        "/accounts/api-tokens/", {"name": "", "scope": "admin", "expires_in_days": "9999"}
    )
    assert response.status_code == 200
    assert response.context["issued"] is None
    assert set(response.context["form"].errors) == {"name", "scope", "expires_in_days"}
    assert not ApiToken.objects.exists()


def test_profile_links_to_the_token_screen(cast: Cast) -> None:
    assert "/accounts/api-tokens/" in client_for(cast.employee).get("/accounts/profile/").content.decode()


def test_token_screen_needs_sign_in(cast: Cast) -> None:
    assert Client().get("/accounts/api-tokens/").status_code == 302


# ---- a token passes without a second factor: only a session that gave one makes it ---------


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_staff_who_must_give_a_second_factor_make_tokens_only_after_giving_it(cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        api_token_create(user=user, name="Bot", scope="read", expires_in_days=7, second_factor_passed=False)
    unverified = Client()
    unverified.force_login(user)
    response = unverified.post(
        "/accounts/api-tokens/", {"name": "Bot", "scope": "read", "expires_in_days": "7"}
    )
    assert response.status_code == 302  # to the second-factor step, before any token
    assert not ApiToken.objects.exists()
    verified = client_for(user).post(
        "/accounts/api-tokens/", {"name": "Bot", "scope": "read", "expires_in_days": "7"}
    )
    assert verified.context["issued"] is not None


def test_an_agent_with_an_authenticator_needs_it_for_a_token(cast: Cast) -> None:
    authenticator(cast.it_agent)
    with pytest.raises(PermissionDenied):
        api_token_create(
            user=cast.it_agent, name="Bot", scope="read", expires_in_days=7, second_factor_passed=False
        )
    assert api_token_create(
        user=cast.it_agent, name="Bot", scope="read", expires_in_days=7, second_factor_passed=True
    )


def test_an_employee_makes_a_token_with_the_password_alone(cast: Cast) -> None:
    response = client_for(cast.employee).post(
        "/accounts/api-tokens/", {"name": "Bot", "scope": "read", "expires_in_days": "7"}
    )
    issued = response.context["issued"]

    assert issued.token.user == cast.employee
    assert issued.plaintext in response.content.decode()
    assert ApiClient(issued.plaintext).get(ME).json()["email"] == cast.employee.email
