"""Where a secret is kept may be written down, never the secret itself."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Field

from social.models import CompanyAccount
from social.validators import no_secret


@pytest.mark.parametrize(
    "value",
    [
        "vault: Social/LinkedIn",
        "1Password, Marketing vault, item “LinkedIn page”",
        "Bitwarden: Social / X (France)",
        "password manager: Keeper, folder Social",
        "social-admins@socialit.example",
        "+33 6 12 34 56 78",
        "IT safe, envelope 12",
        "LinkedInCompanyPage2024",
        "",
    ],
)
def test_places_are_kept_as_written(value: str) -> None:
    field = CompanyAccount._meta.get_field("credentials_location")
    assert isinstance(field, Field)

    assert field.clean(value, None) == value


@pytest.mark.parametrize(
    "value",
    [
        "password: hunter2",
        "vault, pw=Spring2024",
        "Recovery codes: 1234 5678 9012",
        "api key = abc",
        "Tr0ub4dor&3x",
        "vault: Social/X then Xk9#mQ2!pL",
        "JBSWY3DPEHPK3PXP",
        "ghp7Hs92KdkQ0Zr81LmNvB3TuYx",
    ],
)
def test_secrets_are_refused_with_what_to_write_instead(value: str) -> None:
    with pytest.raises(ValidationError) as refusal:
        no_secret(value)
    assert "vault: Social/LinkedIn" in refusal.value.messages[0]
