"""Every change to a ticket goes through these functions.

Each one checks who is acting (common.actor_check, with the selectors' rule the views
use) and the rules, changes the ticket inside one transaction and writes the history event.
Views, admin actions, tasks and commands all call them, and none is trusted more.
"""

from .collaboration import ticket_collaborate
from .conversation import ticket_reply
from .filing import ticket_file
from .work import (
    ticket_assign,
    ticket_claim,
    ticket_log_time,
    ticket_reopen,
    ticket_resolve,
    ticket_set_priority,
    ticket_set_status,
    ticket_transfer,
)

__all__ = [
    "ticket_assign",
    "ticket_claim",
    "ticket_collaborate",
    "ticket_file",
    "ticket_log_time",
    "ticket_reopen",
    "ticket_reply",
    "ticket_resolve",
    "ticket_set_priority",
    "ticket_set_status",
    "ticket_transfer",
]
