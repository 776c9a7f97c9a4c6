"""The OpenAPI document and the docs page (assets served by the app), and Schemathesis against the
live WSGI app: no 5xx and no answer that breaks the document."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api import services
from api.models import ApiClient
from tests.api.support import api
from tests.factories import reports_build

pytestmark = pytest.mark.django_db
EXAMPLES = 12
# Forbidden input must be refused (negative_data_rejection is on: an empty value, a date that is not
# YYYY-MM-DD, a boolean other than true/false, a value out of range are each a 400). Allowed input is not
# promised a 200: the document cannot say which cursors the server issued, nor that a working-day
# result past 2199 is refused. Every answer is still checked: no 5xx, documented status, content type,
# headers and body.
EXCLUDED = [positive_data_acceptance]

RESOURCES = [
    "street-offices",
    "communities",
    "compliance",
    "assessments",
    "spot-checks",
    "surveys",
    "rectifications",
    "evaluations",
    "disclosures",
    "ledger-heads",
]


def test_the_openapi_document_describes_every_resource_in_chinese_and_english(world):
    response = api(None).get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    assert "区级单位" in doc["info"]["description"] and "district bodies" in doc["info"]["description"]
    assert doc["components"]["securitySchemes"]["districtKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "区级接口密钥,形如 gk_… / district API key (gk_…)",
    }
    for name in RESOURCES:
        operation = doc["paths"][f"/api/v1/{name}/"]["get"]
        assert re.search(r"[\u4e00-\u9fff].* / [A-Za-z]", operation["summary"]), operation["summary"]
        assert operation["responses"]["200"]["content"]["application/json"]["examples"], name
        for status in ("304", "400", "401", "404", "429"):
            assert status in operation["responses"], (name, status)
        assert "application/problem+json" in operation["responses"]["401"]["content"]
        bad = operation["responses"]["400"]["content"]["application/problem+json"]["examples"]
        assert {"unparsable", "empty", "unknown", "nul"} <= set(bad), name  # each kind of 400 shown
        assert "%00" in operation["responses"]["400"]["description"]
        assert {"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} <= set(
            operation["responses"]["200"]["content"]
        )
        formats = [p for p in operation["parameters"] if p["name"] == "format"]
        assert len(formats) == 1 and formats[0]["schema"]["enum"] == ["json", "csv", "xlsx"]

    def parameter(path: str, name: str) -> Any:
        return next(p for p in doc["paths"][path]["get"]["parameters"] if p["name"] == name)

    # the list reads every community of the key without it; one row is read in its community's schema
    assert parameter("/api/v1/disclosures/", "community").get("required", False) is False
    assert parameter("/api/v1/disclosures/{id}/", "community")["required"] is True
    assert parameter("/api/v1/disclosures/", "published_after")["schema"]["format"] == "date"


def test_the_docs_page_loads_only_what_the_app_serves(world):
    client = api(None)
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>" not in html  # no inline script: the page keeps working under the CSP
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(refs) >= 4
    for ref in refs:
        parts = urlsplit(ref.replace("&amp;", "&"))
        assert not parts.scheme and not parts.netloc, ref  # same host, no CDN
        asset = client.get(ref.replace("&amp;", "&"))
        assert asset.status_code == 200, ref
        content = b"".join(asset.streaming_content) if asset.streaming else asset.content  # type: ignore[attr-defined]  # test client response stub
        assert content
    init = client.get("/api/v1/docs/?script=").content.decode()
    assert "/api/v1/schema/" in init and "http://" not in init and "https://" not in init


# --- Schemathesis -----------------------------------------------------------------------------------


@pytest.fixture
def district_key(world) -> str:
    reports_build(world)
    client, key = services.apiclient_create(name="契约测试", street_offices=[world.yinzhou])
    ApiClient.objects.filter(pk=client.pk).update(rate_per_minute=1_000_000)
    return key


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """The real WSGI app in this process, inside the test's transaction: like Django's test client,
    it must not close the database connection at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_api_keeps_its_documented_contract(district_key, wsgi_app):
    """Every operation, with data the document allows (positive) and data it forbids (negative): no
    5xx, every status, content type, header and body as documented, forbidden input refused.

    Schemathesis's pytest plugin does not run under pytest 9 (it reads a private node attribute), so
    the operations are driven through its Python API: one Hypothesis run per operation and mode.
    """
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    headers = {"Authorization": f"Bearer {district_key}"}
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()  # an operation the document cannot describe
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case):  # type: ignore[no-untyped-def]
                case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)

            try:
                check()
            except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failures
                failures.append(f"{operation.label} [{mode.value}]\n{exc}")
    assert operations >= 20
    assert not failures, "\n\n".join(failures)
