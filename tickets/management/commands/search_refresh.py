from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tickets.models import Ticket
from tickets.services.search import tickets_search_refresh


class Command(BaseCommand):
    help = (
        "Rebuild the tickets' search vectors, oldest first, in batches (after a change to what"
        " search indexes). Safe to stop and run again; --after resumes where it stopped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=1000, help="Tickets per statement (1000).")
        parser.add_argument("--after", type=int, default=0, help="Start after this ticket id.")

    def handle(self, *args: Any, batch: int = 1000, after: int = 0, **options: Any) -> None:
        done, last = 0, after
        while True:
            # Keyset paging: each batch starts from the last id seen, so the thousandth batch
            # costs what the first did (OFFSET would walk every row before it).
            ids = list(Ticket.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
            if not ids:
                break
            tickets_search_refresh(ticket_ids=ids)
            done, last = done + len(ids), ids[-1]
            self.stdout.write(f"{done} tickets refreshed, up to id {last}")
        self.stdout.write(self.style.SUCCESS(f"Search vectors refreshed for {done} tickets."))
