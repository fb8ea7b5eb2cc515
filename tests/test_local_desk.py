"""The local desk as `make run` configures it: links on its port, mail where README says, one
time zone in the logs, and only the static files the pages load."""

from __future__ import annotations

import logging
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from pytest_django.fixtures import Settings

from socialit.logs import UTCFormatter
from socialit.staticfiles import PackageFilesFinder

from .test_settings import manage

BASE_DIR = Path(settings.BASE_DIR)


def setting(tmp_path: Path, expression: str, **environment: str) -> str:
    result = manage(
        tmp_path, "shell", "-c", f"from django.conf import settings; print({expression})", **environment
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


# ---- links in emails ------------------------------------------------------------------------


def test_links_in_emails_point_at_the_port_make_run_serves(tmp_path: Path) -> None:
    assert setting(tmp_path, "settings.SITE_URL", DEBUG="1", DESK_PORT="8123") == "http://127.0.0.1:8123"


def test_without_a_port_links_point_at_8000(tmp_path: Path) -> None:
    assert setting(tmp_path, "settings.SITE_URL", DEBUG="1") == "http://127.0.0.1:8000"


def test_a_site_url_given_wins_over_the_port(tmp_path: Path) -> None:
    assert (
        setting(tmp_path, "settings.SITE_URL", DESK_PORT="8123", SITE_URL="https://desk.example.com/")
        == "https://desk.example.com"
    )


# ---- EMAIL_URL as README gives it -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "folder"),
    [("filemail:///tmp/desk-mail", "tmp/desk-mail"), ("filemail:////var/spool/desk", "/var/spool/desk")],
)
def test_a_mailbox_of_files_is_where_readme_says(tmp_path: Path, url: str, folder: str) -> None:
    backend = setting(tmp_path, "settings.EMAIL_BACKEND", EMAIL_URL=url)
    path = setting(tmp_path, "settings.EMAIL_FILE_PATH", EMAIL_URL=url)

    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert path == folder


def test_readme_gives_the_forms_that_work() -> None:
    readme = (BASE_DIR / "README.md").read_text()

    assert "`filemail:////var/spool/desk` the absolute `/var/spool/desk`" in readme
    assert "| `EMAIL_URL` | `filemail://var/mail`" not in readme


# ---- logs -----------------------------------------------------------------------------------------


def test_log_lines_are_stamped_in_utc_whatever_the_time_zone() -> None:
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, "GET /", None, None)
    record.created = datetime(2026, 12, 1, 22, 5, 36, 820000, tzinfo=UTC).timestamp()
    record.msecs = 820

    line = UTCFormatter("%(asctime)s %(levelname)s %(name)s %(message)s").format(record)

    assert line == "2026-12-01T22:05:36.820Z INFO django.server GET /"


def test_the_web_server_worker_and_beat_share_that_format() -> None:
    assert settings.LOGGING["formatters"]["plain"]["()"] == "socialit.logs.UTCFormatter"
    assert settings.CELERY_WORKER_HIJACK_ROOT_LOGGER is False
    procfile = (BASE_DIR / "Procfile.dev").read_text()
    # Tasks in threads, beat apart: on Ctrl-C no forked child is killed under the worker.
    assert re.search(r"^worker: celery -A socialit worker --pool=threads", procfile, re.M)
    assert re.search(r"^beat: celery -A socialit beat", procfile, re.M)


# ---- static files ---------------------------------------------------------------------------------


def test_only_the_package_files_the_pages_load_are_collected() -> None:
    collected = sorted(path for path, _ in PackageFilesFinder().list([]))

    assert collected == [
        "bootstrap-icons.min.css",
        "chart.umd.min.js",
        "chart.umd.min.js.map",
        "css/bootstrap.min.css",
        "css/bootstrap.min.css.map",
        "fonts/bootstrap-icons.woff",
        "fonts/bootstrap-icons.woff2",
        "js/bootstrap.bundle.min.js",
        "js/bootstrap.bundle.min.js.map",
    ]


def test_every_package_file_a_template_names_is_found() -> None:
    named = set()
    for template in (BASE_DIR / "templates").rglob("*.html"):
        named |= set(re.findall(r"""static ['"](vendor/[^'"]+)['"]""", template.read_text()))

    assert named >= {"vendor/bootstrap/css/bootstrap.min.css", "vendor/chart.js/chart.umd.min.js"}
    assert {path for path in named if not finders.find(path)} == set()
    assert finders.find("vendor/bootstrap/css/bootstrap-grid.css") is None


def test_collectstatic_resolves_every_reference_of_what_it_collects(
    tmp_path: Path, settings: Settings
) -> None:
    # The production storage hashes each file and rewrites the maps and fonts it names: a file
    # left out that another names would fail here, not on the server.
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }

    call_command("collectstatic", "--no-input", verbosity=0, stdout=sys.stdout)

    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    for name in (
        "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
        "vendor/chart.js/chart.umd.min.js.map",
    ):
        assert f'"{name}"' in manifest
    assert not list((tmp_path / "static" / "vendor" / "chart.js").glob("chunks*"))
