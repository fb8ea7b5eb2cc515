from __future__ import annotations

from typing import Any

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _role_groups_sync(**kwargs: Any) -> None:
    from accounts.services import role_groups_sync

    role_groups_sync()


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = "Tickets"

    def ready(self) -> None:
        # Every migrate brings the role groups in line with accounts/roles.py, so a release that
        # changes what a role may do reaches the groups already in use. It runs once the last
        # installed app's permissions are made, so the roles may name any app's.
        last = list(apps.get_app_configs())[-1]
        post_migrate.connect(_role_groups_sync, sender=last, dispatch_uid="tickets.role_groups_sync")
