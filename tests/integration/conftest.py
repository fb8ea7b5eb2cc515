"""The real parts of the notification path: Redis, a Celery worker subprocess and an SMTP server.

Every fixture here cleans up after itself, even when a test fails half-way: workers are
terminated (killed if they will not stop), and Redis is started again if a test stopped it.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from shutil import which
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
CELERY = Path(sys.executable).parent / "celery"
DEADLINE = 30.0
SITE_URL = "http://desk.integration.test"

T = TypeVar("T")


def wait_until(condition: Callable[[], T], *, what: str, timeout: float = DEADLINE) -> T:
    """Poll `condition` until it returns something truthy; fail clearly at the deadline."""
    end = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


# How a worker's log says a task run ended (celery.app.trace): done, to run again, or failed.
TASK_ENDINGS = ("succeeded", "retry", "raised", "ignored", "INTERNAL ERROR")


def _task_events(log: str, *kinds: str) -> Iterator[re.Match[str]]:
    return re.finditer(rf"Task [\w.]+\[([0-9a-f-]+)\] (?:{'|'.join(kinds)})\b", log)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# ---- SMTP ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    at: float

    def __getitem__(self, header: str) -> str | None:
        value = self.message[header]
        return None if value is None else str(value)

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None, "no text/plain part"
        return str(part.get_content())  # type: ignore[attr-defined]

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        assert part is not None, "no text/html part"
        return str(part.get_content())  # type: ignore[attr-defined]


class Mailbox:
    """An aiosmtpd handler that accepts, refuses (421) or holds messages, switchable at runtime."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.accepted: list[Received] = []
        self.refused: list[Received] = []
        self.held: list[Received] = []
        self._refuse = 0
        self._hold = False
        self.holding = threading.Event()
        self._released = threading.Event()

    def reset(self) -> None:
        self.release()
        with self._lock:
            self.accepted, self.refused, self.held = [], [], []
            self._refuse, self._hold = 0, False
            self.holding.clear()
            self._released.clear()

    def refuse_next(self, count: int) -> None:
        """Answer the next `count` messages with 421, as a busy or greylisting server does."""
        with self._lock:
            self._refuse = count

    def hold_next(self) -> None:
        """Keep the next message's DATA unanswered until release(): a send that never finishes."""
        with self._lock:
            self._hold = True
            self._released.clear()

    def release(self) -> None:
        self._released.set()

    def wait_for(self, count: int, *, timeout: float = DEADLINE) -> list[Received]:
        wait_until(lambda: len(self.accepted) >= count, what=f"{count} accepted email(s)", timeout=timeout)
        with self._lock:
            return list(self.accepted)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        received = Received(
            mail_from=envelope.mail_from,
            rcpt_tos=list(envelope.rcpt_tos),
            message=message_from_bytes(envelope.content, policy=policy.default),  # type: ignore[arg-type]
            at=time.monotonic(),
        )
        with self._lock:
            if self._refuse > 0:
                self._refuse -= 1
                self.refused.append(received)
                return "421 4.3.2 Service busy, try again later"
            hold, self._hold = self._hold, False
            if hold:
                self.held.append(received)
                self.holding.set()
        if hold:
            # Never answered with 250: the sender is expected to die while we wait.
            while not self._released.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Aborted"
        with self._lock:
            self.accepted.append(received)
        return "250 2.0.0 OK"


@dataclass
class SmtpServer:
    mailbox: Mailbox
    port: int


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SmtpServer]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(mailbox=mailbox, port=port)
    finally:
        mailbox.release()
        controller.stop()


@pytest.fixture
def mailbox(smtp_server: SmtpServer) -> Iterator[Mailbox]:
    smtp_server.mailbox.reset()
    yield smtp_server.mailbox
    smtp_server.mailbox.reset()


# ---- Redis ---------------------------------------------------------------------------------------


