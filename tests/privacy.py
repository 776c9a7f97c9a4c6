"""The privacy scanner: what no public answer may contain, and every public answer to look in.

``leaks`` finds full 18-digit identity numbers, mainland mobile numbers that are not published on
purpose, and secret words (full names of relief households, a party-internal item before its public
day) in what a person can read of an answer (``readable``: HTML, JSON, CSV, the text of a PDF, the
cells of an XLSX). The patterns are written here, not imported: a bug in the product's masking must
not hide itself.

The routes come from the URLconfs and the API router themselves (``public_routes``,
``api_resources``), so a page or a resource added later is scanned too, or makes the scan ask how to
fill its parameters.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.viewsets import GenericViewSet

from api.models import ApiClient
from api.views import NotFoundView
from disclosure.choices import Category
from inspection.models import ComplianceSummary
from standards.models import LedgerAnchor

# 18 characters: region (6), birth date 18xx–20xx, sequence (3), check digit; not inside a longer
# run of digits or letters (hashes are shown in groups of eight, so they never match).
IDENTITY = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
# 11 digits from 13–19, with or without spaces or dashes between the groups
MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d(?:[ \-]?\d{4}){2}(?![0-9A-Za-z])")
# Where a public page may be reached from; everything else is staff-only or a form that only posts.
STAFF_OR_POST_ONLY = ("workspace/", "accounts/", "i18n/", "admin/")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT_TYPES = ("text/", "application/json", "application/problem+json", "application/vnd.oai.openapi")


@dataclass
class Secrets:
    """What the scan must never find, and the numbers that are public on purpose."""

    words: set[str] = field(default_factory=set)  # full names, party-internal title and body
    allowed_mobiles: set[str] = field(default_factory=set)  # cadres' published work numbers

    def __or__(self, other: Secrets) -> Secrets:
        return Secrets(self.words | other.words, self.allowed_mobiles | other.allowed_mobiles)


def leaks(text: str, secrets: Secrets) -> list[str]:
    found = [f"identity number {m.group()}" for m in IDENTITY.finditer(text)]
    for match in MOBILE.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if digits not in secrets.allowed_mobiles:
            found.append(f"mobile number {match.group()}")
    found += [f"hidden text “{word}”" for word in sorted(secrets.words) if word in text]
    return found


def readable(response: Any) -> str:
    """What a person could read in the response: a PDF's text, a workbook's cells, or the body as
    text (JSON with its escapes undone, so ``\\u738b`` is searched as 王)."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("application/pdf"):
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if content_type.startswith(XLSX):
        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            "\t".join("" if cell is None else str(cell) for cell in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if not content_type.startswith(TEXT_TYPES):
        return ""  # images and other files: the rules for them are checked by the portal's own tests
    text = body.decode("utf-8", errors="replace")
    if "json" in content_type:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return text


@dataclass
class Scan:
    """What a scan read and what it found."""

    secrets: Secrets
    read: int = 0  # answers with something a person can read
    problems: list[str] = field(default_factory=list)

    def look(self, url: str, response: HttpResponseBase) -> str:
        text = readable(response)
        self.read += bool(text)
        self.problems += [f"{url}: {leak}" for leak in leaks(text, self.secrets)]
        return text


# --- the sites: every anonymous page ----------------------------------------------------------------


def _scanned_elsewhere(entry: URLPattern) -> bool:
    """The API's resources are read with a district key (``scan_api``); its catch-alls answer every
    other path with the same 404 problem."""
    callback = entry.callback
    return hasattr(callback, "actions") or getattr(callback, "view_class", None) is NotFoundView


def public_routes(conf: str = "config.urls_tenant") -> list[str]:
    """Every route of a site that a visitor without an account may open, as Django's route syntax
    (``disclosures/<int:pk>/``), from the URLconf itself."""
    routes: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLPattern) and _scanned_elsewhere(entry):
                continue
            if isinstance(entry.pattern, RegexPattern) and not isinstance(entry.pattern, RoutePattern):
                pytest.fail(f"the privacy scan cannot read the regex route {prefix}{entry.pattern}: add it")
            route = prefix + str(entry.pattern)
            if route.startswith(STAFF_OR_POST_ONLY):
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                routes.append(route)

    walk(get_resolver(conf).url_patterns, "")
    return routes


