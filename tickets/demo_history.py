"""Ten weeks of past tickets for the demo desk, so the dashboards have a story to tell.

Tickets are built as the desk would have built them at the time: routed by the rules,
timed by the SLA clock from their filing moment, answered and resolved later in
business time. The history is written by the services' own writer (services/history.py)
with the payloads they use, dated in the past, and the tickets' search documents are
refreshed as the services refresh them. No mail is sent for the past.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Department, User
from accounts.services import user_create
from sla.business_time import add_business_time

from . import events
from .clock import clock_refresh, clock_start, elapsed_business
from .models import Comment, Event, Platform, ProblemType, Queue, Ticket, TimeEntry
from .routing import Facts, route
from .services.history import event_build
from .services.search import tickets_search_refresh

DAYS = 70
PLATFORM_WEIGHTS = {"twitter-x": 30, "linkedin": 28, "facebook": 18, "blog": 16, "other": 8}
PROBLEM_WEIGHTS = {
    "login-access": 24,
    "publishing-problem": 18,
    "policy-etiquette": 14,
    "content-review": 12,
    "metrics-request": 10,
    "network-block": 9,
    "new-account": 6,
    "compromised-account": 3,
    "other": 4,
}
SUBJECTS = {
    "login-access": [
        "Locked out of the {platform} page",
        "Lost my second factor for {platform}",
        "Need admin access to {platform}",
    ],
    "publishing-problem": [
        "Post won't publish on {platform}",
        "Broken link in our {platform} post",
        "Images missing on {platform}",
    ],
    "policy-etiquette": [
        "May I share this on {platform}?",
        "How to answer a complaint on {platform}",
        "Journalist contacted me on {platform}",
    ],
    "content-review": [
        "Please review our launch post for {platform}",
        "Draft for the event on {platform}",
        "Check this reply before it goes out",
    ],
    "metrics-request": [
        "Engagement figures for {platform}",
        "Follower growth on {platform} last month",
        "Campaign reach on {platform}",
    ],
    "network-block": [
        "{platform} blocked from the office",
        "{platform} won't load on the VPN",
        "Proxy error on {platform}",
    ],
    "new-account": [
        "New {platform} page for the careers team",
        "Handle for the new product on {platform}",
        "Blog section for the engineering team",
    ],
    "compromised-account": [
        "Our {platform} account posts spam",
        "Password changed on {platform}, not by us",
        "Strange login alert from {platform}",
    ],
    "other": ["Question about {platform}", "Something odd on {platform}", "Idea for our {platform} presence"],
}
# What people file under the "Other" platform: "Images missing on Other" is no one's subject.
OTHER_NETWORKS = ["Instagram", "YouTube", "TikTok", "Mastodon", "Threads"]
EXTRA_EMPLOYEES = [
    ("lena.fischer", "Lena Fischer", "Human Resources"),
    ("omar.haddad", "Omar Haddad", "Sales"),
    ("ines.moreau", "Inès Moreau", "Customer Support"),
    ("tom.walsh", "Tom Walsh", "Engineering"),
    ("sara.costa", "Sara Costa", "Legal"),
    ("yuki.tanaka", "Yuki Tanaka", "Marketing"),
    ("paul.durand", "Paul Durand", "Finance"),
    ("aisha.bello", "Aisha Bello", "Communications"),
]


def _network(rng: random.Random, platform: Platform) -> str:
    """The platform as a requester names it: "Other" is some network the desk has no entry for."""
    return rng.choice(OTHER_NETWORKS) if platform.slug == "other" else platform.name


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _requesters(password: str) -> list[User]:
    people = list(User.objects.filter(role=User.Role.EMPLOYEE))
    for handle, name, department in EXTRA_EMPLOYEES:
        email = f"{handle}@socialit.example"
        if not User.objects.filter(email=email).exists():
            people.append(
                user_create(
                    email=email,
                    full_name=name,
                    password=password,
                    department=Department.objects.get(name=department),
                )
            )
    return people


@transaction.atomic
def demo_history_load(*, password: str, seed: int = 7) -> int:
    rng = random.Random(seed)
    now = timezone.now()
    requesters = _requesters(password)
    platforms = {p.slug: p for p in Platform.objects.all()}
    problems = {p.slug: p for p in ProblemType.objects.all()}
    agents = {queue.pk: list(queue.members.exclude(role=User.Role.EMPLOYEE)) for queue in Queue.objects.all()}
    today = timezone.localdate()
    made: list[int] = []
    for offset in range(DAYS, 0, -1):
        day = today - timedelta(days=offset)
        busy = 7 if day.weekday() < 5 else 1
        for _ in range(rng.randint(busy - 1, busy + 3)):
            minute = rng.randint(8 * 60, 18 * 60) if day.weekday() < 5 else rng.randint(10 * 60, 20 * 60)
            created = timezone.make_aware(datetime.combine(day, time()) + timedelta(minutes=minute))
            made.append(_past_ticket(rng, created, now, rng.choice(requesters), platforms, problems, agents))
    tickets_search_refresh(ticket_ids=made)
    return len(made)


def _past_ticket(
    rng: random.Random,
    created: datetime,
    now: datetime,
    requester: User,
    platforms: dict[str, Platform],
    problems: dict[str, ProblemType],
    agents: dict[int, list[User]],
) -> int:
    platform = platforms[_weighted(rng, PLATFORM_WEIGHTS)]
    problem = problems[_weighted(rng, PROBLEM_WEIGHTS)]
    subject = rng.choice(SUBJECTS[problem.slug]).format(platform=_network(rng, platform))
    description = f"{subject}. It started on {created:%A} and several colleagues see the same."
    decision = route(Facts(platform.pk, problem.pk, requester.department_id, subject, description))
    ticket = Ticket(
        subject=subject,
        description=description,
        requester=requester,
        platform=platform,
        problem_type=problem,
        queue=decision.queue,
        priority=decision.priority,
        created_at=created,
        updated_at=created,
    )
    clock_start(ticket)
    ticket.save(force_insert=True)
    history: list[Event] = []

    def happened(moment: datetime, actor: User | None, payload: events.Payload) -> None:
        history.append(event_build(ticket=ticket, actor=actor, payload=payload, at=moment))

    happened(created, requester, events.Filed())
    happened(
        created,
        None,
        events.Routed(
            queue=events.ref(decision.queue),
            priority=events.priority_ref(decision.priority),
            rule=events.ref(decision.rule),
        ),
    )
    if ticket.sla_policy is not None:
        happened(created, None, events.SlaTargets.of(ticket, recomputed=False))
    entries: list[TimeEntry] = []
    team = agents.get(ticket.queue_id) or []
    agent = rng.choice(team) if team else None

    def worked(agent: User, moment: datetime, body: str, minutes: int) -> Comment:
        """The agent writes to the requester and the time is logged."""
        comment = Comment.objects.create(ticket=ticket, author=agent, body=body, created_at=moment)
        entries.append(TimeEntry.charged(ticket, agent=agent, minutes=minutes, logged_at=moment))
        return comment

    policy = ticket.sla_policy
    if agent is not None and policy is not None and rng.random() < 0.95:
        # Most answers come within the target, some late: the dashboards show both, with rates
        # close enough to the desk's aim (REPORTS_SLA_TARGET_PERCENT) that not every one is red.
        first_at = add_business_time(
            created,
            timedelta(minutes=policy.first_response_minutes * rng.uniform(0.1, 1.12)),
            policy.calendar.schedule(),
        )
        if first_at < now:
            ticket.assignee = agent
            ticket.status = Ticket.Status.OPEN
            ticket.first_response_at = first_at
            ticket.first_response_business = elapsed_business(ticket, first_at)
            opened = events.StatusMove.between(Ticket.Status.NEW, Ticket.Status.OPEN)
            happened(first_at, agent, events.Assigned(before=None, after=events.ref(agent), status=opened))
            reply = worked(
                agent, first_at, "Thanks, we are looking into it.", rng.choice([10, 15, 20, 30, 45])
            )
            happened(first_at, agent, events.Replied(comment_id=reply.pk))
            resolved_at = add_business_time(
                created,
                timedelta(minutes=policy.resolution_minutes * rng.uniform(0.15, 1.1)),
                policy.calendar.schedule(),
            )
            if resolved_at < now and rng.random() < 0.92:
                reopen_window = timedelta(days=settings.TICKET_REOPEN_DAYS)
                ticket.status = (
                    Ticket.Status.CLOSED if now - resolved_at > reopen_window else Ticket.Status.RESOLVED
                )
                ticket.resolved_at = resolved_at
                ticket.resolution_business = elapsed_business(ticket, resolved_at)
                ticket.reopen_count = 1 if rng.random() < 0.05 else 0
                done = worked(
                    agent,
                    resolved_at,
                    "Done: it works again. Reopen if not.",
                    rng.choice([20, 30, 45, 60, 90, 120]),
                )
                resolved = events.StatusMove.between(Ticket.Status.OPEN, Ticket.Status.RESOLVED)
                happened(resolved_at, agent, events.Replied(comment_id=done.pk, status=resolved))
                if ticket.status == Ticket.Status.CLOSED:
                    ticket.closed_at = resolved_at + reopen_window
                    happened(ticket.closed_at, None, _closed())
            elif rng.random() < 0.3:
                ticket.status = Ticket.Status.WAITING_THIRD_PARTY
                waiting = events.StatusChanged(
                    before=events.status_ref(Ticket.Status.OPEN), after=events.status_ref(ticket.status)
                )
                happened(min(first_at + timedelta(hours=1), now), agent, waiting)
    history += _past_deadlines(ticket, now)
    clock_refresh(ticket)
    ticket.updated_at = max(event.created_at for event in history)
    ticket.save()
    Event.objects.bulk_create(sorted(history, key=lambda event: event.created_at))
    TimeEntry.objects.bulk_create(entries)
    return ticket.pk


def _closed() -> events.StatusChanged:
    return events.StatusChanged(
        before=events.status_ref(Ticket.Status.RESOLVED),
        after=events.status_ref(Ticket.Status.CLOSED),
        how="closed",
        reopen_days=settings.TICKET_REOPEN_DAYS,
    )


def _past_deadlines(ticket: Ticket, now: datetime) -> list[Event]:
    """What the SLA sweep would already have noticed in the past, marked without mail."""
    if ticket.sla_policy is None:
        return []
    noticed: list[tuple[datetime, events.Payload]] = []
    for target, done in zip(events.SLA_TARGETS, (ticket.first_response_at, ticket.resolved_at), strict=True):
        prefix = target.replace(" ", "_")
        end = done or now
        warn, due = getattr(ticket, f"{prefix}_warn_at"), getattr(ticket, f"{prefix}_due_at")
        if due < end:
            setattr(ticket, f"{prefix}_warned_at", warn)
            setattr(ticket, f"{prefix}_breached_at", due)
            noticed.append((due, events.SlaBreach(target=target, due_at=due)))
        elif warn <= end:
            setattr(ticket, f"{prefix}_warned_at", warn)
            noticed.append((warn, events.SlaWarning(target=target, due_at=due)))
    return [event_build(ticket=ticket, actor=None, payload=payload, at=at) for at, payload in noticed]
