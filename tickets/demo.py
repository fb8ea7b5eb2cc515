"""Demo people and a few tickets, so every role has something to do on first run."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from accounts.models import Department, User
from accounts.services import user_create

from . import services
from .demo_history import demo_history_load
from .models import Platform, ProblemType, Queue, Ticket

DEMO_PASSWORD = "socialit-demo"


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    role: str
    department: str
    queue: str | None = None


DEMO_USERS = [
    DemoUser("emma@socialit.example", "Emma Lopez", User.Role.EMPLOYEE, "Sales"),
    DemoUser("noah@socialit.example", "Noah Becker", User.Role.EMPLOYEE, "Finance"),
    DemoUser("ivan@socialit.example", "Ivan Petrov", User.Role.AGENT, "Engineering", "it"),
    DemoUser("maya@socialit.example", "Maya Chen", User.Role.AGENT, "Marketing", "marketing"),
    DemoUser("colin@socialit.example", "Colin O'Brien", User.Role.AGENT, "Communications", "communications"),
    DemoUser("morgan@socialit.example", "Morgan Reyes", User.Role.MANAGER, "Communications"),
    DemoUser("ada@socialit.example", "Ada Admin", User.Role.ADMIN, "Engineering"),
]

DEMO_TICKETS = [
    (
        "emma@socialit.example",
        "twitter-x",
        "compromised-account",
        "@acme",
        "Our Twitter/X account is posting crypto ads",
        "Since this morning @acme posts ads for a crypto coin every hour. None of us wrote them and I can't log in any more.",
    ),
    (
        "emma@socialit.example",
        "blog",
        "publishing-problem",
        "",
        "Blog post stuck in draft",
        "The post about the spring launch won't publish: the button spins and nothing happens. Tried in Firefox and Chrome.",
    ),
    (
        "noah@socialit.example",
        "linkedin",
        "policy-etiquette",
        "",
        "May I share our quarterly results on my LinkedIn?",
        "The results are public since yesterday. Is it fine to share the press release with a few words of my own?",
    ),
    (
        "noah@socialit.example",
        "facebook",
        "network-block",
        "Acme Careers page",
        "Facebook blocked from the Lyon office",
        "The office network shows 'Access denied by policy' for facebook.com, but I run the careers page.",
    ),
    (
        "emma@socialit.example",
        "linkedin",
        "metrics-request",
        "Acme company page",
        "Follower growth for Q3",
        "For the sales review I need follower growth and engagement of the company page for July to September.",
    ),
]


@transaction.atomic
def demo_load() -> list[DemoUser]:
    for person in DEMO_USERS:
        user = User.objects.filter(email__iexact=person.email).first()
        if user is None:
            user = user_create(
                email=person.email,
                full_name=person.full_name,
                password=DEMO_PASSWORD,
                role=person.role,
                department=Department.objects.get(name=person.department),
            )
        if person.queue:
            Queue.objects.get(slug=person.queue).members.add(user)
    if not Ticket.objects.exists():
        demo_history_load(password=DEMO_PASSWORD)
        for email, platform, problem, account, subject, description in DEMO_TICKETS:
            services.ticket_file(
                requester=User.objects.get(email=email),
                platform=Platform.objects.get(slug=platform),
                problem_type=ProblemType.objects.get(slug=problem),
                company_account=account,
                subject=subject,
                description=description,
            )
    return DEMO_USERS
