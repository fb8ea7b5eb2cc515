"""What a chunk needs to know about the desk, read from the database once: the generated
people, the reference data, the SLA policies and routing."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from accounts.models import User
from tickets import events
from tickets.models import Platform, ProblemType, Queue, ServiceLevel, Ticket
from tickets.routing import Facts, active_rules, fallback_queue, keyword_found, rule_matches

from . import vocabulary
from .business_clock import BusinessClock, check_against_sla
from .people import EMAIL_DOMAIN
from .rows import copy_text, payload_text

HEAVY_REQUESTER_TICKETS = 500
LONG_THREAD_EVERY = 10_000


@dataclass(frozen=True)
class PolicyFacts:
    id: int
    name: str
    clock: BusinessClock
    first_response: int  # seconds of business time
    resolution: int
    first_response_warn: int
    resolution_warn: int
    raise_priority: bool


@dataclass(frozen=True)
class Person:
    id: int
    name: str


@dataclass(frozen=True)
class Routed:
    """What routing decided for one kind of ticket, with its history payload made once."""

    queue_id: int
    queue_name: str
    priority: int
    payload: str


@dataclass
class Cast:
    """Everything a chunk needs from the database, read once."""

    requesters: list[Person]
    requester_departments: list[int | None]
    requester_weights: list[float]  # cumulative
    heavy_requester: int  # index in requesters: the one with hundreds of tickets
    agents: dict[int, list[Person]]  # by queue id
    queue_rates: dict[int, str]
    platforms: list[tuple[int, str]]  # id, slug
    problems: list[tuple[int, str]]
    problem_weights: list[float]  # cumulative
    platform_weights: dict[str, list[float]]  # cumulative, by problem slug
    policies: dict[tuple[int, int], PolicyFacts]
    route: Callable[[int, int, int | None, str], Routed]
    zone: ZoneInfo
    heavy_stride: int = 0
    long_stride: int = 0


def cumulative(weights: list[float]) -> list[float]:
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def cast_load(*, total: int, seed: int, first_day: date, until: date, zone: ZoneInfo) -> Cast:
    """Read back the people and the reference data, in a fixed order, for the chunks."""
    requesters = list(
        User.objects.filter(role=User.Role.EMPLOYEE, email__endswith=EMAIL_DOMAIN)
        .select_related("department")
        .order_by("email")
    )
    if not requesters:
        raise RuntimeError("No generated requesters: people_ensure must run first.")
    platforms = [(p.pk, p.slug) for p in Platform.objects.filter(is_active=True).order_by("position", "pk")]
    problems = [(p.pk, p.slug) for p in ProblemType.objects.filter(is_active=True).order_by("position", "pk")]
    _words_check(problems)
    heavy_count = min(HEAVY_REQUESTER_TICKETS, total // 20)
    return Cast(
        requesters=[Person(r.pk, copy_text(r.full_name)) for r in requesters],
        requester_departments=[r.department_id for r in requesters],
        requester_weights=cumulative(_requester_weights(requesters, random.Random(f"{seed}:activity"))),
        heavy_requester=0,
        agents=_agents_by_queue(),
        queue_rates={q.pk: str(q.hourly_rate) for q in Queue.objects.all()},
        platforms=platforms,
        problems=problems,
        problem_weights=cumulative([vocabulary.PROBLEM_WEIGHTS.get(slug, 1) for _, slug in problems]),
        platform_weights=_platform_weights(platforms, problems),
        policies=_policies(seed=seed, first_day=first_day, until=until),
        route=router(),
        zone=zone,
        heavy_stride=total // heavy_count if heavy_count else 0,
        long_stride=min(LONG_THREAD_EVERY, total),
    )


def _requester_weights(requesters: list[User], rng: random.Random) -> list[float]:
    """A few people file most requests (a Zipf-like tail), more so in the teams that run the accounts."""
    ranks = list(range(1, len(requesters) + 1))
    rng.shuffle(ranks)
    weights = [
        (vocabulary.DEPARTMENTS[r.department.name][1] if r.department else 1.0) / rank**0.45
        for r, rank in zip(requesters, ranks, strict=True)
    ]
    weights[0] = 0.0  # the heavy requester files exactly their share, no more
    return weights


def _agents_by_queue() -> dict[int, list[Person]]:
    agents: dict[int, list[Person]] = {}
    for queue in Queue.objects.all():
        members = queue.members.filter(role=User.Role.AGENT, is_active=True).order_by("email")
        agents[queue.pk] = [Person(u.pk, copy_text(u.full_name)) for u in members]
    return agents


def _policies(*, seed: int, first_day: date, until: date) -> dict[tuple[int, int], PolicyFacts]:
    """Each queue and priority's policy, with a fast clock per calendar proved against sla's."""
    clocks: dict[int, BusinessClock] = {}
    policies: dict[tuple[int, int], PolicyFacts] = {}
    levels = ServiceLevel.objects.select_related("policy__calendar").prefetch_related(
        "policy__calendar__periods", "policy__calendar__company_days"
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
    return policies


def _platform_weights(
    platforms: list[tuple[int, str]], problems: list[tuple[int, str]]
) -> dict[str, list[float]]:
    # A platform the vocabulary has no words for (Company email) is never picked: the data set
    # stays the one the same seed always made.
    return {
        slug: cumulative(
            [
                vocabulary.PLATFORM_WEIGHTS_BY_PROBLEM.get(slug, vocabulary.PLATFORM_WEIGHTS).get(platform, 0)
                for _, platform in platforms
            ]
        )
        for _, slug in problems
    }


def _words_check(problems: list[tuple[int, str]]) -> None:
    for _, slug in problems:
        if slug not in vocabulary.SUBJECTS or slug not in vocabulary.AGENT_REPLIES_BY_PROBLEM:
            raise RuntimeError(
                f"The generator has no words for the problem type “{slug}”: add them to vocabulary."
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
        if key not in known:
            facts = Facts(platform_id, problem_id, department_id, text, "")
            rule = next((r for r in rules if rule_matches(r, facts)), None)
            queue = rule.queue if rule else fallback
            priority = int((rule.priority if rule else None) or Ticket.Priority.NORMAL)
            routed = events.Routed(
                queue=events.ref(queue), priority=events.priority_ref(priority), rule=events.ref(rule)
            )
            known[key] = Routed(queue.pk, queue.name, priority, payload_text(routed))
        return known[key]

    return route
