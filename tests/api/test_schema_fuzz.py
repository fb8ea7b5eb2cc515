"""The live schema, fuzzed: for an employee, an agent and a manager, nothing answers 500 and
every answer matches what the schema says (status, media type, body).

Bounded to a few examples per operation so that the whole run stays well under a minute.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from pytest_django.fixtures import Settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from ..conftest import Cast
from ..factories import file_ticket
from ..guides.conftest import guide_make
from ..social.scene import account_make
from .conftest import token_for

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def live_schema(db: None) -> Iterator[Any]:
    """The schema as the desk serves it, and the desk's WSGI application to call.

    As in Django's test client, a request's end must not close the test's database connection:
    the test's transaction, with its rows, is the one every request reads.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def callers(cast: Cast, settings: Settings, tmp_path: Path) -> Callable[[str], dict[str, str]]:
    """A token per role (made once, however many examples run), and a little of everything to find."""
    settings.MEDIA_ROOT = tmp_path / "media"
    file_ticket(cast.employee)
    account_make(cast)
    guide_make(cast.comms_agent, title="Posting about work")

    @cache
    def headers(who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_for(getattr(cast, who))}"}

    return headers


BOUNDED = settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def fuzz(schema: Any, headers: dict[str, str]) -> None:
    """Every operation of the schema, a few generated requests each; all failures reported at once."""
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @BOUNDED
        @given(case=operation.as_strategy())
        def call(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            call()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # a group of check failures, with the requests that caused them
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("who", ["employee", "it_agent", "manager"])
def test_the_api_answers_as_its_schema_says(
    live_schema: Any, callers: Callable[[str], dict[str, str]], who: str
) -> None:
    fuzz(live_schema, callers(who))
