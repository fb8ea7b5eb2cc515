"""The API at the benchmark's sizes: the ticket list, one ticket with 50 comments, and filing.

Registered in bench/measure.py as the cases `api_ticket_list`, `api_ticket_detail` and
`api_file_ticket`, each sent with a personal token (`Authorization: Bearer …`) as scripts do.
Targets at 1M tickets: the list p95 under 50 ms with at most 8 queries, the ticket under
40 ms, filing under 60 ms.
"""

from __future__ import annotations

import json
from typing import Any

TOKEN_NAME = "Benchmark"


def token_client(user: Any) -> Any:
    """A test Client sending a new token of `user`'s."""
    from django.test import Client

    from api.tokens import api_token_create

    issued = api_token_create(
        user=user, name=TOKEN_NAME, scope="write", expires_in_days=7, second_factor_passed=True
    )
    return Client(headers={"Authorization": f"Bearer {issued.plaintext}"})


def api_cases() -> list[Any]:
    from rest_framework.throttling import SimpleRateThrottle

    from accounts.models import User
    from api.models import ApiToken
    from bench.generator.people import agent_email, requester_email
    from bench.measure import Case, get, long_thread_ticket, rolled_back
    from tickets.models import Platform, ProblemType

    # The throttles still count every request on the cache; they just never refuse one here.
    SimpleRateThrottle.THROTTLE_RATES = {"token": "1000000/minute", "user": "1000000/minute"}
    ApiToken.objects.filter(name=TOKEN_NAME).delete()  # the last run's
    agent = token_client(User.objects.get(email=agent_email("it", 0)))
    ticket = long_thread_ticket()
    staff = token_client(ticket.queue.members.filter(role=User.Role.AGENT).order_by("email").first())
    requester = token_client(User.objects.get(email=requester_email(1)))
    filing = json.dumps(
        {
            "platform": Platform.objects.get(slug="linkedin").pk,
            "problem_type": ProblemType.objects.get(slug="login-access").pk,
            "company_account": "Acme company page",
            "subject": "Can't log in to the LinkedIn page since this morning",
            "description": "The two-factor code is refused every time. I tried twice from the office.",
        }
    )

    def file() -> int:
        return int(requester.post("/api/v1/tickets/", filing, content_type="application/json").status_code)

    return [
        Case("api_ticket_list", get(agent, "/api/v1/tickets/")),
        Case("api_ticket_detail", get(staff, f"/api/v1/tickets/{ticket.pk}/")),
        # Filing for real: routing, SLA, history, outbox and webhook rows, then rolled back.
        Case("api_file_ticket", file, expect=(201,), around=rolled_back),
    ]
