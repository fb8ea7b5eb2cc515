"""Macros for the tests, made as an administrator would."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from macros.models import Macro
from tickets.models import Queue


def macro(*, queue: Queue | None = None, owner: User | None = None, **fields: Any) -> Macro:
    fields.setdefault("name", "Password reset steps")
    fields.setdefault("reply", "Hello {{first_name}}, about {{reference}} in {{queue}}: reset it. {{agent}}")
    made = Macro(queue=queue, owner=owner, **fields)
    made.full_clean()
    made.save()
    return made
