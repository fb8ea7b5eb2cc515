"""Account events: one shape of `changes` for every kind, written and read here only.

An event says what it is about (an access row, a connected app, or the account itself) and,
field by field, the value before and after, each as an id and a label: the id for code that
follows the change later, the label for people, frozen as it read at the time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypedDict

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User

from .models import AccountEvent, CompanyAccount

# Shown only to those who may see recovery details; the history says that they changed.
RECOVERY_FIELDS = frozenset(
    {
        "second_factor_holder",
        "recovery_email",
        "recovery_email_holder",
        "recovery_phone",
        "recovery_phone_holder",
        "credentials_location",
    }
)


class Value(TypedDict):
    id: str | int | None
    label: str


class FieldChange(TypedDict):
    field: str
    label: str
    before: Value | None
    after: Value | None
    restricted: bool


class Changes(TypedDict):
    subject: Value | None
    fields: list[FieldChange]


def declared_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """One of the model's own fields: a reverse relation has no column and no label."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a reverse relation, not a field")
    return field


def value_of(instance: models.Model, name: str) -> Value | None:
    """A field's current value on `instance`, as an id and a label; None when empty."""
    field = declared_field(type(instance), name)
    if field.is_relation:
        related = getattr(instance, name)
        return None if related is None else {"id": related.pk, "label": str(related)}
    raw = getattr(instance, field.attname)
    if raw in (None, ""):
        return None
    if field.choices:
        return {"id": raw, "label": str(dict(field.flatchoices).get(raw, raw))}
    if isinstance(raw, datetime):
        return {"id": raw.isoformat(), "label": date_format(timezone.localtime(raw), "j M Y")}
    if isinstance(raw, date):
        return {"id": raw.isoformat(), "label": date_format(raw, "j M Y")}
    return {"id": raw if isinstance(raw, int) else str(raw), "label": str(raw)}


def field_change(instance: models.Model, name: str, before: Value | None) -> FieldChange:
    return {
        "field": name,
        "label": str(declared_field(type(instance), name).verbose_name).capitalize(),
        "before": before,
        "after": value_of(instance, name),
        "restricted": name in RECOVERY_FIELDS,
    }


def snapshot(instance: models.Model, names: list[str]) -> dict[str, Value | None]:
    return {name: value_of(instance, name) for name in names}


def diff(instance: models.Model, before: dict[str, Value | None]) -> list[FieldChange]:
    """The fields whose value differs from `before`, in the order they were asked for."""
    changes = []
    for name, old in before.items():
        new = value_of(instance, name)
        if (old["id"] if old else None) != (new["id"] if new else None):
            changes.append(field_change(instance, name, old))
    return changes


def subject_of(instance: models.Model) -> Value:
    return {"id": instance.pk, "label": str(instance)}


def event_record(
    *,
    account: CompanyAccount,
    actor: User | None,
    kind: str,
    summary: str,
    fields: list[FieldChange],
    subject: Value | None = None,
    reason: str = "",
) -> AccountEvent:
    changes: Changes = {"subject": subject, "fields": fields}
    event = AccountEvent(
        account=account,
        actor=actor,
        kind=kind,
        summary=summary[:300],
        changes=dict(changes),
        reason=reason[:300],
        created_at=timezone.now(),
    )
    event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class HistoryLine:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    event: AccountEvent
    lines: list[HistoryLine]


HIDDEN = "(recovery detail)"


def history_lines(event: AccountEvent, *, show_recovery: bool) -> list[HistoryLine]:
    """What changed, as a person reads it; recovery details only for those allowed to see them."""
    lines = []
    for change in event.changes.get("fields", []):
        hide = change.get("restricted") and not show_recovery
        before, after = change.get("before"), change.get("after")
        lines.append(
            HistoryLine(
                label=change["label"],
                before=HIDDEN if hide and before else (before or {}).get("label", "—"),
                after=HIDDEN if hide and after else (after or {}).get("label", "—"),
            )
        )
    return lines


def history_entries(events: list[AccountEvent], *, show_recovery: bool) -> list[HistoryEntry]:
    return [HistoryEntry(event, history_lines(event, show_recovery=show_recovery)) for event in events]


def field_names(names: list[str]) -> str:
    """ "status, owner and deputy" from field names, for summaries."""
    labels = [str(declared_field(CompanyAccount, name).verbose_name) for name in names]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
