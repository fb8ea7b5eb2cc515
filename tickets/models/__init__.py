"""The tickets app's models, one module per sub-domain; import them from here."""

from .routing import RoutingRule, ServiceLevel
from .teams import Platform, ProblemType, Queue
from .ticket import (
    REFERENCE_PREFIX,
    Attachment,
    Collaboration,
    Comment,
    Event,
    Ticket,
    TicketLink,
    TimeEntry,
    attachment_path,
)

__all__ = [
    "REFERENCE_PREFIX",
    "Attachment",
    "Collaboration",
    "Comment",
    "Event",
    "Platform",
    "ProblemType",
    "Queue",
    "RoutingRule",
    "ServiceLevel",
    "Ticket",
    "TicketLink",
    "TimeEntry",
    "attachment_path",
]
