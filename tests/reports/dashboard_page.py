"""Reading the dashboard as a manager does: its page, its CSV exports and the admin's ticket list."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client
from django.urls import reverse

from .conftest import NOW, at

DASHBOARD = reverse("reports:dashboard")

TICKETS = reverse("admin:tickets_ticket_changelist")

RANGE = {"range": "custom", "start": "2026-11-02", "end": "2026-11-15"}


def export_url(key: str) -> str:
    return reverse("reports:export", args=[key])


def get(client: Client, url: str, data: dict[str, str] | None = None, moment: datetime = NOW) -> Any:
    with at(moment):
        return client.get(url, data or {})


class DashboardPage(HTMLParser):
    """The page as a person reads it: each section's table rows, its links, and the figures on top."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: dict[str, list[tuple[str, str]]] = {}
        self.figures: dict[str, str] = {}
        self._section = ""
        self._in_body = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._empty_row = False
        self._link: tuple[str, list[str]] | None = None
        self._figure: dict[str, list[str]] | None = None
        self._figure_part = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "section" and (attributes.get("aria-labelledby") or "").startswith("t-"):
            self._section = (attributes["aria-labelledby"] or "")[2:]
            self.tables[self._section] = []
        elif tag == "tbody" and self._section:
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._row, self._empty_row = [], False
        elif tag == "td" and self._row is not None:
            self._cell = []
            self._empty_row = self._empty_row or "empty" in classes
        elif tag == "a":
            self._link = (attributes.get("href") or "", [])
        elif tag == "div" and "figure" in classes:
            self._figure = {"value": [], "label": []}
        elif tag == "span" and self._figure is not None and classes and classes[0] in ("value", "label"):
            self._figure_part = classes[0]

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._section = ""
        elif tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if not self._empty_row:
                self.tables[self._section].append(self._row)
            self._row = None
        elif tag == "a" and self._link is not None:
            href, text = self._link
            self.links.setdefault(self._section or "top", []).append((" ".join("".join(text).split()), href))
            self._link = None
        elif tag == "span":
            self._figure_part = ""
        elif tag == "div" and self._figure is not None:
            label = " ".join("".join(self._figure["label"]).split())
            self.figures[label] = "".join(self._figure["value"]).strip()
            self._figure = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._link is not None:
            self._link[1].append(data)
        if self._figure is not None and self._figure_part:
            self._figure[self._figure_part].append(data)


def page_of(response: HttpResponse) -> DashboardPage:
    assert response.status_code == 200
    return DashboardPage(response.content.decode())


def csv_rows(response: StreamingHttpResponse) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))
