"""What each kind of approval does once decided, registered by the app that asks for it.

Approvals knows no company account and no network rule: the asking app (social) registers,
at start-up, what happens when its kind is approved, rejected or expires. The handlers run
inside the deciding transaction, so a decision and its consequences stand or fall together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from accounts.models import User

    from .models import Approval


class Fact(TypedDict):
    label: str
    value: str


class Details(TypedDict, total=False):
    facts: list[Fact]
    role: str
    role_label: str
    what: str
    platform: str


Handler = Callable[["Approval", "User | None"], None]


def _nothing(approval: Approval, actor: User | None) -> None:
    return None


@dataclass(frozen=True)
class KindHandlers:
    on_approved: Handler
    on_rejected: Handler = _nothing
    on_expired: Handler = _nothing


HANDLERS: dict[str, KindHandlers] = {}


def kind_register(kind: str, handlers: KindHandlers) -> None:
    HANDLERS[kind] = handlers


def handlers_for(kind: str) -> KindHandlers:
    return HANDLERS.get(kind, KindHandlers(on_approved=_nothing))
