"""What each role may do in the Django admin, as permission codenames.

Roles live on the user; these groups carry the admin permissions that go with them.
Agents work their tickets in the desk, which checks every change; the admin adds only what the
desk lacks, read-only and limited to their queues' tickets (tickets/admin_scope.py): lists
across tickets, with filters by SLA state, age or department, and the people on those tickets.
Managers also look after queue membership and read the configuration and the outbox;
administrators are superusers.
"""

from __future__ import annotations

from .models import User

AGENT_PERMISSIONS = [
    "tickets.view_ticket",
    "tickets.view_comment",
    "tickets.view_attachment",
    "tickets.view_event",
    "tickets.view_timeentry",
    "accounts.view_user",
]
MANAGER_PERMISSIONS = [
    *AGENT_PERMISSIONS,
    "tickets.view_queue",
    "tickets.change_queue",
    "tickets.view_platform",
    "tickets.view_problemtype",
    "tickets.view_routingrule",
    "tickets.view_servicelevel",
    "accounts.view_department",
    "sla.view_calendar",
    "sla.view_policy",
    "notifications.view_notification",
    "guides.view_guide",
    "guides.view_guiderevision",
    "guides.view_guidefeedback",
    "guides.view_policyconfirmation",
]

ROLE_GROUPS: dict[str, tuple[str, list[str]]] = {
    User.Role.AGENT: ("Agents", AGENT_PERMISSIONS),
    User.Role.MANAGER: ("Managers", MANAGER_PERMISSIONS),
}