def fill(route: str, values: Mapping[str, list[str]]) -> list[str]:
    """Every concrete path of ``route`` with the parameter values at hand."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    for name in names:
        if name not in values:
            pytest.fail(
                f"the privacy scan does not know what to put for <{name}> in /{route}: add it to its values"
            )
    paths = ["/" + route]
    for name in names:
        paths = [
            re.sub(rf"<(?:\w+:)?{name}>", value, path, count=1) for path in paths for value in values[name]
        ]
    return paths


def variants(path: str, pks: list[str], hashes: Mapping[str, list[str]]) -> list[str]:
    """The addresses a visitor reaches with the query strings the pages themselves link to;
    ``hashes`` are what is typed into each disclosure's verification form."""
    extra: list[dict[str, str]] = []
    verify = re.fullmatch(r"/disclosures/(\d+)/verify/", path)
    if path == "/disclosures/":
        extra = [{"category": c} for c in Category.values]
    elif path.endswith("/notice.pdf"):
        extra = [{"size": "A3"}]
    elif verify:
        extra = [{"hash": h} for h in hashes.get(verify[1], [])]
    elif path == "/feedback/":
        extra = [{"disclosure": pk} for pk in pks]
    elif path == "/screen/":
        extra = [{"slide": "1"}, {"slide": "2"}]
    elif path.endswith("/calendar/working-days"):
        extra = [{"start": timezone.localdate().isoformat(), "days": "5"}]
    return [path] + [f"{path}?{urlencode(params)}" for params in extra]


def scan_site(
    client: Client,
    scan: Scan,
    *,
    conf: str = "config.urls_tenant",
    values: Mapping[str, list[str]],
    hashes: Mapping[str, list[str]],
) -> list[str]:
    """Every anonymous page of one site, each with its variants; returns the routes it read."""
    routes = public_routes(conf)
    for route in routes:
        for path in fill(route, values):
            for url in variants(path, values.get("pk", []), hashes):
                response = client.get(url)
                # the health check says 503 when no Celery worker answers, as it should
                assert response.status_code < 500 or url == "/healthz", (
                    f"{url} answered {response.status_code}"
                )
                scan.look(url, response)
    return routes


# --- the district API: every resource, page, row and export -----------------------------------------

API_CONF = "config.urls_public"
EXPORTS = ("csv", "xlsx")
# Resources listed across communities and also one community at a time (its content only then).
PER_COMMUNITY = {"disclosure"}


@dataclass(frozen=True)
class Resource:
    basename: str
    list_name: str  # the URL name, ``api:disclosure-list``
    params: tuple[str, ...]  # path parameters of the list route
    viewset: type[GenericViewSet]

    @property
    def required(self) -> list[str]:
        """Query parameters the resource refuses to answer without (``?community=``)."""
        filters = self.viewset.filterset_class.base_filters  # type: ignore[attr-defined]
        return [name for name, f in filters.items() if f.extra.get("required")]


def api_resources(conf: str = API_CONF) -> list[Resource]:
    """Every list route of the district API, read from the URLconf (the router's routes included)."""
    found: list[Resource] = []

    def walk(patterns: list[Any], namespace: str, params: tuple[str, ...]) -> None:
        for entry in patterns:
            own = tuple(entry.pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, ns, params + own)
            elif getattr(entry.callback, "actions", {}).get("get") == "list":
                basename = entry.name.removesuffix("-list")
                found.append(Resource(basename, namespace + entry.name, params + own, entry.callback.cls))

    walk(get_resolver(conf).url_patterns, "", ())
    return found


def _product(
    names: list[str] | tuple[str, ...], values: Mapping[str, list[str]], where: str
) -> Iterator[dict[str, str]]:
    for name in names:
        if name not in values:
            pytest.fail(
                f"the privacy scan does not know what to put for {name} in {where}: add it to its values"
            )
    for combo in itertools.product(*(values[name] for name in names)):
        yield dict(zip(names, combo, strict=True))


