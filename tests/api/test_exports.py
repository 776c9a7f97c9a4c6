"""Exports equal the JSON, are streamed and safe in a spreadsheet; conditional requests get a 304."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest
from django.db.models import F
from django.http import StreamingHttpResponse
from openpyxl import load_workbook

from api.models import ApiRequestLog
from inspection.models import Rectification
from tests.api.support import api
from tests.factories import FORMULA

pytestmark = pytest.mark.django_db

REPORTS = [
    "/api/v1/street-offices/",
    "/api/v1/communities/",
    "/api/v1/compliance/",
    "/api/v1/assessments/",
    "/api/v1/spot-checks/",
    "/api/v1/surveys/",
    "/api/v1/rectifications/",
    "/api/v1/evaluations/",
    "/api/v1/disclosures/?community=yincheng",
    "/api/v1/ledger-heads/",
    "/api/v1/ledger-heads/yincheng/anchors/",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def with_query(url: str, query: str) -> str:
    return url + ("&" if "?" in url else "?") + query


def neutral(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def as_csv(value: object) -> str:
    """How a JSON value reads in the CSV: text as it is (neutralised), the rest as JSON, null empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutral(value)
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False)


def as_xlsx(value: object) -> object:
    if value is None or value == "":
        return None
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return neutral(value)
    return json.dumps(value, ensure_ascii=False)


def json_rows(client, url: str) -> list[dict]:
    return client.get(with_query(url, "page_size=1000")).json()["results"]


def body(response) -> bytes:
    assert isinstance(response, StreamingHttpResponse)  # nothing is built in memory before it is sent
    return b"".join(response.streaming_content)  # type: ignore[arg-type]  # a sync response: never an async iterator


@pytest.mark.parametrize("url", REPORTS)
def test_csv_equals_the_json_with_chinese_headers_and_a_bom(world, reports, yinzhou_key, url):
    client = api(yinzhou_key)
    expected = json_rows(client, url)
    assert expected
    response = client.get(with_query(url, "format=csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('.csv"')
    raw = body(response)
    assert raw.startswith("\ufeff".encode())
    header, *lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(header) == len(expected[0])
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in name) for name in header), header
    assert lines == [[as_csv(v) for v in row.values()] for row in expected]


@pytest.mark.parametrize("url", REPORTS)
def test_xlsx_equals_the_json(world, reports, yinzhou_key, url):
    client = api(yinzhou_key)
    expected = json_rows(client, url)
    response = client.get(with_query(url, "format=xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(body(response))).active
    header, *lines = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert len(header) == len(expected[0]) and header[0]
    assert [[as_xlsx(v) for v in line] for line in lines] == [
        [as_xlsx(v) for v in row.values()] for row in expected
    ]


def test_spreadsheet_formulas_are_neutralised(world, reports, yinzhou_key):
    client = api(yinzhou_key)

    def column(url: str, header: str) -> list[str]:
        table = list(csv.reader(io.StringIO(body(client.get(url)).decode("utf-8-sig"))))
        at = table[0].index(header)
        return [row[at] for row in table[1:]]

    titles = column("/api/v1/disclosures/?community=yincheng&format=csv", "标题")
    assert "'" + FORMULA in titles and FORMULA not in titles
    assert column("/api/v1/rectifications/?format=csv", "问题") == ["'-满意率低于 90%"]

    book = load_workbook(io.BytesIO(body(client.get("/api/v1/spot-checks/?format=xlsx"))))
    cells = [c for row in book.active.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" and c.value == "'" + FORMULA for c in cells)


def test_filters_apply_to_exports(world, reports, yinzhou_key):
    text = body(api(yinzhou_key).get("/api/v1/compliance/?format=csv&community=dongfeng")).decode("utf-8-sig")
    assert text.count("\n") == 1  # another street office's community: the header and nothing else


def test_an_export_error_is_still_a_problem_document(world, yinzhou_key):
    response = api(yinzhou_key).get("/api/v1/disclosures/?format=csv&period=2026Q5")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "period" in response.json()["errors"]


# --- conditional requests ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", [*REPORTS, "/api/v1/communities/yincheng/"])
def test_a_conditional_request_for_an_unchanged_answer_gets_304(world, reports, yinzhou_key, url):
    client = api(yinzhou_key)
    first = client.get(url)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert "Authorization" in first["Vary"]
    again = api(yinzhou_key, HTTP_IF_NONE_MATCH=etag).get(url)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert api(yinzhou_key, HTTP_IF_MODIFIED_SINCE=last_modified).get(url).status_code == 304
    assert api(yinzhou_key, HTTP_IF_NONE_MATCH='"something-else"').get(url).status_code == 200


def test_a_change_ends_the_304_and_another_client_never_shares_the_etag(
    world, reports, yinzhou_key, dongguan_key
):
    url = "/api/v1/rectifications/"
    first = api(yinzhou_key).get(url)
    Rectification.objects.filter(pk=reports.rectification.pk).update(
        status="closed", updated_at=F("updated_at") + timedelta(seconds=5)
    )
    changed = api(yinzhou_key, HTTP_IF_NONE_MATCH=first["ETag"]).get(url)
    assert changed.status_code == 200 and changed.json()["results"][0]["status"] == "closed"
    assert api(yinzhou_key, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).get(url).status_code == 200
    other = api(dongguan_key, HTTP_IF_NONE_MATCH=changed["ETag"]).get(url)
    assert other.status_code == 200  # its own, different answer


def test_an_export_answers_if_modified_since(world, reports, yinzhou_key):
    url = "/api/v1/evaluations/?format=xlsx"
    first = api(yinzhou_key).get(url)
    assert first.status_code == 200 and first["Last-Modified"]
    assert api(yinzhou_key, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).get(url).status_code == 304
    assert ApiRequestLog.objects.filter(endpoint=url, status=304).count() == 1
