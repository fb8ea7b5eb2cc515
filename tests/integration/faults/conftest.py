"""Fault drills: a PostgreSQL server of the drill's own to restart for real, a web server on it,
and an SMTP server that can keep messages waiting at a gate.

The machine's PostgreSQL on 5432 is shared and must never restart, so each drill copies the
test database (migrated, with the cast and whatever the test made) into a database on a
private server, points a worker or a web server at it, and stops and starts that server.
"""

from __future__ import annotations

import asyncio
import http.client
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from ..conftest import BASE_DIR, SITE_URL, Mailbox, SmtpServer, free_port, wait_until

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
GUNICORN = Path(sys.executable).parent / "gunicorn"


def _client_tool(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path=str(POSTGRES_BIN))


# ---- a PostgreSQL server of our own --------------------------------------------------------------


@dataclass
class PrivatePostgres:
    """A throw-away cluster on a free port, run by the `postgres` account when we are root."""

    directory: Path
    port: int
    run_as: list[str]

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.run_as, str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-w", "-t", "30", *args],
            capture_output=True,
            timeout=60,
            check=True,
        )

    def start(self) -> None:
        if self.is_up():
            return
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} "
            "-c fsync=off -c full_page_writes=off"
        )
        self._pg_ctl("start", "-l", str(self.directory / "server.log"), "-o", options)

    def stop(self) -> None:
        """A fast shutdown, as a restart or failover does: sessions are cut, transactions rolled back."""
        self._pg_ctl("stop", "-m", "fast")

    def is_up(self) -> bool:
        try:
            psycopg2.connect(self.url("postgres"), connect_timeout=2).close()
        except psycopg2.OperationalError:
            return False
        return True

    def rows(self, database: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Read with a connection of its own, so that a restart in between costs nothing."""
        with closing(psycopg2.connect(self.url(database), connect_timeout=5)) as db, db.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def copy_of_test_database(self, database: str) -> str:
        """A new database holding what the test database holds now; returns its URL."""
        admin = psycopg2.connect(self.url("postgres"))
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}"')
            cursor.execute(f'CREATE DATABASE "{database}"')
        admin.close()
        source = connection.settings_dict
        dump = subprocess.run(
            [
                str(_client_tool("pg_dump")),
                "--no-owner",
                "--no-privileges",
                "-h",
                source["HOST"] or "127.0.0.1",
                "-p",
                str(source["PORT"] or 5432),
                "-U",
                source["USER"] or "postgres",
                source["NAME"],
            ],
            capture_output=True,
            timeout=60,
            check=True,
            env={**os.environ, "PGPASSWORD": source["PASSWORD"] or ""},
        )
        subprocess.run(
            [str(_client_tool("psql")), "-q", "-v", "ON_ERROR_STOP=1", self.url(database)],
            input=dump.stdout,
            capture_output=True,
            timeout=60,
            check=True,
        )
        return self.url(database)


@pytest.fixture(scope="session")
def private_postgres_server() -> Iterator[PrivatePostgres]:
    if connection.vendor != "postgresql":
        pytest.skip("fault drills copy the PostgreSQL test database: set DATABASE_URL=postgres://...")
    missing = [
        tool
        for tool, found in {
            str(POSTGRES_BIN / "initdb"): (POSTGRES_BIN / "initdb").exists(),
            "pg_dump": _client_tool("pg_dump"),
            "psql": _client_tool("psql"),
        }.items()
        if not found
    ]
    if missing:
        pytest.skip(f"fault drills run a PostgreSQL server of their own and need {', '.join(missing)}")
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: the server runs as the postgres account
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("fault drills run as root start PostgreSQL as the postgres account: there is none")
        if not shutil.which("runuser"):
            pytest.skip("fault drills run as root need runuser to start PostgreSQL as postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    directory = Path(tempfile.mkdtemp(prefix="socialit-drill-pg-"))
    if run_as:
        shutil.chown(directory, user="postgres")
    server = PrivatePostgres(directory=directory, port=free_port(), run_as=run_as)
    initdb = [str(POSTGRES_BIN / "initdb"), "-D", str(server.data), "-U", "postgres", "-A", "trust"]
    subprocess.run(
        [*run_as, *initdb, "-E", "UTF8", "--no-sync"],
        capture_output=True,
        timeout=60,
        check=True,
    )
    server.start()
    try:
        yield server
    finally:
        subprocess.run(
            [*run_as, str(POSTGRES_BIN / "pg_ctl"), "-D", str(server.data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def private_postgres(private_postgres_server: PrivatePostgres) -> Iterator[PrivatePostgres]:
    """The private server, up; started again after the test whatever the test did to it."""
    private_postgres_server.start()
    yield private_postgres_server
    private_postgres_server.start()


# ---- an SMTP server with a gate ------------------------------------------------------------------


class GatedMailbox(Mailbox):
    """A Mailbox that can keep every message's DATA waiting at a gate, then accept it with 250."""

    def __init__(self) -> None:
        super().__init__()
        self._open = threading.Event()
        self._open.set()
        self.at_gate = 0

    def close_gate(self) -> None:
        with self._lock:
            self.at_gate = 0
        self._open.clear()

    def open_gate(self) -> None:
        self._open.set()

    def reset(self) -> None:
        self.open_gate()
        super().reset()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if not self._open.is_set():
            with self._lock:
                self.at_gate += 1
            while not self._open.is_set():
                await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    """The integration suite's SMTP server, with a gate (overrides tests/integration's)."""
    mailbox = GatedMailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(mailbox=mailbox, port=port)
    finally:
        mailbox.open_gate()
        mailbox.release()
        controller.stop()


# ---- a web server --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class WebServer:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def request(
        self, method: str, path: str, *, body: str = "", headers: dict[str, str] | None = None
    ) -> Answer:
        """One request on a connection of its own; redirects are answers, not followed."""
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            client.request(method, path, body=body.encode(), headers=headers or {})
            response = client.getresponse()
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        finally:
            client.close()

    def answers(self) -> bool:
        try:
            return self.request("GET", "/accounts/login/").status == 200
        except OSError:
            return False


@pytest.fixture
def start_web_server(tmp_path: Path) -> Iterator[Any]:
    """Start gunicorn, as production does, on the given database; stopped after the test."""
    started: list[WebServer] = []

    def start(*, database_url: str) -> WebServer:
        port = free_port()
        log = tmp_path / f"gunicorn-{port}.log"
        var_dir = tmp_path / f"web-var-{port}"
        var_dir.mkdir()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
            "PYTHONPATH": str(BASE_DIR),
            "DATABASE_URL": database_url,
            "REDIS_URL": settings.REDIS_URL,
            "SITE_URL": SITE_URL,
            "SOCIALIT_VAR_DIR": str(var_dir),
            "LOG_LEVEL": "INFO",
        }
        with log.open("wb") as output:
            process = subprocess.Popen(
                [str(GUNICORN), "socialit.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
                cwd=BASE_DIR,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        server = WebServer(process=process, port=port, log=log)
        started.append(server)
        wait_until(lambda: server.answers() or process.poll() is not None, what="gunicorn to answer")
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}:\n{server.output()}")
        return server

    yield start
    for server in started:
        server.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)
