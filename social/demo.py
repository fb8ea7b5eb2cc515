"""Demo accounts for the registry, built through the services as the desk would have built them.

Five accounts of the demo company, owned by the demo people (tickets/demo.py), each showing
something the registry is there to catch: the Facebook page has no second factor, the
LinkedIn page is overdue for its access review, and the French X account still lists the
access of someone who has left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Department, User
from accounts.services import user_create, user_deactivate
from tickets.demo import DEMO_PASSWORD
from tickets.models import Platform, Queue

from . import services
from .models import Access, CompanyAccount

LEAVER = "liam@socialit.example"
SecondFactor = CompanyAccount.SecondFactor
Role = Access.Role


@dataclass(frozen=True)
class DemoAccount:
    platform: str
    name: str
    handle: str
    url: str
    purpose: str
    queue: str
    owner: str
    deputy: str
    second_factor: str
    second_factor_holder: str | None
    recovery_email: str
    recovery_phone: str
    credentials_location: str
    access: list[tuple[str, str]]
    apps: list[tuple[str, str]] = field(default_factory=list)
    reviewed_days_ago: int | None = None


ACCOUNTS = [
    DemoAccount(
        "blog",
        "Company blog",
        "",
        "https://blog.socialit.example",
        "News, product stories and hiring posts; every team writes, Marketing edits.",
        "it",
        "maya@socialit.example",
        "ivan@socialit.example",
        SecondFactor.APP,
        "ivan@socialit.example",
        "web-admins@socialit.example",
        "",
        "vault: Social/Blog",
        [
            ("maya@socialit.example", Role.ADMIN),
            ("ivan@socialit.example", Role.ADMIN),
            ("emma@socialit.example", Role.EDITOR),
        ],
        [("Jetpack", "site statistics, backups")],
        reviewed_days_ago=20,
    ),
    DemoAccount(
        "twitter-x",
        "Main X account",
        "@acme",
        "https://x.com/acme",
        "The company's voice: announcements, customer questions, crisis statements.",
        "communications",
        "morgan@socialit.example",
        "colin@socialit.example",
        SecondFactor.KEY,
        "colin@socialit.example",
        "social-admins@socialit.example",
        "Communications on-call phone",
        "vault: Social/X",
        [
            ("colin@socialit.example", Role.ADMIN),
            ("maya@socialit.example", Role.EDITOR),
            ("emma@socialit.example", Role.ANALYST),
        ],
        [("Buffer", "publish posts, read analytics")],
        reviewed_days_ago=45,
    ),
    DemoAccount(
        "facebook",
        "Careers page",
        "Acme Careers",
        "https://www.facebook.com/acmecareers",
        "Job offers and life at the company, for candidates.",
        "marketing",
        "noah@socialit.example",
        "emma@socialit.example",
        SecondFactor.NONE,
        None,
        "noah@socialit.example",
        "",
        "vault: Social/Facebook",
        [("noah@socialit.example", Role.ADMIN), ("emma@socialit.example", Role.MODERATOR)],
        reviewed_days_ago=60,
    ),
    DemoAccount(
        "linkedin",
        "Company page",
        "Acme",
        "https://www.linkedin.com/company/acme",
        "Corporate news, results and hiring for professionals.",
        "marketing",
        "emma@socialit.example",
        "maya@socialit.example",
        SecondFactor.SMS,
        "emma@socialit.example",
        "social-admins@socialit.example",
        "Marketing team phone",
        "vault: Social/LinkedIn",
        [
            ("emma@socialit.example", Role.ADMIN),
            ("maya@socialit.example", Role.ADMIN),
            ("noah@socialit.example", Role.ANALYST),
        ],
        [("Hootsuite", "publish posts, read messages")],
        reviewed_days_ago=120,
    ),
    DemoAccount(
        "twitter-x",
        "France on X",
        "@acme_fr",
        "https://x.com/acme_fr",
        "The regional account for customers in France, in French.",
        "communications",
        "colin@socialit.example",
        "morgan@socialit.example",
        SecondFactor.APP,
        "colin@socialit.example",
        "social-fr@socialit.example",
        "Lyon office phone",
        "vault: Social/X France",
        [("colin@socialit.example", Role.ADMIN), (LEAVER, Role.EDITOR)],
        reviewed_days_ago=30,
    ),
]


def _person(email: str) -> User:
    return User.objects.get(email__iexact=email)


@transaction.atomic
def demo_accounts_load() -> None:
    """Once: an installation that already has accounts keeps them as they are."""
    if CompanyAccount.objects.exists():
        return
    leaver = User.objects.filter(email__iexact=LEAVER).first() or user_create(
        email=LEAVER,
        full_name="Liam Walsh",
        password=DEMO_PASSWORD,
        department=Department.objects.get(name="Communications"),
    )
    actor = _person("ada@socialit.example")
    now = timezone.now()
    for demo in ACCOUNTS:
        account = services.account_create(
            actor=actor,
            platform=Platform.objects.get(slug=demo.platform),
            name=demo.name,
            queue=Queue.objects.get(slug=demo.queue),
            owner=_person(demo.owner),
            handle=demo.handle,
            url=demo.url,
            purpose=demo.purpose,
            deputy=_person(demo.deputy),
            second_factor=demo.second_factor,
            second_factor_holder=_person(demo.second_factor_holder) if demo.second_factor_holder else None,
            recovery_email=demo.recovery_email,
            recovery_email_holder=_person(demo.owner),
            recovery_phone=demo.recovery_phone,
            recovery_phone_holder=_person(demo.deputy) if demo.recovery_phone else None,
            credentials_location=demo.credentials_location,
            last_reviewed_at=now - timedelta(days=demo.reviewed_days_ago) if demo.reviewed_days_ago else None,
        )
        for email, role in demo.access:
            services.access_grant(account=account, actor=actor, holder=_person(email), role=role)
        for name, scope in demo.apps:
            services.connected_app_add(account=account, actor=actor, name=name, scope=scope)
    # Liam left after being given access: offboarding is what would take it away.
    user_deactivate(user=leaver)
