"""Where the apps above tickets take part in tickets: filing, resolution, where the desk opens.

Imports flow one way, so tickets can't call checklists or the registry; they register here
from their AppConfig.ready instead, and the ticket services call what is registered inside
the change's transaction, so a refusal or a failure rolls the whole change back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from .models import Ticket

if TYPE_CHECKING:
    from accounts.models import User

# After a ticket is filed and routed: attach what its problem type brings (a checklist).
Filed = Callable[[Ticket], object]
# Before a ticket is resolved or closed unfinished: what is still to do, empty when nothing is.
ResolutionCheck = Callable[[Ticket], list[str]]
# Once a ticket is resolved: what it was about goes back to normal (an account, active again).
Resolved = Callable[[Ticket], None]
# The desk list opened with nothing in its address: the filters to open on instead, or "".
DeskStart = Callable[["User"], str]
# The moment a saved ticket must be resolved by, whatever its policy says (a post's publish time), or None.
ResolveBy = Callable[[Ticket], datetime | None]

_filed: list[Filed] = []
_resolution_checks: list[ResolutionCheck] = []
_resolved: list[Resolved] = []
_desk_start: list[DeskStart] = []
_resolve_by: list[ResolveBy] = []


def on_filed(hook: Filed) -> None:
    if hook not in _filed:
        _filed.append(hook)


def on_resolution_check(hook: ResolutionCheck) -> None:
    if hook not in _resolution_checks:
        _resolution_checks.append(hook)


def on_resolved(hook: Resolved) -> None:
    if hook not in _resolved:
        _resolved.append(hook)


def on_desk_start(hook: DeskStart) -> None:
    if hook not in _desk_start:
        _desk_start.append(hook)


def on_resolve_by(hook: ResolveBy) -> None:
    if hook not in _resolve_by:
        _resolve_by.append(hook)


def filed(ticket: Ticket) -> None:
    for hook in _filed:
        hook(ticket)


def still_to_do(ticket: Ticket) -> list[str]:
    return [item for check in _resolution_checks for item in check(ticket)]


def resolved(ticket: Ticket) -> None:
    for hook in _resolved:
        hook(ticket)


def desk_start(user: User) -> str:
    return next((found for hook in _desk_start if (found := hook(user))), "")


def resolve_by(ticket: Ticket) -> datetime | None:
    return min((found for hook in _resolve_by if (found := hook(ticket)) is not None), default=None)
