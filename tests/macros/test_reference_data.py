"""The starter macros: every one valid, added once, an edited one left alone."""

from __future__ import annotations

import pytest

from checklists.reference_data import checklists_load
from guides.seed import starter_guides_load
from macros.models import Macro
from macros.reference_data import STARTERS, macros_load

from ..conftest import Cast, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(cast: Cast) -> None:
    starter_guides_load()
    checklists_load()


def test_every_starter_is_added_to_its_queue_once(cast: Cast, loaded: None) -> None:
    assert macros_load() == len(STARTERS)
    assert macros_load() == 0

    names = set(Macro.objects.filter(queue=cast.it).values_list("name", flat=True))
    assert {"Password reset steps", "Network exception request received"} <= names
    assert Macro.objects.filter(queue=cast.marketing, name="Post approved").exists()
    assert Macro.objects.filter(queue=cast.communications).count() >= 2
    assert all(macro.guide_id for macro in Macro.objects.filter(reply__contains="{{guide_link}}"))


def test_an_edited_starter_is_left_alone(cast: Cast, loaded: None) -> None:
    macros_load()
    Macro.objects.filter(name="Post approved").update(reply="Approved, {{first_name}}.")

    macros_load()

    assert Macro.objects.get(name="Post approved").reply == "Approved, {{first_name}}."


def test_the_admin_refuses_an_unknown_placeholder_by_name(cast: Cast) -> None:
    response = client_for(cast.admin).post(
        "/admin/macros/macro/add/",
        {"name": "Typo", "queue": cast.it.pk, "reply": "Hi {{firstname}}", "is_active": "on"},
    )

    assert response.status_code == 200
    assert "Unknown placeholder {{firstname}}." in response.content.decode()
    assert not Macro.objects.exists()
