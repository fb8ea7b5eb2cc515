"""The desk's starting configuration: queues, platforms, problem types, routing rules.

Idempotent: what exists is left as the administrators shaped it; only what is
missing is created.
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import Department
from accounts.services import role_groups_sync
from sla.reference_data import sla_reference_load

from .models import Platform, ProblemType, Queue, RoutingRule, ServiceLevel, Ticket

DEPARTMENTS = [
    "Sales",
    "Marketing",
    "Communications",
    "Human Resources",
    "Finance",
    "Engineering",
    "Customer Support",
    "Legal",
]

# name, slug, description, fallback, hourly rate
QUEUES = [
    ("IT", "it", "Log-ins, hacked accounts, broken pages, blocked sites: the technical side.", False, 85),
    ("Marketing", "marketing", "Brand, accounts and metrics: who runs what, and how it performs.", True, 70),
    (
        "Communications",
        "communications",
        "Protocol, etiquette, policy and crisis: what the company says and how.",
        False,
        75,
    ),
]

PLATFORMS = [
    ("Blog", "blog"),
    ("Twitter/X", "twitter-x"),
    ("Facebook", "facebook"),
    ("LinkedIn", "linkedin"),
    ("Company email", "company-email"),
    ("Other", "other"),
]

PROBLEM_TYPES = [
    (
        "Login or access",
        "login-access",
        "Can't log in, lost the second-factor device, or need access to a company page. Never send a password: IT will never ask for one.",
    ),
    (
        "Compromised account",
        "compromised-account",
        "Strange posts, a changed password or e-mail, security alerts. Stop posting from the account: IT secures it first, urgently.",
    ),
    (
        "Publishing problem or broken page",
        "publishing-problem",
        "The blog shows an error, a post won't publish, a page or link is broken. Give the address and attach a screenshot.",
    ),
    (
        "Blocked by the company network",
        "network-block",
        "A social site or tool won't load from the office or the VPN. Say which site, where you are, and the message you see.",
    ),
    (
        "Policy or etiquette question",
        "policy-etiquette",
        "May I post this? How should I answer a customer, a journalist or a complaint? Communications answers.",
    ),
    (
        "Content review before posting",
        "content-review",
        "Paste or attach the draft and say when it should go out; Communications checks tone, facts and approvals.",
    ),
    (
        "Metrics or analytics request",
        "metrics-request",
        "Reach, engagement or follower numbers: say which accounts, which dates and what the numbers are for.",
    ),
    (
        "New account request",
        "new-account",
        "A new company page, handle or blog section: say who will run it and what it is for.",
    ),
    ("Other", "other", ""),
]

# (name, problem-type slugs, keywords, queue slug, priority)
RULES = [
    ("Compromised accounts go to IT, urgent", ["compromised-account"], "", "it", Ticket.Priority.URGENT),
    (
        "Signs of a hacked account go to IT, urgent",
        [],
        "hacked, compromised, phishing, account stolen",
        "it",
        Ticket.Priority.URGENT,
    ),
    ("Company email goes to IT", [], "", "it", Ticket.Priority.NORMAL),
    ("Network blocks go to IT", ["network-block"], "", "it", Ticket.Priority.NORMAL),
    ("Log-in problems go to IT", ["login-access"], "", "it", Ticket.Priority.NORMAL),
    ("Publishing problems go to IT", ["publishing-problem"], "", "it", Ticket.Priority.NORMAL),
    (
        "Policy and etiquette go to Communications",
        ["policy-etiquette"],
        "",
        "communications",
        Ticket.Priority.NORMAL,
    ),
    (
        "Content reviews go to Communications",
        ["content-review"],
        "",
        "communications",
        Ticket.Priority.NORMAL,
    ),
    ("Metrics go to Marketing", ["metrics-request"], "", "marketing", Ticket.Priority.LOW),
    ("New accounts go to Marketing", ["new-account"], "", "marketing", Ticket.Priority.NORMAL),
]

# Rules that match on platforms: rule name -> platform slugs.
RULE_PLATFORMS = {"Company email goes to IT": ["company-email"]}


@transaction.atomic
def reference_data_load() -> None:
    for name in DEPARTMENTS:
        Department.objects.get_or_create(name=name)
    for name, slug, description, fallback, rate in QUEUES:
        Queue.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "description": description, "is_fallback": fallback, "hourly_rate": rate},
        )
    for position, (name, slug) in enumerate(PLATFORMS):
        Platform.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
    for position, (name, slug, help_text) in enumerate(PROBLEM_TYPES):
        ProblemType.objects.get_or_create(
            slug=slug, defaults={"name": name, "help_text": help_text, "position": position}
        )
    if not RoutingRule.objects.exists():
        for position, (name, problem_slugs, keywords, queue_slug, priority) in enumerate(RULES, start=1):
            rule = RoutingRule.objects.create(
                name=name,
                position=position * 10,
                keywords=keywords,
                queue=Queue.objects.get(slug=queue_slug),
                priority=priority,
            )
            rule.problem_types.set(ProblemType.objects.filter(slug__in=problem_slugs))
            rule.platforms.set(Platform.objects.filter(slug__in=RULE_PLATFORMS.get(name, [])))
    policies = sla_reference_load()
    by_priority = {
        Ticket.Priority.URGENT: policies["Urgent: around the clock"],
        Ticket.Priority.HIGH: policies["High"],
        Ticket.Priority.NORMAL: policies["Normal"],
        Ticket.Priority.LOW: policies["Low"],
    }
    for queue in Queue.objects.all():
        for priority, policy in by_priority.items():
            ServiceLevel.objects.get_or_create(queue=queue, priority=priority, defaults={"policy": policy})
    role_groups_sync()
