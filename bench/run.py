"""`make bench`: every benchmark at every data-set size, and the load test on the largest.

    BENCH_SIZES=10k,100k,1M python -m bench.run        (the default sizes)
    python -m bench.run --sizes 100k --no-load

For each size: its database socialit_bench_<size> is created, migrated and generated if
missing (the generator resumes a partial one and does nothing to a complete one); the
requests are measured in-process (bench/measure.py); then, on a scratch copy of the
database, the load test (largest size only) and the SLA sweep run and the copy is dropped.
Prints a table and writes bench/out/latest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg2
from psycopg2 import sql

from bench.measure import BENCH_ENVIRONMENT

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
SEED = 42
UNTIL = os.environ.get("BENCH_UNTIL", "2026-11-27")


def say(line: str = "") -> None:
    print(line, flush=True)


def postgres_or_exit() -> None:
    try:
        psycopg2.connect(f"{SERVER}/postgres", connect_timeout=3).close()
    except psycopg2.OperationalError as error:
        say(f"make bench needs PostgreSQL at {SERVER} (set BENCH_POSTGRES to point elsewhere).")
        say(f"It could not connect: {str(error).strip()}")
        say("Start it (for example: pg_ctlcluster 15 main start) and run make bench again.")
        sys.exit(2)


def admin(statement: sql.Composable | str) -> None:
    connection = psycopg2.connect(f"{SERVER}/postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def database_exists(name: str) -> bool:
    connection = psycopg2.connect(f"{SERVER}/postgres")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        connection.close()


def environment(database: str) -> dict[str, str]:
    env = {**os.environ, **BENCH_ENVIRONMENT}
    env.update(DATABASE_URL=f"{SERVER}/{database}", SOCIALIT_VAR_DIR=str(OUT / "var"))
    return env


def manage(database: str, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment(database), check=True)


def generator_seconds(database: str) -> float | None:
    connection = psycopg2.connect(f"{SERVER}/{database}")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT value FROM generator_state WHERE key = 'seconds'")
            row = cursor.fetchone()
            return float(row[0]) if row else None
    finally:
        connection.close()


def dataset_ensure(label: str, tickets: int) -> str:
    database = f"socialit_bench_{label}"
    if not database_exists(database):
        say(f"Creating database {database}")
        admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    manage(database, "migrate", "--no-input", "-v", "0")
    started = time.monotonic()
    generate = ["-m", "bench.generate", "--tickets", str(tickets), "--seed", str(SEED), "--until", UNTIL]
    subprocess.run([sys.executable, *generate], cwd=ROOT, env=environment(database), check=True)
    recorded = generator_seconds(database)
    say(
        f"Generator: {time.monotonic() - started:.0f} s in this run; "
        f"the data set of {tickets:,} tickets took {recorded:.0f} s to generate."
        if recorded is not None
        else ""
    )
    return database


def scratch_copy(database: str) -> str:
    """A throw-away copy: the load test writes to it and the sweep rewrites every ticket in it."""
    scratch = f"{database}_scratch"
    admin(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
    started = time.monotonic()
    admin(
        sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
            sql.Identifier(scratch), sql.Identifier(database)
        )
    )
    say(f"Scratch copy {scratch} made in {time.monotonic() - started:.0f} s")
    return scratch


def child(database: str, tickets: int, *args: str) -> dict[str, Any]:
    out = OUT / f"measure-{database}.json"
    subprocess.run(
        [sys.executable, "-m", "bench.measure", "--tickets", str(tickets), "--out", str(out), *args],
        cwd=ROOT,
        env=environment(database),
        check=True,
    )
    return json.loads(out.read_text())


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    connection = psycopg2.connect(f"{SERVER}/postgres")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            (postgres,) = cursor.fetchone() or ("unknown",)
    finally:
        connection.close()
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory_kb / 1024 / 1024:.0f} GiB RAM, "
        f"PostgreSQL {postgres}, Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def table(results: list[dict[str, Any]]) -> str:
    lines = [f"{'benchmark':<24}{'tickets':>11}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'peak MB':>9}"]
    for row in sorted(results, key=lambda r: (r["name"], r["tickets"])):
        lines.append(
            f"{row['name']:<24}{row['tickets']:>11,}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}"
            f"{row['queries']:>9}{row['peak_mb']:>9.2f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "10k,100k,1M"))
    parser.add_argument("--no-load", action="store_true", help="Skip the locust load test.")
    parser.add_argument("--samples", type=int, default=int(os.environ.get("BENCH_SAMPLES", "40")))
    args = parser.parse_args()
    labels = [label.strip().lower() for label in args.sizes.split(",") if label.strip()]
    unknown = [label for label in labels if label not in SIZES]
    if unknown:
        sys.exit(f"Unknown size {', '.join(unknown)}: choose among 10k, 100k, 1M.")
    postgres_or_exit()
    OUT.mkdir(parents=True, exist_ok=True)
    manage("postgres", "collectstatic", "--no-input", "-v", "0")

    results: list[dict[str, Any]] = []
    load: dict[str, Any] | None = None
    largest = max(labels, key=SIZES.__getitem__)
    for label in sorted(labels, key=SIZES.__getitem__):
        tickets = SIZES[label]
        say(f"\n== {tickets:,} tickets ==")
        database = dataset_ensure(label, tickets)
        say("Requests (in-process, DEBUG off):")
        measured = child(database, tickets, "--samples", str(args.samples))
        results += measured["results"]
        scratch = scratch_copy(database)
        try:
            if label == largest and not args.no_load:
                from bench.load import SECONDS, USERS, load_test

                say(f"Load test: {USERS} users for {SECONDS} s against gunicorn (2 workers) on {scratch}")
                load = load_test(f"{SERVER}/{scratch}")
                say(
                    f"    {load['rps']} requests/s, p50 {load['p50_ms']} ms, p95 {load['p95_ms']} ms, "
                    f"p99 {load['p99_ms']} ms, {load['errors']} errors of {load['requests']:,}"
                )
                (OUT / "load-detail.json").write_text(json.dumps(load, indent=2))
            say("SLA sweep (every ticket made open, 1,000 due, in a transaction rolled back):")
            sweep = child(scratch, tickets, "--only", "sweep", "--samples", str(args.samples))["results"]
            for row in sweep:
                say(
                    f"    {row['name']:<22} p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  {row['queries']} queries"
                )
            results += sweep
        finally:
            admin(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))

    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "results": results,
        "load": {key: (load or {}).get(key) for key in ("rps", "p50_ms", "p95_ms", "p99_ms", "errors")},
    }
    (OUT / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    say("\n" + table(results))
    if load:
        say(
            f"\nload: {load['rps']} requests/s  p50 {load['p50_ms']} ms  p95 {load['p95_ms']} ms"
            f"  p99 {load['p99_ms']} ms  errors {load['errors']}"
        )
    say(f"\nWritten to {OUT / 'latest.json'}")


if __name__ == "__main__":
    main()