@dataclass
class RedisServer:
    """The Redis at REDIS_URL; a test may stop it, and it is always started again."""

    url: str

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or "127.0.0.1"

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or 6379

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=2, socket_connect_timeout=2)

    def is_up(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis.exceptions.ConnectionError:
            return False

    def queued(self) -> int:
        """Messages waiting in the workers' queue (one list per priority step)."""
        client = self.client()
        return sum(int(client.llen(key)) for key in client.keys("celery*") if client.type(key) == b"list")

    def unacknowledged(self) -> set[str]:
        """The task ids taken by a worker and not acknowledged yet: with acks_late, until they end."""
        held = self.client().hvals("unacked")
        return {json.loads(raw)[0]["headers"]["id"] for raw in held}

    def flush(self) -> None:
        self.client().flushdb()

    def stop(self) -> None:
        subprocess.run(
            ["redis-cli", "-h", self.host, "-p", str(self.port), "shutdown", "nosave"],
            capture_output=True,
            timeout=10,
            check=False,
        )
        wait_until(lambda: not self.is_up(), what="Redis to stop", timeout=10)

    def start(self) -> None:
        if self.is_up():
            return
        # The same command as .ci/run and the brief, so the restarted server is the one CI expects.
        subprocess.run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "-::1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                "/var/lib/redis",
                "--logfile",
                "/var/log/redis/ci.log",
            ],
            capture_output=True,
            timeout=10,
            check=True,
        )
        wait_until(self.is_up, what="Redis to start", timeout=10)


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer(url=settings.REDIS_URL)
    server.start()
    server.flush()
    try:
        yield server
    finally:
        server.start()
        server.flush()  # no stray task (an unacked one from a killed worker) outlives the test


@pytest.fixture
def stoppable_redis(redis_server: RedisServer) -> RedisServer:
    local = redis_server.host in ("127.0.0.1", "localhost", "::1")
    if not local or not (which("redis-server") and which("redis-cli")):
        pytest.skip("stopping and restarting Redis needs a local redis-server and redis-cli")
    return redis_server


# ---- the Celery worker ---------------------------------------------------------------------------


def database_url() -> str:
    """The TEST database, which the worker must share with the test (pytest-django renamed it)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: Path
    name: str
    _stopped: bool = field(default=False)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def results(self) -> list[str]:
        """What each finished notifications.deliver task returned, in order."""
        return re.findall(
            r"Task notifications\.deliver\[[^\]]+\] succeeded in [\d.]+s: '([^']*)'", self.output()
        )

    def unfinished(self) -> set[str]:
        """The tasks this worker took and has not ended (a retry comes back under the same id)."""
        log = self.output()
        taken = Counter(event.group(1) for event in _task_events(log, "received"))
        ended = Counter(event.group(1) for event in _task_events(log, *TASK_ENDINGS))
        return set(taken - ended)

    def is_alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self) -> None:
        wait_until(
            lambda: " ready." in self.output() or self.process.poll() is not None,
            what=f"worker {self.name} to be ready",
        )
        if self.process.poll() is not None:
            raise AssertionError(
                f"worker {self.name} exited with {self.process.returncode}:\n{self.output()}"
            )

    def kill(self) -> None:
        """kill -9: no warm shutdown, no acknowledgement, no clean-up."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def wait_idle(redis_server: RedisServer, *workers: Worker) -> None:
    """Wait until nothing is left to run: no message queued, every task the running workers took
    has ended, and none is out but those a killed worker held. Only then may a test count the
    emails: a duplicate on its way would have arrived."""

    def idle() -> bool:
        abandoned: set[str] = set()
        for worker in workers:
            if worker.is_alive():
                if worker.unfinished():
                    return False
            else:
                abandoned |= worker.unfinished()
        return redis_server.queued() == 0 and redis_server.unacknowledged() <= abandoned

    wait_until(idle, what="the workers to finish every task")


@pytest.fixture
def start_worker(
    transactional_db: None, smtp_server: SmtpServer, redis_server: RedisServer, tmp_path: Path
) -> Iterator[Callable[..., Worker]]:
    """Start a real `celery worker` on the test database, Redis and the test SMTP server.

    Keyword arguments override its environment, e.g. DATABASE_URL for another server.
    """
    started: list[Worker] = []
    var_dir = tmp_path / "worker-var"
    var_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
        "PYTHONPATH": str(BASE_DIR),
        "DATABASE_URL": database_url(),
        "CONN_MAX_AGE": "0",
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "EMAIL_TIMEOUT": "10",
        "NOTIFICATION_RETRY_SECONDS": "1",
        "SITE_URL": SITE_URL,
        "SOCIALIT_VAR_DIR": str(var_dir),
        "LOG_LEVEL": "INFO",
    }

    def start(**environment: str) -> Worker:
        name = f"integration-{os.getpid()}-{len(started) + 1}"
        log = tmp_path / f"{name}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [
                    str(CELERY),
                    "-A",
                    "socialit",
                    "worker",
                    "--pool=solo",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "-Q",
                    "celery",
                    "-n",
                    f"{name}@%h",
                    "--loglevel=INFO",
                ],
                cwd=BASE_DIR,
                env={**env, **environment},
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        worker = Worker(process=process, log=log, name=name)
        started.append(worker)
        worker.wait_ready()
        return worker

    try:
        yield start
    finally:
        smtp_server.mailbox.release()  # a worker stuck in a held DATA would delay its warm shutdown
        for worker in started:
            worker.stop()
