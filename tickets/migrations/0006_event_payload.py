"""Events get one declared payload per kind (tickets/events.py), converted from what rows held.

Before, an event kept a sentence written at the time (`summary`, with local times baked in)
and `changes` whose shape differed by kind: ids for the assignee, names for the queue.
Each row's payload is rebuilt from both: names become ids where a row still bears the name,
ids become labels from the rows they point at, and the moments written in summaries are read
back in TIME_ZONE. What a row never recorded (a rule since deleted, a comment id the demo
data did not keep) is kept as a label with no id. The conversion is frozen here, as the
payloads read when it was written; `convert` is a pure function so that it can be tested.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models

STATUS = {
    "new": "New",
    "open": "Open",
    "waiting_requester": "Waiting on requester",
    "waiting_third_party": "Waiting on third party",
    "resolved": "Resolved",
    "closed": "Closed",
}
STATUS_BY_LABEL = {label: value for value, label in STATUS.items()}
PRIORITY = {1: "Low", 2: "Normal", 3: "High", 4: "Urgent"}
PRIORITY_BY_LABEL = {label: value for value, label in PRIORITY.items()}
BATCH = 2000

Json = dict[str, Any]


class Lookups:
    """Names and ids of the rows old events point at, as they read now."""

    def __init__(
        self,
        users: dict[int, str],
        queues: dict[str, int],
        rules: dict[str, int],
        policies: dict[str, int],
        comment: Callable[[int, int | None, datetime], int | None],
    ) -> None:
        self.users, self.queues, self.rules, self.policies, self.comment = (
            users,
            queues,
            rules,
            policies,
            comment,
        )

    def user(self, pk: int | None) -> Json | None:
        return None if pk is None else {"id": pk, "label": self.users.get(pk, f"user {pk}")}

    def queue(self, label: str) -> Json:
        return {"id": self.queues.get(label), "label": label}


def _status(value: str) -> Json:
    return {"id": value, "label": STATUS.get(value, value)}


def _priority(value: int) -> Json:
    return {"id": value, "label": PRIORITY.get(value, str(value))}


def _move(changes: Json) -> Json | None:
    before, after = changes.get("status") or (None, None)
    return None if before is None or before == after else {"before": _status(before), "after": _status(after)}


def _tail(summary: str, pattern: str) -> str:
    match = re.search(pattern + r"(?:: (?P<tail>.*))?$", summary, re.S)
    return (match.group("tail") or "") if match else ""


MOMENT = re.compile(r"(?P<target>first response|resolution) due (?P<when>\w{3} \d{1,2} \w{3}, \d{2}:\d{2})")


def moment_read(text: str, near: datetime, zone: ZoneInfo) -> str | None:
    """A moment as tickets.notify.when wrote it ("Mon 3 Nov, 14:00", no year), nearest `near`."""
    try:
        parsed = datetime.strptime(text, "%a %d %b, %H:%M")
    except ValueError:
        return None
    local = near.astimezone(zone)
    candidates = []
    for year in (local.year - 1, local.year, local.year + 1):
        try:
            candidates.append(parsed.replace(year=year, tzinfo=zone))
        except ValueError:  # 29 Feb in a year without it
            continue
    if not candidates:
        return None
    best = min(candidates, key=lambda moment: abs(moment - near))
    return best.astimezone(ZoneInfo("UTC")).isoformat()


def _routed(summary: str, changes: Json, look: Lookups) -> Json:
    match = re.match(
        r"No routing rule matched: sent to (?P<queue>.+) \(fallback\) as (?P<priority>\w+)$", summary
    )
    match = match or re.match(
        r"Routed to (?P<queue>.+) as (?P<priority>\w+) by rule “(?P<rule>.+)”$", summary
    )
    match = match or re.match(r"Routed to (?P<queue>.+) as (?P<priority>\w+) \(fallback\)$", summary)
    found = match.groupdict() if match else {}
    queue = changes.get("queue") or found.get("queue") or "?"
    priority = changes.get("priority") or found.get("priority") or "Normal"
    rule_name = changes.get("rule") if "rule" in changes else found.get("rule")
    rule = None
    if rule_name:
        rule = {"id": changes.get("rule_id") or look.rules.get(rule_name), "label": rule_name}
    return {
        "queue": look.queue(queue),
        "priority": {"id": PRIORITY_BY_LABEL.get(priority), "label": priority},
        "rule": rule,
    }


def _assigned(summary: str, changes: Json, actor: int | None, look: Lookups) -> Json:
    before, after = changes.get("assignee") or (None, None)
    chosen_by = "person"
    if actor is None:
        chosen_by = "turn" if " in turn" in summary else "rule"
    return {
        "before": look.user(before),
        "after": look.user(after),
        "chosen_by": chosen_by,
        "status": _move(changes),
    }


def _transferred(summary: str, changes: Json, look: Lookups) -> Json:
    before, after = changes.get("queue") or ("?", "?")
    pattern = f"moved the ticket from {re.escape(before)} to {re.escape(after)}"
    pattern += f"(?: and unassigned .+?, who doesn't work {re.escape(after)})?"
    assignee = changes.get("assignee")
    return {
        "before": look.queue(before),
        "after": look.queue(after),
        "unassigned": look.user(assignee[0]) if assignee else None,
        "note": _tail(summary, pattern),
    }


def _status_changed(summary: str, changes: Json) -> Json:
    before, after = changes.get("status") or (None, None)
    how, reason, days = "set", "", None
    closed = re.match(r"Closed automatically (\d+) days", summary)
    if closed:
        how, days = "closed", int(closed.group(1))
        before, after = before or "resolved", after or "closed"
    elif changes.get("reopened") or " reopened the request" in summary:
        how, reason = "reopened", _tail(summary, "reopened the request")
        before, after = before or "resolved", after or "open"
    elif summary.endswith(" marked the request resolved"):
        how = "resolved"
    if after is None:  # written without changes: "… changed the status to Resolved"
        label = re.search(r"status to (.+)$", summary)
        after = STATUS_BY_LABEL.get(label.group(1), "resolved") if label else "resolved"
        before = "open"
    return {
        "before": _status(before or "open"),
        "after": _status(after),
        "how": how,
        "reason": reason,
        "reopen_days": days,
    }


def _priority_changed(summary: str, changes: Json) -> Json:
    before, after = changes.get("priority") or (2, 2)
    overdue = re.search(r"the (first response|resolution) is overdue$", summary)
    return {
        "before": _priority(before),
        "after": _priority(after),
        "overdue": overdue.group(1) if overdue else None,
    }


def _commented(changes: Json, ticket: int, actor: int | None, at: datetime, look: Lookups) -> Json:
    comment = changes.get("comment")
    return {
        "comment_id": comment if comment is not None else look.comment(ticket, actor, at),
        "status": _move(changes),
    }


def _sla(summary: str, at: datetime, look: Lookups, zone: ZoneInfo) -> Json:
    policy = re.search(r"“(.+)”", summary)
    dues = {m.group("target"): moment_read(m.group("when"), at, zone) for m in MOMENT.finditer(summary)}
    return {
        "policy": {"id": look.policies.get(policy.group(1)), "label": policy.group(1)} if policy else None,
        "first_response_due_at": dues.get("first response"),
        "resolution_due_at": dues.get("resolution"),
        "recomputed": summary.startswith("SLA targets recomputed"),
    }


def _deadline(changes: Json, summary: str, at: datetime, zone: ZoneInfo) -> Json:
    target = changes.get("target") or ("resolution" if "resolution" in summary else "first response")
    due_at = changes.get("due_at")
    if due_at is None:
        written = re.search(r"(?:is|was) due (.+)$", summary)
        due_at = (written and moment_read(written.group(1), at, zone)) or at.isoformat()
    return {
        "target": target,
        "due_at": datetime.fromisoformat(due_at).astimezone(ZoneInfo("UTC")).isoformat(),
    }


def convert(
    *,
    kind: str,
    summary: str,
    changes: Json,
    ticket: int,
    actor: int | None,
    at: datetime,
    look: Lookups,
    zone: ZoneInfo,
) -> Json:
    """The payload of one old event, as tickets/events.py declares it for `kind`."""
    changes = changes or {}
    if kind == "filed":
        return {}
    if kind == "routed":
        return _routed(summary, changes, look)
    if kind == "assigned":
        return _assigned(summary, changes, actor, look)
    if kind == "transferred":
        return _transferred(summary, changes, look)
    if kind == "time_logged":
        return {"minutes": int(changes.get("minutes") or 0), "note": _tail(summary, r"logged \d+ min")}
    if kind == "status":
        return _status_changed(summary, changes)
    if kind == "priority":
        return _priority_changed(summary, changes)
    if kind in ("replied", "noted"):
        return _commented(changes, ticket, actor, at, look)
    if kind == "sla":
        return _sla(summary, at, look, zone)
    if kind in ("sla_warning", "sla_breach"):
        return _deadline(changes, summary, at, zone)
    raise ValueError(f"unknown event kind {kind!r}")


def _lookups(apps: Any) -> Lookups:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    Comment = apps.get_model("tickets", "Comment")

    def comment(ticket: int, actor: int | None, at: datetime) -> int | None:
        near = Comment.objects.filter(ticket_id=ticket, author_id=actor, created_at=at)
        return near.order_by("pk").values_list("pk", flat=True).first()

    return Lookups(
        users={
            pk: name or email
            for pk, name, email in user_model.objects.values_list("pk", "full_name", "email")
        },
        queues={
            name: pk for pk, name in apps.get_model("tickets", "Queue").objects.values_list("pk", "name")
        },
        rules={
            name: pk
            for pk, name in apps.get_model("tickets", "RoutingRule").objects.values_list("pk", "name")
        },
        policies={name: pk for pk, name in apps.get_model("sla", "Policy").objects.values_list("pk", "name")},
        comment=comment,
    )


def _batches(queryset: Any) -> Iterator[list[Any]]:
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def forwards(apps: Any, schema_editor: Any) -> None:
    Event = apps.get_model("tickets", "Event")
    look = _lookups(apps)
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = Event.objects.only("pk", "kind", "summary", "changes", "ticket_id", "actor_id", "created_at")
    for batch in _batches(rows):
        for event in batch:
            event.payload = convert(
                kind=event.kind,
                summary=event.summary,
                changes=event.changes,
                ticket=event.ticket_id,
                actor=event.actor_id,
                at=event.created_at,
                look=look,
                zone=zone,
            )
        Event.objects.bulk_update(batch, ["payload"])


class Migration(migrations.Migration):
    dependencies = [
        ("sla", "0001_initial"),
        ("tickets", "0005_dashboard_covering_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="payload",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
    ]
