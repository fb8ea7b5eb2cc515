"""The people of the generated desk: requesters across the departments, agents in each queue,
two managers.

Made once per database and found again on a re-run. They share one password hash
(computed once) so that anyone can sign in as them to look around.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import Department, User
from accounts.roles import ROLE_GROUPS
from tickets.models import Queue

from . import vocabulary

EMAIL_DOMAIN = "bench.socialit.example"
PASSWORD = "socialit-bench"


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
    User.objects.bulk_create(_people_new(count, random.Random(f"{seed}:people")), batch_size=2000)
    _agents_join_queues(count)
    _staff_join_role_groups()


def _people_new(count: Headcount, rng: random.Random) -> list[User]:
    password = make_password(PASSWORD)
    departments = {d.name: d for d in Department.objects.all()}
    names = list(vocabulary.DEPARTMENTS)
    shares = [vocabulary.DEPARTMENTS[name][0] for name in names]

    def person(email: str, role: str, department: str | None, *, staff: bool = False) -> User:
        full_name = f"{rng.choice(vocabulary.FIRST_NAMES)} {rng.choice(vocabulary.LAST_NAMES)}"
        return User(
            email=email,
            full_name=full_name,
            department=departments.get(department) if department else None,
            role=role,
            is_staff=staff,
            password=password,
        )

    # The name is drawn before the department, so that the same seed makes the same people.
    people = []
    for i in range(count.requesters):
        user = person(requester_email(i), User.Role.EMPLOYEE, None)
        user.department = departments.get(rng.choices(names, weights=shares)[0])
        people.append(user)
    for slug, how_many in count.agents.items():
        department = vocabulary.AGENT_DEPARTMENTS[slug]
        people += [
            person(agent_email(slug, i), User.Role.AGENT, department, staff=True) for i in range(how_many)
        ]
    people += [
        person(manager_email(i), User.Role.MANAGER, "Communications", staff=True)
        for i in range(count.managers)
    ]
    return people


def _agents_join_queues(count: Headcount) -> None:
    queues = {queue.slug: queue for queue in Queue.objects.all()}
    membership = Queue.members.through
    memberships = []
    for slug in count.agents:
        agents = User.objects.filter(email__startswith=f"agent.{slug}.", email__endswith=EMAIL_DOMAIN)
        memberships += [membership(queue_id=queues[slug].pk, user_id=agent.pk) for agent in agents]
    membership.objects.bulk_create(memberships, ignore_conflicts=True)


def _staff_join_role_groups() -> None:
    group_of = User.groups.through
    for role, (group_name, _permissions) in ROLE_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        staff = User.objects.filter(role=role, email__endswith=EMAIL_DOMAIN)
        group_of.objects.bulk_create(
            [group_of(user_id=u.pk, group_id=group.pk) for u in staff], ignore_conflicts=True
        )
