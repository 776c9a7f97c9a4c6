"""Load scenario (issue 7 item 8): residents reading the portal, community staff at work, and district
bodies pulling reports, all at once against one gunicorn on loopback with the demo data.

Run by ``bench/load.py`` (``make load``), which seeds the data, starts gunicorn and passes
``LOAD_API_KEY``. Every site is reached on 127.0.0.1 with its ``Host`` header (``yincheng.localhost``
…), as nginx would pass it. Any answer other than the expected status counts as a failure.
"""

from __future__ import annotations

import os
import random
import re

from locust import HttpUser, between, task

BASE = os.environ.get("LOAD_BASE_DOMAIN", "localhost")
COMMUNITIES = os.environ.get("LOAD_COMMUNITIES", "yincheng,yinnan,yinbei,yinxin").split(",")
PASSWORD = os.environ.get("LOAD_PASSWORD", "Gongkai@2026")
SEARCH_WORDS = ["低保", "财务", "路灯", "公开", "2026", "补助", "党员"]
DETAIL_LINK = re.compile(r'href="/disclosures/(\d+)/"')
STAFF_DETAIL_LINK = re.compile(r'href="/workspace/disclosures/(\d+)/"')


class Resident(HttpUser):
    """A resident on a phone: the community's home page, the list, a search, a disclosure."""

    weight = 6
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.site = {"Host": f"{random.choice(COMMUNITIES)}.{BASE}"}
        self.ids: list[str] = []

    @task(3)
    def home(self) -> None:
        self.client.get("/", headers=self.site, name="portal: home")

    @task(3)
    def browse(self) -> None:
        page = self.client.get("/disclosures/", headers=self.site, name="portal: list")
        self.ids = DETAIL_LINK.findall(page.text) or self.ids

    @task(2)
    def search(self) -> None:
        self.client.get(
            "/disclosures/",
            params={"q": random.choice(SEARCH_WORDS)},
            headers=self.site,
            name="portal: search",
        )

    @task(4)
    def read(self) -> None:
        if not self.ids:
            self.browse()
        if self.ids:
            self.client.get(
                f"/disclosures/{random.choice(self.ids)}/", headers=self.site, name="portal: detail"
            )


class Staff(HttpUser):
    """A community clerk: logs in once, then the workspace, the disclosure list, one disclosure and
    the editor (GET only: the load run changes no data)."""

    weight = 3
    wait_time = between(2, 5)

    def on_start(self) -> None:
        code = random.choice(COMMUNITIES)
        self.site = {"Host": f"{code}.{BASE}"}
        self.ids: list[str] = []
        self.client.get("/accounts/login/", headers=self.site, name="staff: login page")
        response = self.client.post(
            "/accounts/login/",
            data={
                "username": f"{code}_{random.choice(['handler', 'secretary', 'director'])}",
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            headers=self.site,
            name="staff: log in",
            allow_redirects=False,
            catch_response=True,
        )
        with response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")

    @task(3)
    def workspace(self) -> None:
        self.client.get("/workspace/", headers=self.site, name="staff: workspace")

    @task(3)
    def disclosures(self) -> None:
        page = self.client.get("/workspace/disclosures/", headers=self.site, name="staff: disclosure list")
        self.ids = STAFF_DETAIL_LINK.findall(page.text) or self.ids

    @task(2)
    def detail(self) -> None:
        if not self.ids:
            self.disclosures()
        if self.ids:
            self.client.get(
                f"/workspace/disclosures/{random.choice(self.ids)}/",
                headers=self.site,
                name="staff: disclosure",
            )

    @task(2)
    def editor(self) -> None:
        self.client.get("/workspace/disclosures/new/", headers=self.site, name="staff: editor")


class District(HttpUser):
    """A district body's system pulling reports with its Bearer key."""

    weight = 1
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.headers = {"Host": BASE, "Authorization": f"Bearer {os.environ['LOAD_API_KEY']}"}

    @task(2)
    def communities(self) -> None:
        self.client.get("/api/v1/communities/", headers=self.headers, name="api: communities")

    @task(2)
    def compliance(self) -> None:
        self.client.get(
            "/api/v1/compliance/",
            params={"period_kind": "month", "period": "2026-10"},
            headers=self.headers,
            name="api: compliance",
        )

    @task(1)
    def street_offices(self) -> None:
        self.client.get("/api/v1/street-offices/", headers=self.headers, name="api: street offices")
