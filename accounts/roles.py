"""What each role may do in the Django admin, as permission codenames.

Roles live on the user; these groups carry the admin permissions that go with them.
Agents read tickets there; managers also look after queue membership and reports;
administrators are superusers.
"""

from __future__ import annotations

from .models import User

AGENT_PERMISSIONS = [
    "tickets.view_ticket",
    "tickets.view_comment",
    "tickets.view_attachment",
    "tickets.view_event",
    "tickets.view_queue",
    "tickets.view_platform",
    "tickets.view_problemtype",
    "tickets.view_timeentry",
    "accounts.view_user",
    "accounts.view_department",
]
MANAGER_PERMISSIONS = [
    *AGENT_PERMISSIONS,
    "tickets.view_routingrule",
    "tickets.view_servicelevel",
    "tickets.view_timeentry",
    "tickets.change_queue",
    "sla.view_calendar",
    "sla.view_policy",
    "notifications.view_notification",
]

ROLE_GROUPS: dict[str, tuple[str, list[str]]] = {
    User.Role.AGENT: ("Agents", AGENT_PERMISSIONS),
    User.Role.MANAGER: ("Managers", MANAGER_PERMISSIONS),
}
