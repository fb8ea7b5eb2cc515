"""The fixed cast every test can call on, and the desk's reference data."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from accounts.models import Department, User
from accounts.services import user_create
from notifications import services as notification_services
from tickets.models import Platform, ProblemType, Queue
from tickets.reference_data import reference_data_load

from .twofactor.devices import session_verify

PASSWORD = "correct horse battery staple"


@dataclass
class Cast:
    employee: User
    other_employee: User
    it_agent: User
    marketing_agent: User
    comms_agent: User
    manager: User
    admin: User
    it: Queue
    marketing: Queue
    communications: Queue


@pytest.fixture(autouse=True)
def broker_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    """A broker failure in one test must not make the next one skip publishing."""
    monkeypatch.setattr(notification_services, "_broker_away_until", 0.0)


@pytest.fixture
def reference(db: None) -> None:
    reference_data_load()


def person(email: str, role: str, department: str = "Sales", **extra: object) -> User:
    return user_create(
        email=email,
        full_name=email.split("@")[0].replace(".", " ").title(),
        password=PASSWORD,
        role=role,
        department=Department.objects.get(name=department),
    )


@pytest.fixture
def cast(reference: None) -> Cast:
    return cast_create()


def cast_create() -> Cast:
    """The suite's people: two employees, an agent per queue, a manager and an admin."""
    it, marketing, communications = (Queue.objects.get(slug=s) for s in ("it", "marketing", "communications"))
    cast = Cast(
        employee=person("erin.employee@example.com", User.Role.EMPLOYEE),
        other_employee=person("oscar.other@example.com", User.Role.EMPLOYEE, "Finance"),
        it_agent=person("ian.it@example.com", User.Role.AGENT, "Engineering"),
        marketing_agent=person("mia.marketing@example.com", User.Role.AGENT, "Marketing"),
        comms_agent=person("cora.comms@example.com", User.Role.AGENT, "Communications"),
        manager=person("max.manager@example.com", User.Role.MANAGER, "Communications"),
        admin=person("ada.admin@example.com", User.Role.ADMIN, "Engineering"),
        it=it,
        marketing=marketing,
        communications=communications,
    )
    it.members.add(cast.it_agent)
    marketing.members.add(cast.marketing_agent)
    communications.members.add(cast.comms_agent)
    return cast


def client_for(user: User) -> Client:
    """A client signed in as `user`; staff have passed the second factor too (tests/twofactor)."""
    client = Client()
    client.force_login(user)
    if user.is_staff:
        session_verify(client, user)
    return client


def platform(slug: str) -> Platform:
    return Platform.objects.get(slug=slug)


def problem(slug: str) -> ProblemType:
    return ProblemType.objects.get(slug=slug)
