"""`make run`'s processes (Procfile.dev under honcho) start, log in one time zone, and stop on
Ctrl-C without an error: the embedded desk of SQLite, a file-system broker and a file mailbox."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from .conftest import BASE_DIR, free_port, wait_until

pytestmark = pytest.mark.integration

BIN = Path(sys.executable).parent
HONCHO = BIN / "honcho"
# A process's own log line: "2026-12-01T22:05:36.820Z INFO celery.apps.worker celery@vm ready."
STAMPED = re.compile(r"\| (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) [A-Z]+ \S+ ")
ANY_STAMP = re.compile(r"\| \[?\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d")


def serving(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as page:
            return page.status == 200
    except OSError:
        return False


@pytest.fixture
def local_desk(tmp_path: Path) -> dict[str, str]:
    """The environment `make run` gives its processes, on a fresh var/ with the tables made."""
    keep = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO", "CELERY"))}
    environment = {
        **{
            name: value
            for name, value in keep.items()
            if name not in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL")
        },
        "DEBUG": "1",
        "TZ": "UTC",
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "SOCIALIT_VAR_DIR": str(tmp_path / "var"),
        "DESK_PORT": str(free_port()),
        "PYTHONUNBUFFERED": "1",
    }
    (tmp_path / "var").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=BASE_DIR,
        env=environment,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return environment


def test_ctrl_c_stops_the_web_server_the_worker_and_beat_without_an_error(local_desk: dict[str, str]) -> None:
    port = int(local_desk["DESK_PORT"])
    honcho = subprocess.Popen(
        [str(HONCHO), "start", "--no-colour", "-f", "Procfile.dev"],
        cwd=BASE_DIR,
        env=local_desk,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(honcho.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        wait_until(lambda: serving(port), what="the web server", timeout=120)
        wait_until(
            lambda: any("celery@" in line and "ready" in line for line in lines),
            what="the worker",
            timeout=120,
        )
        wait_until(lambda: any("beat: Starting" in line for line in lines), what="beat", timeout=120)
        started = len(lines)

        honcho.send_signal(signal.SIGINT)  # what the terminal sends honcho on Ctrl-C
        honcho.wait(timeout=60)
    finally:
        if honcho.poll() is None:
            honcho.kill()
            honcho.wait()
    reader.join(timeout=10)

    stopping = lines[started:]
    assert [line for line in stopping if "ERROR" in line or "Traceback" in line] == [], "".join(stopping)
    assert not [line for line in lines if "No hostname was supplied" in line]
    for name in ("web.1", "worker.1", "beat.1"):
        assert any(f"{name} stopped" in line for line in stopping), "".join(stopping)
    # Every log line the processes stamp is in UTC, marked Z, like the others beside it.
    stamped = [line for line in lines if ANY_STAMP.search(line)]
    assert stamped, "".join(lines)
    assert [line for line in stamped if not STAMPED.search(line)] == []
    assert {line.split("|", 1)[0].split()[-1] for line in stamped} >= {"web.1", "worker.1", "beat.1"}
