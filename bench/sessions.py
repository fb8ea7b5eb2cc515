"""Signed-in sessions for the load test, made in the database beforehand.

Locust then sends these cookies: the load test measures the desk, not password hashing.
`python -m bench.sessions --out sessions.json` with DATABASE_URL naming the database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import sys
from pathlib import Path
from typing import Any

from bench.measure import BENCH_ENVIRONMENT

EMPLOYEES = 150
TICKETS_PER_PERSON = 20


def session_for(user: Any) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    assert store.session_key is not None
    return store.session_key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    for name, value in BENCH_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from accounts.models import User
    from bench.generator.people import EMAIL_DOMAIN
    from tickets.models import Platform, ProblemType, Ticket

    rng = random.Random(1)
    requesters = list(
        User.objects.filter(role=User.Role.EMPLOYEE, email__endswith=EMAIL_DOMAIN).order_by("email")[:2000]
    )
    people: list[dict[str, Any]] = []
    for user in rng.sample(requesters, min(EMPLOYEES, len(requesters))):
        mine = list(
            Ticket.objects.filter(requester=user)
            .order_by("-updated_at")
            .values_list("pk", flat=True)[:TICKETS_PER_PERSON]
        )
        if mine:
            people.append(
                {
                    "role": "employee",
                    "session": session_for(user),
                    "csrf": secrets.token_hex(16),
                    "tickets": mine,
                }
            )
    for agent in User.objects.filter(role=User.Role.AGENT, email__endswith=EMAIL_DOMAIN).prefetch_related(
        "queues"
    ):
        queue = agent.queues.first()
        if queue is None:
            continue
        working = list(
            Ticket.objects.filter(queue=queue, status__in=Ticket.OPEN_STATUSES)
            .order_by("-updated_at")
            .values_list("pk", flat=True)[:200]
        )
        people.append(
            {
                "role": "agent",
                "session": session_for(agent),
                "csrf": secrets.token_hex(16),
                "queue": queue.slug,
                "tickets": working,
            }
        )
    form = {
        "platforms": list(Platform.objects.values_list("pk", flat=True)),
        "problem_types": list(ProblemType.objects.values_list("pk", flat=True)),
    }
    args.out.write_text(json.dumps({"people": people, "form": form}))


if __name__ == "__main__":
    main()
