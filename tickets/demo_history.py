"""Ten weeks of past tickets for the demo desk, so the dashboards have a story to tell.

Tickets are built as the desk would have built them at the time: routed by the rules,
timed by the SLA clock from their filing moment, answered and resolved later in
business time. No mail is sent for the past.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Department, User
from accounts.services import user_create
from sla.business_time import add_business_time

from .clock import clock_refresh, clock_start, elapsed_business
from .models import Comment, Event, Platform, ProblemType, Queue, Ticket, TimeEntry
from .routing import Facts, route

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
    made = 0
    for offset in range(DAYS, 0, -1):
        day = today - timedelta(days=offset)
        busy = 7 if day.weekday() < 5 else 1
        for _ in range(rng.randint(busy - 1, busy + 3)):
            minute = rng.randint(8 * 60, 18 * 60) if day.weekday() < 5 else rng.randint(10 * 60, 20 * 60)
            created = timezone.make_aware(datetime.combine(day, time()) + timedelta(minutes=minute))
            _past_ticket(rng, created, now, rng.choice(requesters), platforms, problems, agents)
            made += 1
    return made


def _past_ticket(
    rng: random.Random,
    created: datetime,
    now: datetime,
    requester: User,
    platforms: dict[str, Platform],
    problems: dict[str, ProblemType],
    agents: dict[int, list[User]],
) -> None:
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
    events = [
        Event(
            ticket=ticket,
            actor=requester,
            kind=Event.Kind.FILED,
            summary=f"{requester} filed the request",
            created_at=created,
        ),
        Event(
            ticket=ticket,
            kind=Event.Kind.ROUTED,
            summary=f"Routed to {decision.queue} as {decision.priority_label}"
            + (f" by rule “{decision.rule.name}”" if decision.rule else " (fallback)"),
            created_at=created,
        ),
    ]
    comments: list[Comment] = []
    entries: list[TimeEntry] = []
    team = agents.get(ticket.queue_id) or []
    agent = rng.choice(team) if team else None

    def worked(moment: datetime, body: str, kind: str, summary: str, minutes: int) -> None:
        """The agent writes to the requester, the history says so, and the time is logged."""
        comments.append(Comment(ticket=ticket, author=agent, body=body, created_at=moment))
        events.append(Event(ticket=ticket, actor=agent, kind=kind, summary=summary, created_at=moment))
        entries.append(TimeEntry.charged(ticket, agent=agent, minutes=minutes, logged_at=moment))

    policy = ticket.sla_policy
    if agent is not None and policy is not None and rng.random() < 0.95:
        # Most answers come within the target, some late: the dashboards show both, with rates
        # close enough to the desk's aim (REPORTS_SLA_TARGET_PERCENT) that not every one is red.
        first_at = add_business_time(
            created,
            timedelta(minutes=policy.first_response_minutes * rng.uniform(0.1, 1.12)),
            ticket.sla_policy.calendar.schedule(),
        )
        if first_at < now:
            ticket.assignee = agent
            ticket.status = Ticket.Status.OPEN
            ticket.first_response_at = first_at
            ticket.first_response_business = elapsed_business(ticket, first_at)
            worked(
                first_at,
                "Thanks, we are looking into it.",
                Event.Kind.REPLIED,
                f"{agent} replied",
                rng.choice([10, 15, 20, 30, 45]),
            )
            resolved_at = add_business_time(
                created,
                timedelta(minutes=policy.resolution_minutes * rng.uniform(0.15, 1.1)),
                ticket.sla_policy.calendar.schedule(),
            )
            if resolved_at < now and rng.random() < 0.92:
                ticket.status = (
                    Ticket.Status.CLOSED if now - resolved_at > timedelta(days=7) else Ticket.Status.RESOLVED
                )
                ticket.resolved_at = resolved_at
                ticket.resolution_business = elapsed_business(ticket, resolved_at)
                ticket.reopen_count = 1 if rng.random() < 0.05 else 0
                if ticket.status == Ticket.Status.CLOSED:
                    ticket.closed_at = resolved_at + timedelta(days=7)
                worked(
                    resolved_at,
                    "Done: it works again. Reopen if not.",
                    Event.Kind.STATUS,
                    f"{agent} changed the status to Resolved",
                    rng.choice([20, 30, 45, 60, 90, 120]),
                )
            elif rng.random() < 0.3:
                ticket.status = Ticket.Status.WAITING_THIRD_PARTY
    _mark_past_deadlines(ticket, now)
    clock_refresh(ticket)
    ticket.updated_at = max([created, *(c.created_at for c in comments)])
    ticket.save()
    Event.objects.bulk_create(events)
    Comment.objects.bulk_create(comments)
    TimeEntry.objects.bulk_create(entries)


def _mark_past_deadlines(ticket: Ticket, now: datetime) -> None:
    """What the SLA sweep would already have noticed in the past, marked without mail."""
    if ticket.sla_policy is None:
        return
    for prefix, done in (("first_response", ticket.first_response_at), ("resolution", ticket.resolved_at)):
        end = done or now
        warn, due = getattr(ticket, f"{prefix}_warn_at"), getattr(ticket, f"{prefix}_due_at")
        if warn <= end:
            setattr(ticket, f"{prefix}_warned_at", warn)
        if due < end:
            setattr(ticket, f"{prefix}_breached_at", due)
