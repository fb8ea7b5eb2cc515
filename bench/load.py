"""The load test: gunicorn with 2 workers on loopback, locust headless for a bounded time."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.measure import BENCH_ENVIRONMENT

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
USERS = int(os.environ.get("BENCH_LOAD_USERS", "220"))
SPAWN_RATE = int(os.environ.get("BENCH_LOAD_SPAWN_RATE", "50"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))


def server_environment(database_url: str) -> dict[str, str]:
    env = {**os.environ, **BENCH_ENVIRONMENT}
    env.update(
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1",
        SOCIALIT_VAR_DIR=str(OUT / "var"),
        MEDIA_ROOT=str(OUT / "var" / "media"),
    )
    return env


def _wait_until_up(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up; see bench/out/gunicorn.log")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer on {url} within {timeout:.0f} s")


def load_test(database_url: str) -> dict[str, Any]:
    """Run the mix against the database and return rps, p50/p95/p99 (ms) and errors."""
    OUT.mkdir(parents=True, exist_ok=True)
    env = server_environment(database_url)
    sessions = OUT / "sessions.json"
    subprocess.run(
        [sys.executable, "-m", "bench.sessions", "--out", str(sessions)], cwd=ROOT, env=env, check=True
    )
    log = (OUT / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "socialit.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(f"http://127.0.0.1:{PORT}/accounts/login/", server)
        prefix = OUT / "locust"
        subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(USERS),
                "--spawn-rate",
                str(SPAWN_RATE),
                "--run-time",
                f"{SECONDS}s",
                "--stop-timeout",
                "5",
                "--host",
                f"http://127.0.0.1:{PORT}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--exit-code-on-error",
                "0",
            ],
            cwd=ROOT,
            env={**env, "BENCH_SESSIONS": str(sessions)},
            check=True,
        )
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    with open(f"{prefix}_stats.csv", newline="") as file:
        rows = {row["Name"]: row for row in csv.DictReader(file)}
    total = rows["Aggregated"]
    return {
        "rps": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "errors": int(total["Failure Count"]),
        "requests": int(total["Request Count"]),
        "by_name": {
            name: {
                "requests": int(row["Request Count"]),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
            }
            for name, row in rows.items()
            if name != "Aggregated"
        },
    }