# Resources whose rows do not carry the key of their own detail route (the summary tables leave their
# ids out): the keys of the rows in scope, from the database.
DETAIL_KEYS: dict[str, Callable[[dict[str, str], Mapping[str, list[str]]], QuerySet[Any]]] = {
    "compliance": lambda kwargs, values: ComplianceSummary.objects.filter(
        community__schema_name__in=values["community"]
    ).values_list("pk", flat=True),
    "ledger-anchor": lambda kwargs, values: LedgerAnchor.objects.filter(
        community__schema_name=kwargs["code"]
    ).values_list("pk", flat=True),
}


def _detail_keys(
    resource: Resource, rows: list[dict[str, Any]], kwargs: dict[str, str], values: Mapping[str, list[str]]
) -> list[str]:
    lookup = resource.viewset.lookup_field
    fields = resource.viewset.serializer_class().fields
    column = (
        "id"
        if lookup == "pk"
        else next((name for name, f in fields.items() if name == lookup or f.source == lookup), None)
    )
    if column is not None and column in fields:
        return [str(row[column]) for row in rows]
    if resource.basename in DETAIL_KEYS:
        keys = [str(key) for key in DETAIL_KEYS[resource.basename](kwargs, values)]
        assert len(keys) == len(rows), (
            f"{resource.list_name} listed {len(rows)} rows, the database {len(keys)}"
        )
        return keys
    pytest.fail(f"rows of {resource.list_name} do not say which detail to open: add it to DETAIL_KEYS")


def district_client(key: str) -> Client:
    """The district API as a body pulling everything at once: the clients' rate limit raised (an
    admin's setting), so a scan of hundreds of requests is not cut off by 429s."""
    ApiClient.objects.update(rate_per_minute=1_000_000)
    return Client(HTTP_HOST=settings.BASE_DOMAIN, HTTP_AUTHORIZATION=f"Bearer {key}")


def scan_api(
    client: Client, scan: Scan, *, values: Mapping[str, list[str]], page_size: int = 25
) -> dict[str, int]:
    """Every list of every resource page by page (following ``next``), as CSV and XLSX, and every row's
    detail in all three formats; returns how many rows each resource listed."""
    rows_of: dict[str, int] = {}
    for resource in api_resources():
        rows_of[resource.basename] = 0
        detail_name = resource.list_name.removesuffix("-list") + "-detail"
        lookup_kwarg = resource.viewset.lookup_url_kwarg or resource.viewset.lookup_field
        for kwargs in _product(resource.params, values, resource.list_name):
            path = reverse(resource.list_name, urlconf=API_CONF, kwargs=kwargs)
            queries = list(_product(resource.required, values, resource.list_name))
            if resource.basename in PER_COMMUNITY:
                queries += [{"community": code} for code in values["community"]]
            for query in queries:
                rows: list[dict[str, Any]] = []
                url: str | None = f"{path}?{urlencode({**query, 'page_size': page_size})}"
                while url:
                    response = client.get(url)
                    assert response.status_code == 200, f"{url} answered {response.status_code}"
                    scan.look(url, response)
                    rows += response.json()["results"]
                    url = response.json()["next"]
                for fmt in EXPORTS:
                    url = f"{path}?{urlencode({**query, 'format': fmt})}"
                    response = client.get(url)
                    assert response.status_code == 200, f"{url} answered {response.status_code}"
                    scan.look(url, response)
                rows_of[resource.basename] += len(rows)
                if rows and all("url" in row for row in rows):  # each row says where it is read
                    details = [row["url"] for row in rows]
                else:
                    details = [
                        reverse(detail_name, urlconf=API_CONF, kwargs={**kwargs, lookup_kwarg: key})
                        + "?"
                        + urlencode(query)
                        for key in _detail_keys(resource, rows, kwargs, values)
                    ]
                for detail in details:
                    for fmt in ("json", *EXPORTS):
                        url = f"{detail}{'&' if '?' in detail else '?'}{urlencode({'format': fmt})}"
                        response = client.get(url)
                        assert response.status_code == 200, f"{url} answered {response.status_code}"
                        scan.look(url, response)
    return rows_of
