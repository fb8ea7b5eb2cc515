"""Generate a realistic data set of N tickets into PostgreSQL, for the benchmarks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/socialit_bench_1m python -m bench.generate --tickets 1M

Resumable: a re-run continues where it stopped, and does nothing once the data set is
complete. The database must be migrated first (`manage.py migrate`); bench/run.py does both.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import date
from pathlib import Path

SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$")


def ticket_count(text: str) -> int:
    """10000, 10_000, 10k, 1M, 2.5M."""
    match = SIZE_RE.match(text.replace("_", "").replace(",", ""))
    if not match:
        raise argparse.ArgumentTypeError(f"“{text}” is not a number of tickets such as 10000, 10k or 1M.")
    number, unit = match.groups()
    return round(float(number) * {"": 1, "k": 1_000, "m": 1_000_000}[unit.lower()])


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--tickets", required=True, type=ticket_count, help="How many: 10000, 10k, 100k, 1M.")
    parser.add_argument("--seed", type=int, help="Same seed, same data (default 42).")
    parser.add_argument(
        "--until",
        type=date.fromisoformat,
        help="Tickets are filed over the two years before this date (default today).",
    )
    parser.add_argument("--chunk-size", type=int, help="Tickets per committed chunk (default 10,000).")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialit.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from bench.generator import GeneratorError, dataset_generate

    try:
        dataset_generate(
            tickets=args.tickets,
            seed=args.seed,
            until=args.until,
            chunk_size=args.chunk_size,
            report=lambda line: print(line, flush=True),
        )
    except GeneratorError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
