"""Fixtures for the ticket screens: uploads land in a throw-away media root."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings
from time_machine import TimeMachineFixture

from tickets.models import Ticket

from ..conftest import Cast
from ..factories import file_ticket
from .pages import upload
from .work import FILED_AT, LATER, S


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def ticket(cast: Cast) -> Ticket:
    """A new IT ticket, filed with a screenshot."""
    return file_ticket(
        cast.employee,
        problem="login-access",
        subject="Locked out of @acme",
        description="The code never arrives.",
        company_account="@acme",
        files=[upload("lockout.png")],
    )


@pytest.fixture
def clock(time_machine: TimeMachineFixture) -> TimeMachineFixture:
    time_machine.move_to(FILED_AT, tick=False)
    return time_machine


@pytest.fixture
def it_ticket(cast: Cast, clock: TimeMachineFixture) -> Ticket:
    """A New, unassigned IT ticket filed at FILED_AT; the clock then moves on to LATER."""
    ticket = file_ticket(cast.employee, problem="login-access")
    assert (ticket.queue, ticket.status, ticket.assignee) == (cast.it, S.NEW, None)
    clock.move_to(LATER, tick=False)
    return ticket
