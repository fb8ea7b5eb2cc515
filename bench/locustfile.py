"""The load test: employees filing and following their requests, agents working their queues.

Started by bench/run.py, headless and time-bounded, against gunicorn on loopback:
    locust -f bench/locustfile.py --headless -u 220 -r 40 -t 60s --host http://127.0.0.1:8765
BENCH_SESSIONS names the JSON written by bench/sessions.py: signed-in session cookies,
so no password is hashed during the test. CSRF: the cookie's secret is sent back in the
X-CSRFToken header, as a browser's JavaScript would.
"""

from __future__ import annotations

import json
import os
import random
from itertools import count
from typing import Any

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["BENCH_SESSIONS"]) as file:
    SESSIONS: dict[str, Any] = json.load(file)
EMPLOYEES = [p for p in SESSIONS["people"] if p["role"] == "employee"]
AGENTS = [p for p in SESSIONS["people"] if p["role"] == "agent"]
FORM = SESSIONS["form"]
_turn = count()
STATUSES = ["", "new", "open", "waiting_requester", "waiting_third_party"]
WORDS = ["password", "blog", "proxy", "hacked", "draft", "LinkedIn", "engagement", "error"]


class SignedIn(FastHttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    people: list[dict[str, Any]] = []

    def on_start(self) -> None:
        self.person = self.people[next(_turn) % len(self.people)]
        self.headers = {
            "Cookie": f"sessionid={self.person['session']}; csrftoken={self.person['csrf']}",
            "X-CSRFToken": self.person["csrf"],
        }

    def page(self, path: str, name: str) -> None:
        self.client.get(path, headers=self.headers, name=name)

    def post(self, path: str, data: dict[str, Any], name: str) -> None:
        with self.client.post(
            path, data=data, headers=self.headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"expected a redirect, got {response.status_code}")


class Employee(SignedIn):
    weight = 3
    people = EMPLOYEES

    @task(2)
    def home(self) -> None:
        self.page("/", "portal home")

    @task(3)
    def my_requests(self) -> None:
        self.page("/requests/", "portal list")

    @task(3)
    def one_request(self) -> None:
        self.page(f"/requests/{random.choice(self.person['tickets'])}/", "portal ticket")

    @task(1)
    def new_form(self) -> None:
        self.page("/requests/new/", "portal new form")

    @task(1)
    def file(self) -> None:
        self.post(
            "/requests/new/",
            {
                "platform": random.choice(FORM["platforms"]),
                "problem_type": random.choice(FORM["problem_types"]),
                "company_account": "@acme",
                "subject": "Load test: the page will not load",
                "description": "Filed by the load test. The page shows an error since this morning.",
            },
            "portal file",
        )


class Agent(SignedIn):
    weight = 2
    people = AGENTS

    @task(3)
    def queue(self) -> None:
        self.page("/desk/", "desk list")

    @task(2)
    def filtered(self) -> None:
        status = random.choice(STATUSES)
        self.page(f"/desk/?queue={self.person['queue']}&status={status}", "desk list filtered")

    @task(1)
    def search(self) -> None:
        self.page(f"/desk/?q={random.choice(WORDS)}", "desk search")

    @task(3)
    def ticket(self) -> None:
        if self.person["tickets"]:
            self.page(f"/desk/tickets/{random.choice(self.person['tickets'])}/", "desk ticket")

    @task(1)
    def reply(self) -> None:
        if self.person["tickets"]:
            visibility = random.choice(["internal", "public"])
            self.post(
                f"/desk/tickets/{random.choice(self.person['tickets'])}/reply/",
                {
                    "visibility": visibility,
                    "body": "Load test: I checked the logs, looking further.",
                    "status": "",
                },
                f"desk reply ({visibility})",
            )
