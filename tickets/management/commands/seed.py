from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.module_loading import import_string

from tickets.demo import DEMO_PASSWORD, demo_load
from tickets.reference_data import reference_data_load


class Command(BaseCommand):
    help = "Load the queues, platforms, problem types and routing rules; --demo adds people to try it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="Also create demo users and tickets.")

    def handle(self, *args: Any, demo: bool = False, **options: Any) -> None:
        reference_data_load()
        for step in settings.SEED_STEPS:
            import_string(step)()
        self.stdout.write(
            self.style.SUCCESS("Queues, platforms, problem types and routing rules are in place.")
        )
        if not demo:
            return
        people = demo_load()
        for step in settings.SEED_DEMO_STEPS:
            import_string(step)()
        width = max(len(p.email) for p in people)
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demo log-ins (password for all: {DEMO_PASSWORD})"))
        for person in people:
            where = f", {person.queue} queue" if person.queue else ""
            self.stdout.write(f"  {person.email:<{width}}  {person.role}{where}")
        self.stdout.write(
            "  The manager and the administrator set up two-factor sign-in at their first log-in:"
            " have an authenticator app ready."
        )
        self.stdout.write("")
        self.stdout.write(f"  Portal and desk: {settings.SITE_URL}/   Admin: {settings.SITE_URL}/admin/")
