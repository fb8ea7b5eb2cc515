"""The people of the generated desk, and what a chunk needs to know about the reference data.

Made once per database and found again on a re-run: requesters across the departments,
agents in each queue, two managers. They share one password hash (computed once) so
that anyone can sign in as them to look around.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import Department, User
from accounts.roles import ROLE_GROUPS

from ..models import Platform, ProblemType, Queue, ServiceLevel, Ticket
from ..routing import Facts, active_rules, fallback_queue, keyword_found, rule_matches
from . import vocabulary
from .business_clock import BusinessClock, check_against_sla
from .synthesis import Cast, Person, PolicyFacts, Routed, copy_text, cumulative, routing_changes

EMAIL_DOMAIN = "bench.socialit.example"
PASSWORD = "socialit-bench"
HEAVY_REQUESTER_TICKETS = 500
LONG_THREAD_EVERY = 10_000


@dataclass(frozen=True)
class Headcount:
    requesters: int
    agents: dict[str, int]  # by queue slug
    managers: int


def headcount(total: int) -> Headcount:
    """About 300 requesters per 10,000 tickets; an agent per ~20,000 tickets over two years."""
    agents = max(6, round(total / 20_000))
    shares = vocabulary.AGENT_SHARES
    by_queue = {slug: max(1, round(agents * share)) for slug, share in shares.items()}
    return Headcount(requesters=max(10, round(total * 0.03)), agents=by_queue, managers=2)


def requester_email(index: int) -> str:
    return f"requester.{index:06d}@{EMAIL_DOMAIN}"


def agent_email(queue: str, index: int) -> str:
    return f"agent.{queue}.{index:03d}@{EMAIL_DOMAIN}"


def manager_email(index: int) -> str:
    return f"manager.{index}@{EMAIL_DOMAIN}"


def queue_rates_set() -> None:
    """Teams whose rate was never set get a realistic one, so cost reports have numbers."""
    for slug, rate in vocabulary.HOURLY_RATES.items():
        Queue.objects.filter(slug=slug, hourly_rate=0).update(hourly_rate=Decimal(rate))


@transaction.atomic
def people_ensure(*, total: int, seed: int) -> None:
    """Create the generated people once; a re-run finds them and changes nothing."""
    if User.objects.filter(email=manager_email(0)).exists():
        return
    count = headcount(total)
    rng = random.Random(f"{seed}:people")
    password = make_password(PASSWORD)
    departments = {d.name: d for d in Department.objects.all()}
    names = list(vocabulary.DEPARTMENTS)
    shares = [vocabulary.DEPARTMENTS[name][0] for name in names]

    def name() -> str:
        return f"{rng.choice(vocabulary.FIRST_NAMES)} {rng.choice(vocabulary.LAST_NAMES)}"

    people = [
        User(
            email=requester_email(i),
            full_name=name(),
            department=departments.get(rng.choices(names, weights=shares)[0]),
            role=User.Role.EMPLOYEE,
            password=password,
        )
        for i in range(count.requesters)
    ]
    queues = {queue.slug: queue for queue in Queue.objects.all()}
    for slug, how_many in count.agents.items():
        people += [
            User(
                email=agent_email(slug, i),
                full_name=name(),
                department=departments.get(vocabulary.AGENT_DEPARTMENTS[slug]),
                role=User.Role.AGENT,
                is_staff=True,
                password=password,
            )
            for i in range(how_many)
        ]
    people += [
        User(
            email=manager_email(i),
            full_name=name(),
            department=departments.get("Communications"),
            role=User.Role.MANAGER,
            is_staff=True,
            password=password,
        )
        for i in range(count.managers)
    ]
    User.objects.bulk_create(people, batch_size=2000)
    membership = Queue.members.through
    memberships = []
    for slug in count.agents:
        agents = User.objects.filter(email__startswith=f"agent.{slug}.", email__endswith=EMAIL_DOMAIN)
        memberships += [membership(queue_id=queues[slug].pk, user_id=agent.pk) for agent in agents]
    membership.objects.bulk_create(memberships, ignore_conflicts=True)
    group_of = User.groups.through
    for role, (group_name, _permissions) in ROLE_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        staff = User.objects.filter(role=role, email__endswith=EMAIL_DOMAIN)
        group_of.objects.bulk_create(
            [group_of(user_id=u.pk, group_id=group.pk) for u in staff], ignore_conflicts=True
        )


def cast_load(*, total: int, seed: int, first_day: date, until: date, zone: ZoneInfo) -> Cast:
    """Read back the people and the reference data, in a fixed order, for the chunks."""
    rng = random.Random(f"{seed}:activity")
    requesters = list(
        User.objects.filter(role=User.Role.EMPLOYEE, email__endswith=EMAIL_DOMAIN)
        .select_related("department")
        .order_by("email")
    )
    if not requesters:
        raise RuntimeError("No generated requesters: people_ensure must run first.")
    # A few people file most requests (a Zipf-like tail), more so in the teams that run the accounts.
    ranks = list(range(1, len(requesters) + 1))
    rng.shuffle(ranks)
    weights = [
        (vocabulary.DEPARTMENTS[r.department.name][1] if r.department else 1.0) / rank**0.45
        for r, rank in zip(requesters, ranks, strict=True)
    ]
    weights[0] = 0.0  # the heavy requester files exactly their share, no more
    heavy_count = min(HEAVY_REQUESTER_TICKETS, total // 20)
    agents: dict[int, list[Person]] = {}
    for queue in Queue.objects.all():
        members = queue.members.filter(role=User.Role.AGENT, is_active=True).order_by("email")
        agents[queue.pk] = [Person(u.pk, copy_text(u.full_name)) for u in members]

    clocks: dict[int, BusinessClock] = {}
    policies: dict[tuple[int, int], PolicyFacts] = {}
    levels = ServiceLevel.objects.select_related("policy__calendar").prefetch_related(
        "policy__calendar__periods", "policy__calendar__holidays"
    )
    for level in levels:
        policy = level.policy
        calendar = policy.calendar
        if calendar.pk not in clocks:
            schedule = calendar.schedule()
            clocks[calendar.pk] = BusinessClock(
                schedule, first_day=first_day - timedelta(days=2), last_day=until + timedelta(days=400)
            )
            check_against_sla(clocks[calendar.pk], schedule, seed=seed)
        share = policy.warning_percent / 100
        policies[(level.queue_id, level.priority)] = PolicyFacts(
            id=policy.pk,
            name=copy_text(policy.name),
            clock=clocks[calendar.pk],
            first_response=policy.first_response_minutes * 60,
            resolution=policy.resolution_minutes * 60,
            first_response_warn=round(policy.first_response_minutes * share * 60),
            resolution_warn=round(policy.resolution_minutes * share * 60),
            raise_priority=policy.raise_priority_on_breach,
        )

    platforms = [(p.pk, p.slug) for p in Platform.objects.filter(is_active=True).order_by("position", "pk")]
    problems = [(p.pk, p.slug) for p in ProblemType.objects.filter(is_active=True).order_by("position", "pk")]
    platform_weights = {
        slug: cumulative(
            [
                vocabulary.PLATFORM_WEIGHTS_BY_PROBLEM.get(slug, vocabulary.PLATFORM_WEIGHTS).get(platform, 1)
                for _, platform in platforms
            ]
        )
        for _, slug in problems
    }
    for _, slug in problems:
        if slug not in vocabulary.SUBJECTS or slug not in vocabulary.AGENT_REPLIES_BY_PROBLEM:
            raise RuntimeError(
                f"The generator has no words for the problem type “{slug}”: add them to vocabulary."
            )
    return Cast(
        requesters=[Person(r.pk, copy_text(r.full_name)) for r in requesters],
        requester_departments=[r.department_id for r in requesters],
        requester_weights=cumulative(weights),
        heavy_requester=0,
        agents=agents,
        queue_rates={q.pk: str(q.hourly_rate) for q in Queue.objects.all()},
        platforms=platforms,
        problems=problems,
        problem_weights=cumulative([vocabulary.PROBLEM_WEIGHTS.get(slug, 1) for _, slug in problems]),
        platform_weights=platform_weights,
        policies=policies,
        route=router(),
        zone=zone,
        heavy_stride=total // heavy_count if heavy_count else 0,
        long_stride=min(LONG_THREAD_EVERY, total),
    )


def router() -> Callable[[int, int, int | None, str], Routed]:
    """routing.rule_matches, asked once per kind of ticket rather than once per ticket.

    What decides is the platform, the problem type, the department and which keyword
    rules the text trips: the answer is kept under exactly that key.
    """
    rules = active_rules()
    keyword_rules = [rule for rule in rules if rule.keyword_list]
    fallback = fallback_queue()
    known: dict[tuple[int, int, int | None, tuple[bool, ...]], Routed] = {}

    def route(platform_id: int, problem_id: int, department_id: int | None, text: str) -> Routed:
        hits = tuple(keyword_found(rule.keyword_list, text) for rule in keyword_rules)
        key = (platform_id, problem_id, department_id, hits)
        routed = known.get(key)
        if routed is None:
            facts = Facts(platform_id, problem_id, department_id, text, "")
            rule = next((r for r in rules if rule_matches(r, facts)), None)
            queue = rule.queue if rule else fallback
            priority = (rule.priority if rule else None) or Ticket.Priority.NORMAL
            label = Ticket.Priority(priority).label
            if rule is None:
                summary = f"No routing rule matched: sent to {queue} (fallback) as {label}"
            else:
                summary = f"Routed to {queue} as {label} by rule “{rule.name}”"
            routed = Routed(
                queue_id=queue.pk,
                queue_name=queue.name,
                priority=int(priority),
                summary=copy_text(summary),
                changes=routing_changes(
                    rule.name if rule else None, rule.pk if rule else None, queue.name, priority
                ),
            )
            known[key] = routed
        return routed

    return route
