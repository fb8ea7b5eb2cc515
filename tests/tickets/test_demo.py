"""The demo desk `make run` loads reads like a real one."""

from __future__ import annotations

from tickets.demo import demo_load
from tickets.demo_history import OTHER_NETWORKS
from tickets.models import Ticket


def test_demo_subjects_name_a_network_never_the_word_other(reference: None) -> None:
    demo_load()

    subjects = list(Ticket.objects.values_list("subject", flat=True))
    assert len(subjects) > 100
    assert [subject for subject in subjects if "Other" in subject] == []
    others = Ticket.objects.filter(platform__slug="other").values_list("subject", flat=True)
    assert others, "the demo files some tickets under the Other platform"
    assert any(network in subject for subject in others for network in OTHER_NETWORKS)
