"""The social media policy: one guide, with a version number, that every employee confirms.

The portal asks each signed-in person to confirm the current version until they have; a new
version asks everyone again. Communications (or a manager) designates the policy guide and
publishes new versions; managers see who has and has not confirmed, by department.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.models import User

from .models import Guide, PolicyConfirmation
from .permissions import can_publish

NO_DEPARTMENT = "No department"


def policy_guide() -> Guide | None:
    return Guide.objects.filter(is_policy=True, status=Guide.Status.PUBLISHED).first()


def policy_pending_for(user: User | AnonymousUser) -> Guide | None:
    """The policy guide when `user` has not confirmed its current version; one query."""
    if not user.is_authenticated or not user.is_active:
        return None
    confirmed = PolicyConfirmation.objects.filter(
        guide=OuterRef("pk"), version=OuterRef("policy_version"), person=user
    )
    return (
        Guide.objects.filter(is_policy=True, status=Guide.Status.PUBLISHED, policy_version__gt=0)
        .exclude(Exists(confirmed))
        .only("title", "slug", "policy_version")
        .first()
    )


def _check_speaks_for_policy(actor: User) -> None:
    if not can_publish(actor, Guide.Topic.POLICY):
        raise PermissionDenied("Communications or a manager decides what the social media policy says.")


@transaction.atomic
def policy_designate(*, actor: User, guide: Guide) -> Guide:
    """Make `guide` the policy, as version 1 unless it already has versions."""
    _check_speaks_for_policy(actor)
    guide = Guide.objects.select_for_update().get(pk=guide.pk)
    if not guide.is_published:
        raise ValidationError("Publish the guide first: employees can only confirm a published policy.")
    Guide.objects.filter(is_policy=True).exclude(pk=guide.pk).update(is_policy=False)
    guide.is_policy = True
    guide.policy_version = max(guide.policy_version, 1)
    guide.save(update_fields=["is_policy", "policy_version"])
    return guide


@transaction.atomic
def policy_version_new(*, actor: User, guide: Guide) -> Guide:
    """Publish the policy's text as it stands as a new version: everyone is asked again."""
    _check_speaks_for_policy(actor)
    updated = Guide.objects.filter(pk=guide.pk, is_policy=True, status=Guide.Status.PUBLISHED).update(
        policy_version=F("policy_version") + 1
    )
    if not updated:
        raise ValidationError("Only the published social media policy has versions.")
    return Guide.objects.get(pk=guide.pk)


def policy_confirm(*, person: User, guide: Guide, version: int) -> PolicyConfirmation:
    """Record that `person` read `version`; refused if a newer version came out meanwhile."""
    if not person.is_active:
        raise PermissionDenied(f"{person}'s account is deactivated.")
    current = Guide.objects.filter(pk=guide.pk, is_policy=True, status=Guide.Status.PUBLISHED).first()
    if current is None:
        raise ValidationError("That guide isn't the social media policy.")
    if version != current.policy_version:
        raise ValidationError(
            f"The policy changed while you were reading it: version {current.policy_version} is current. "
            "Read it again, then confirm."
        )
    confirmation, _ = PolicyConfirmation.objects.get_or_create(
        guide=current, version=version, person=person, defaults={"confirmed_at": timezone.now()}
    )
    return confirmation


# ---- who has confirmed -------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentLine:
    name: str
    people: int
    confirmed: int

    @property
    def rate(self) -> float | None:
        return 100 * self.confirmed / self.people if self.people else None


def _confirmed(guide: Guide) -> Exists:
    return Exists(
        PolicyConfirmation.objects.filter(guide=guide, version=guide.policy_version, person=OuterRef("pk"))
    )


def confirmation_by_department(guide: Guide) -> list[DepartmentLine]:
    """Active people and how many confirmed the current version, by department; one query."""
    rows = (
        User.objects.filter(is_active=True)
        .order_by()
        .values("department__name")
        .annotate(people=Count("pk"), confirmed=Count("pk", filter=Q(_confirmed(guide))))
    )
    lines = [
        DepartmentLine(row["department__name"] or NO_DEPARTMENT, row["people"], row["confirmed"])
        for row in rows
    ]
    return sorted(lines, key=lambda line: (line.rate if line.rate is not None else 100, line.name))


@dataclass(frozen=True)
class PersonLine:
    name: str
    email: str
    department: str
    confirmed_at: datetime | None


def confirmation_people(guide: Guide, *, unconfirmed_only: bool = False) -> Iterator[PersonLine]:
    """Every active person with when they confirmed the current version, by department and name."""
    latest = PolicyConfirmation.objects.filter(
        guide=guide, version=guide.policy_version, person=OuterRef("pk")
    ).values("confirmed_at")[:1]
    people = User.objects.filter(is_active=True).annotate(confirmed_at=Subquery(latest))
    if unconfirmed_only:
        people = people.filter(confirmed_at__isnull=True)
    rows = people.order_by("department__name", "full_name", "pk").values_list(
        "full_name", "email", "department__name", "confirmed_at"
    )
    for name, email, department, confirmed_at in rows.iterator(chunk_size=2000):
        yield PersonLine(name, email, department or NO_DEPARTMENT, confirmed_at)
