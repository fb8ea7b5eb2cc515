"""Routing: which queue, priority and assignee a new ticket gets.

Rules are read here and matched by a pure function, so the filing service and the
admin's "try the rules" page decide exactly alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Queue, RoutingRule, Ticket


@dataclass(frozen=True)
class Facts:
    platform_id: int
    problem_type_id: int
    department_id: int | None
    subject: str
    description: str
    # The queue whose mailbox the request was emailed to; None when filed in the browser.
    emailed_to_id: int | None = None


@dataclass(frozen=True)
class Decision:
    queue: Queue
    priority: int
    rule: RoutingRule | None
    assignee_id: int | None
    round_robin: bool
    # No rule matched and the queue is the one the request was emailed to, not the fallback.
    emailed_queue: bool = False

    @property
    def priority_label(self) -> str:
        return Ticket.Priority(self.priority).label


def keyword_found(keywords: list[str], text: str) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE) for word in keywords)


def rule_matches(rule: RoutingRule, facts: Facts) -> bool:
    """Every condition the rule sets must hold; an empty condition holds for anyone."""
    platform_ids = {p.pk for p in rule.platforms.all()}
    problem_type_ids = {p.pk for p in rule.problem_types.all()}
    department_ids = {d.pk for d in rule.departments.all()}
    emailed_to_ids = {q.pk for q in rule.emailed_to.all()}
    return (
        (not emailed_to_ids or facts.emailed_to_id in emailed_to_ids)
        and (not platform_ids or facts.platform_id in platform_ids)
        and (not problem_type_ids or facts.problem_type_id in problem_type_ids)
        and (not department_ids or facts.department_id in department_ids)
        and (
            not rule.keyword_list or keyword_found(rule.keyword_list, f"{facts.subject}\n{facts.description}")
        )
    )


def active_rules() -> list[RoutingRule]:
    return list(
        RoutingRule.objects.filter(is_active=True)
        .select_related("queue")
        .prefetch_related("platforms", "problem_types", "departments", "emailed_to")
    )


def fallback_queue() -> Queue:
    queue = Queue.objects.filter(is_fallback=True).first()
    if queue is None:
        # A desk without a fallback still routes: the first queue catches the rest.
        queue = Queue.objects.order_by("pk").first()
    if queue is None:
        raise RuntimeError("No queue exists: run `manage.py seed` or add one in the admin.")
    return queue


def route(facts: Facts, *, emailed_to: Queue | None = None) -> Decision:
    """The first matching rule decides; without one, the queue emailed to, else the fallback."""
    for rule in active_rules():
        if rule_matches(rule, facts):
            return Decision(
                queue=rule.queue,
                priority=rule.priority or Ticket.Priority.NORMAL,
                rule=rule,
                assignee_id=rule.assignee_id,
                round_robin=rule.round_robin,
            )
    return Decision(
        queue=emailed_to or fallback_queue(),
        priority=Ticket.Priority.NORMAL,
        rule=None,
        assignee_id=None,
        round_robin=False,
        emailed_queue=emailed_to is not None,
    )
