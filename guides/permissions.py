"""Who may read, write and publish guides: the one set of rules the views and services ask.

Any agent may write a guide and keep it as a draft. Communications owns etiquette and policy:
publishing a guide on those topics, or changing one that is published, takes a member of the
Communications queue or a manager (administrators count as managers). Everyone else may
publish the other topics. Employees read published guides meant for everyone; support staff
also read those meant for staff only.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from accounts.models import User

from .models import Guide

COMMUNICATIONS_QUEUE = "communications"
COMMUNICATIONS_TOPICS = frozenset({Guide.Topic.ETIQUETTE, Guide.Topic.POLICY})


def can_read(user: User | AnonymousUser, guide: Guide) -> bool:
    if not user.is_authenticated or not user.is_active or not guide.is_published:
        return False
    return not guide.for_staff_only or user.is_desk_user


def can_write_guides(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_desk_user


def speaks_for_communications(user: User) -> bool:
    if not user.is_desk_user:
        return False
    return user.sees_every_queue or user.queues.filter(slug=COMMUNICATIONS_QUEUE).exists()


def can_publish(user: User, topic: str) -> bool:
    """Whether `user` may publish a guide on `topic`."""
    if not can_write_guides(user):
        return False
    return topic not in COMMUNICATIONS_TOPICS or speaks_for_communications(user)


def can_edit(user: User, guide: Guide) -> bool:
    """A published etiquette or policy guide changes only by Communications; any other, by any agent."""
    if not can_write_guides(user):
        return False
    return not guide.is_published or can_publish(user, guide.topic)


def publish_refusal(topic: str) -> str:
    label = Guide.Topic(topic).label.lower()
    return (
        f"Communications publishes {label} guides. Save it as a draft and ask someone in the "
        "Communications queue, or a manager, to publish it."
    )
