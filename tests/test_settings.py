"""Production settings, loaded the way a server loads them: in a fresh process from the environment."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
# Anything that would change what the settings decide is removed from the inherited environment.
SETTINGS_VARIABLES = {
    "DJANGO_SETTINGS_MODULE",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "SITE_URL",
    "DESK_PORT",
    "BEHIND_PROXY",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "CELERY_TASK_ALWAYS_EAGER",
    # Set by the browser tests' live server; a server never runs with it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def manage(tmp_path: Path, *args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    return run(tmp_path, [sys.executable, "manage.py", *args], **environment)


def run(tmp_path: Path, command: list[str], **environment: str) -> subprocess.CompletedProcess[str]:
    """`command` in a fresh process, with the settings taken from `environment` alone."""
    env = {name: value for name, value in os.environ.items() if name not in SETTINGS_VARIABLES}
    env.update(SOCIALIT_VAR_DIR=str(tmp_path / "var"), MEDIA_ROOT=str(tmp_path / "media"), **environment)
    return subprocess.run(
        command,
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def production_key() -> str:
    return secrets.token_urlsafe(64)


def test_check_deploy_passes_with_the_documented_production_settings(
    tmp_path: Path, production_key: str
) -> None:
    result = manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=production_key,
        ALLOWED_HOSTS="desk.example.com",
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in result.stdout, output
    assert "WARNING" not in output
    assert "security.W" not in output


def test_check_deploy_passes_behind_a_proxy_with_postgres_and_redis_urls(
    tmp_path: Path, production_key: str
) -> None:
    result = manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=production_key,
        ALLOWED_HOSTS="desk.example.com",
        CSRF_TRUSTED_ORIGINS="https://desk.example.com",
        SITE_URL="https://desk.example.com",
        BEHIND_PROXY="1",
        DATABASE_URL="postgres://desk:secret@db.example.com:5432/socialit",
        REDIS_URL="redis://cache.example.com:6379/0",
        EMAIL_URL="smtp+tls://desk:secret@smtp.example.com:587",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_flags_a_weak_secret_key(tmp_path: Path) -> None:
    result = manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="short",
        ALLOWED_HOSTS="desk.example.com",
    )

    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def test_a_clean_checkout_runs_its_management_commands_without_a_secret_key(tmp_path: Path) -> None:
    for command in (["check"], ["makemigrations", "--check", "--dry-run"]):
        result = manage(tmp_path, *command)

        assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_flags_the_development_key(tmp_path: Path) -> None:
    result = manage(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING", ALLOWED_HOSTS="desk.example.com"
    )

    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


SERVERS = {
    "web (WSGI)": "import socialit.wsgi",
    "web (ASGI)": "import socialit.asgi",
}


@pytest.mark.parametrize("code", SERVERS.values(), ids=SERVERS.keys())
@pytest.mark.parametrize("key", [None, ""], ids=["unset", "empty"])
def test_without_debug_or_a_secret_key_no_web_server_starts(
    tmp_path: Path, code: str, key: str | None
) -> None:
    environment = {} if key is None else {"SECRET_KEY": key}
    result = run(tmp_path, [sys.executable, "-c", code], **environment)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Set SECRET_KEY (or DEBUG=1 for a local desk)." in result.stderr


def test_with_a_secret_key_the_web_server_starts(tmp_path: Path, production_key: str) -> None:
    result = run(tmp_path, [sys.executable, "-c", SERVERS["web (WSGI)"]], SECRET_KEY=production_key)

    assert result.returncode == 0, result.stderr


def test_debug_alone_is_enough_for_a_local_desk(tmp_path: Path) -> None:
    result = manage(tmp_path, "check", DEBUG="1")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
