"""Where a secret is kept may be written down; the secret itself never.

The registry says where a password lives ("vault: Social/LinkedIn") and who holds a phone,
so that anyone allowed can find them in a crisis. A pasted password, recovery code or key in
those fields would sit in every history event and every backup: refuse what looks like one.
The checks are a net for honest slips, not a proof; the labels and help texts say the rule.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# "password: hunter2", "pw=...", "recovery codes: 1234 5678", "api key: ..."
SECRET_LABEL = re.compile(
    r"\b(pass(word|wd|phrase)?|pwd|pw|pin|secret|token|otp|api[ _-]?key|recovery[ _-]?codes?|backup[ _-]?codes?)"
    r"\s*[:=]\s*\S",
    re.IGNORECASE,
)
# Separators that places and paths use; a password generator's symbols are the other ones.
PATH_PUNCTUATION = set("/\\:.-_@,;()'\"")
# A long run of letters and digits with no word in it: an API token or a base32 TOTP seed.
KEY_LIKE = re.compile(r"^(?=(?:.*\d){4})(?=(?:.*[A-Za-z]){4})[A-Za-z0-9+=]{16,}$")
# Authenticator apps show their seed in base32: capitals and the digits 2 to 7.
TOTP_SEED = re.compile(r"^(?=.*[2-7])[A-Z2-7]{16,}=*$")


def _looks_like_password(token: str) -> bool:
    if len(token) < 8:
        return False
    has_lower = any(c.islower() for c in token)
    has_upper = any(c.isupper() for c in token)
    has_digit = any(c.isdigit() for c in token)
    has_symbol = any(not c.isalnum() and c not in PATH_PUNCTUATION for c in token)
    return has_lower and has_upper and has_digit and has_symbol


def _looks_like_key(token: str) -> bool:
    # A word-like run ("LinkedInCompanyPage2024") has long stretches of lower-case letters.
    if TOTP_SEED.match(token):
        return True
    return bool(KEY_LIKE.match(token)) and not re.search(r"[a-z]{5}", token)


def no_secret(value: str) -> None:
    """Refuse text that carries a password, a recovery code or a key rather than where it is kept."""
    if not value:
        return
    if SECRET_LABEL.search(value) or any(
        _looks_like_password(token) or _looks_like_key(token) for token in value.split()
    ):
        raise ValidationError(
            "This looks like a password, code or key. Write only where it is kept "
            "(for example “vault: Social/LinkedIn”) and keep the secret itself in the vault.",
            code="secret",
        )
