from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tickets.generator import GeneratorError, dataset_generate

SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$")


def ticket_count(text: str) -> int:
    """10000, 10_000, 10k, 1M, 2.5M."""
    match = SIZE_RE.match(text.replace("_", "").replace(",", ""))
    if not match:
        raise ValueError(f"“{text}” is not a number of tickets such as 10000, 10k or 1M.")
    number, unit = match.groups()
    return round(float(number) * {"": 1, "k": 1_000, "m": 1_000_000}[unit.lower()])


class Command(BaseCommand):
    help = (
        "Generate a realistic data set of N tickets into PostgreSQL (for benchmarks). "
        "Resumable: a re-run continues where it stopped, and does nothing once complete."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tickets", required=True, help="How many: 10000, 10k, 100k, 1M.")
        parser.add_argument("--seed", type=int, help="Same seed, same data (default 42).")
        parser.add_argument(
            "--until",
            type=date.fromisoformat,
            help="Tickets are filed over the two years before this date (default today).",
        )
        parser.add_argument("--chunk-size", type=int, help="Tickets per committed chunk (default 10,000).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            tickets = ticket_count(options["tickets"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        try:
            dataset_generate(
                tickets=tickets,
                seed=options["seed"],
                until=options["until"],
                chunk_size=options["chunk_size"],
                report=lambda line: (self.stdout.write(line), self.stdout.flush()),
            )
        except GeneratorError as error:
            raise CommandError(str(error)) from error
