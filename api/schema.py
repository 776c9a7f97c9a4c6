"""The OpenAPI 3 document of the district API (drf-spectacular): descriptions and examples in Chinese
and English, the Bearer key scheme, and the parts every report resource shares — RFC 9457 problems,
``?format=csv|xlsx``, conditional requests — added once by ``postprocess_problems``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view

DESCRIPTION = """\
区纪委、组织部、监察局、民政局等区级单位用来拉取街道和社区党务居务公开报表的只读接口。
Read-only reports on party-affairs and residents'-affairs disclosure, for district bodies.

**认证 / Authentication** — 每个请求带 `Authorization: Bearer <密钥>`。密钥由街道管理员用
`manage.py apiclient_create` 创建,只显示一次;只能查询密钥所属的街道。
Send `Authorization: Bearer <key>`; a key sees only its own street offices.

**分页 / Paging** — 游标分页:跟随 `next` 链接,`page_size` 最大 1000。
Cursor paging: follow `next`; `page_size` up to 1000.

**过滤 / Filters** — 见各接口的查询参数,如 `?community=yincheng&period_kind=month`。
See each resource's query parameters.

**条件请求 / Conditional requests** — 回答带 `ETag` 和 `Last-Modified`;下次带 `If-None-Match`
或 `If-Modified-Since`,未变化时得到 304,无正文。
Answers carry `ETag` and `Last-Modified`; send `If-None-Match` or `If-Modified-Since` to get a 304.

**导出 / Exports** — 每个报表加 `?format=csv` 或 `?format=xlsx` 即得到全部符合条件的行(不分页,
流式输出),表头为中文;CSV 为带 BOM 的 UTF-8,可直接用 Excel 打开。
Add `?format=csv` or `?format=xlsx` for every matching row (not paged, streamed), Chinese headers.

**错误 / Errors** — 所有错误都是 RFC 9457 problem details(`application/problem+json`),
`detail` 为中文说明,`errors` 按字段列出。查询参数从严:无法解析的值、空值(如 `?due_before=`)、
重复的参数、接口不支持的参数(`errors` 逐个列出)和空字符(`%00`)都得到 400,不会被悄悄忽略。
Every error is an RFC 9457 problem (`application/problem+json`). The query is read strictly: a value
that does not parse, an empty value, a repeated parameter, a parameter the operation does not take
(each listed in `errors`) and a NUL character (`%00`) are a 400, never silently ignored.

**频率限制 / Rate limit** — 超出每分钟上限时返回 429,`Retry-After` 给出等待秒数。
Over the per-minute limit: 429 with `Retry-After`.
"""


class BearerKeyScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "api.authentication.BearerKeyAuthentication"
    name = "districtKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "区级接口密钥,形如 gk_… / district API key (gk_…)",
        }


# name: (Chinese summary, English summary, description, one row as an example)
RESOURCES: dict[str, tuple[str, str, str, dict[str, Any]]] = {
    "street-offices": (
        "可查询的街道",
        "Street offices of this key",
        "密钥可以查询的街道。 The street offices this key may read.",
        {"code": "yinzhou", "name": "银州镇办事处", "district": "示范县"},
    ),
    "communities": (
        "社区及本年度公开合规",
        "Communities with this year's compliance",
        "各社区及其本年度的公开合规汇总(来自街道汇总表)。 Communities with this year's compliance summary.",
        {
            "code": "yincheng",
            "name": "银城社区",
            "street_office": "yinzhou",
            "address": "银州镇银城路 1 号",
            "is_active": True,
            "compliance": None,
        },
    ),
    "compliance": (
        "公开合规(按月、季、年)",
        "Compliance per community per period",
        "每个社区每个周期的到期、按时、逾期、未公开等数字及按时公开率。"
        " Obligations due, on time, late, overdue and the on-time rate per community and period.",
        {
            "community": "yincheng",
            "period_kind": "month",
            "period": "2026-10",
            "start": "2026-10-01",
            "end": "2026-10-31",
            "due": 12,
            "on_time": 11,
            "late": 1,
            "overdue": 0,
            "on_time_rate": 91.7,
            "computed_on": "2026-11-02",
        },
    ),
    "assessments": (
        "定期考核(已审定)",
        "Regular assessments (approved)",
        "已审定的定期考核:社区自评分、考核组评分及逐项得分。"
        " Approved regular assessments with the self-assessment and the team's score per item.",
        {
            "id": 7,
            "community": "yincheng",
            "period": "2026年度",
            "template": "党务居务公开考核评分标准",
            "template_version": 1,
            "status": "approved",
            "self_total": 98.0,
            "inspector_total": 95.0,
            "critical_failed": False,
            "has_self_report": True,
            "approved_at": "2026-12-20T10:00:00+08:00",
            "scores": [
                {
                    "section": "公开及时",
                    "code": "C1",
                    "title": "按规定时限公开",
                    "max_score": 15.0,
                    "critical": False,
                    "self_score": 15.0,
                    "inspector_score": 10.0,
                    "note": "8月事务公开逾期",
                }
            ],
        },
    ),
    "spot-checks": (
        "暗访(已完成)",
        "Spot checks (completed only)",
        "已完成的暗访;尚未进行的暗访不会出现。 Completed unannounced checks; planned ones never appear.",
        {
            "id": 3,
            "community": "yinnan",
            "period": "2026-11",
            "visited_at": "2026-11-12T09:30:00+08:00",
            "board_current": True,
            "display_window_kept": False,
            "opinion_box": True,
            "findings": "公示期未满的财务公开已撤下",
            "score": 66.7,
        },
    ),
    "surveys": (
        "群众评议满意率",
        "Satisfaction surveys",
        "已计票的群众评议及满意率;投票码和选票不对外提供。"
        " Counted surveys and their satisfaction rate; voting codes and ballots never leave.",
        {
            "id": 4,
            "community": "yincheng",
            "period": "2026年度",
            "title": "银城社区2026年度党务居务公开群众满意度测评",
            "votes_cast": 120,
            "satisfied": 100,
            "basic": 12,
            "unsatisfied": 8,
            "satisfaction_rate": 93.33,
            "closed_at": "2026-12-01T16:00:00+08:00",
        },
    ),
    "rectifications": (
        "整改通知",
        "Rectification orders",
        "整改通知及其来源、状态、期限、问责环节(escalation_step)和诫勉谈话人次。"
        " Rectification orders: source, state, deadline and how far up the escalation ladder they went.",
        {
            "id": 9,
            "community": "yinnan",
            "street_office": "yinzhou",
            "source": "spot_check",
            "issues": "公示期未满的内容已撤下",
            "responsible_roles": ["secretary", "director"],
            "due_date": "2026-11-26",
            "due_provisional": False,
            "status": "open",
            "answer": "",
            "answered_at": None,
            "closed_at": None,
            "escalated_at": None,
            "escalation_step": "ordered",
            "admonishments": 0,
            "created_at": "2026-11-12T10:00:00+08:00",
        },
    ),
    "evaluations": (
        "综合评价(已审定公布)",
        "Composite evaluations (approved)",
        "已审定公布的年度综合评价:四项得分、综合得分和排名。综合得分相同的社区名次相同(1、1、3),"
        "`tied` 为 true。"
        " Approved yearly evaluations: the four sources, the composite score and the rank. Equal"
        " composites share a rank (1, 1, 3) and carry `tied: true`.",
        {
            "id": 2,
            "community": "yincheng",
            "period": "2026",
            "assessment_score": 95.0,
            "spot_check_score": 100.0,
            "satisfaction_score": 93.33,
            "compliance_score": 91.7,
            "composite": 94.9,
            "rank": 1,
            "tied": False,
            "published_at": "2026-12-28T09:00:00+08:00",
        },
    ),
    "disclosures": (
        "已公开的内容",
        "Published disclosures",
        "各社区已经向居民公开的内容,与居民门户所见完全一致:救助名单姓名打码、不含身份证号,"
        "公示期满的救助名单不再提供内容。不带 `community` 时列出密钥范围内全部社区的公开内容(来自街道的"
        "公开内容索引,与公布在同一事务中写入),每行不含正文(`body`、`data`、`attachments` 为 null),"
        "按该行的 `url` 读取全文;带 `community` 时只读这个社区,含正文。`published_after=2026-11-01`"
        " 只列这一天及以后公布的,如“本月各社区公布了什么”。"
        " What the communities have published to their residents, exactly as their portals show it: relief"
        " rosters masked, withdrawn after their display period. Without `community`, every community in"
        " the key's scope, from the public index written with each publication; such rows carry no"
        " content (`body`, `data`, `attachments` are null): follow each row's `url`. With `community`,"
        " that community only, content included. `published_after` lists what was published on or after"
        " a day.",
        {
            "id": 12,
            "community": "yincheng",
            "category": "affairs",
            "content_type": "relief",
            "audience": "public",
            "title": "2026年10月城市低保名单公示",
            "body": "<p>经审核,以下家庭纳入城市低保。</p>",
            "data": {
                "programme": "城市最低生活保障",
                "households": [
                    {"name": "王*国", "age": 76, "household_size": 2, "hardship": "独居", "amount": "680.00"}
                ],
            },
            "withdrawn": False,
            "status": "published",
            "version": 1,
            "supersedes": None,
            "correction_reason": "",
            "channels": ["board", "web"],
            "published_at": "2026-11-05T10:00:00+08:00",
            "public_from": "2026-11-05",
            "display_until": "2026-11-15",
            "content_hash": "3f0c…",
            "attachments": [],
            "url": "https://gongkai.example.gov.cn/api/v1/disclosures/12/?community=yincheng",
        },
    ),
    "ledger-heads": (
        "台帐链头",
        "Ledger chain heads",
        "各社区台帐哈希链的当前链头(每写入一条,同一事务内登记到街道)和最近一次逐日锚点;"
        "逐日锚点见 `{code}/anchors/`。还没有台帐的社区各项为 null。"
        " Each community's live ledger head (recorded in the public schema by every append, in the"
        " append's own transaction) and its last daily checkpoint; the daily anchors under"
        " `{code}/anchors/`. Null for a community without a ledger yet.",
        {
            "code": "yincheng",
            "name": "银城社区",
            "street_office": "yinzhou",
            "head_seq": 422,
            "head_hash": "c47d…",
            "head_at": "2026-11-23T15:42:07+08:00",
            "checkpoint_day": "2026-11-23",
            "checkpoint_seq": 418,
            "checkpoint_hash": "9a1e…",
            "anchors": 327,
        },
    ),
    "ledger-anchors": (
        "台帐逐日锚点",
        "Daily ledger anchors",
        "一个社区每天在街道登记的台帐链头,可用来核对该社区的全部历史。"
        " One community's daily anchors, to verify its history against.",
        {"community": "yincheng", "day": "2026-11-23", "head_seq": 418, "head_hash": "9a1e…"},
    ),
}

V = TypeVar("V")
COMMUNITY_PATH = OpenApiParameter(
    "code", OpenApiTypes.STR, OpenApiParameter.PATH, description="社区代码 / community code"
)
COMMUNITY_QUERY = OpenApiParameter(
    "community",
    OpenApiTypes.STR,
    required=True,
    description="社区代码,如 yincheng(读单条时必填)/ community code (required for one row)",
)
YEAR = r"(19|20|21)[0-9]{2}"
PERIOD_SCHEMA = {"type": "string", "pattern": rf"^{YEAR}(-(0[1-9]|1[0-2])|Q[1-4])?$"}
# ``<name>_after`` / ``<name>_before`` of a date range filter: a real day, written YYYY-MM-DD.
DATE_SCHEMA = {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
# What the filters accept, where OpenAPI can say it (path fragment → parameter → schema).
PARAMETER_SCHEMAS: dict[tuple[str, str], dict[str, Any]] = {
    ("/disclosures/", "period"): PERIOD_SCHEMA,
    ("/compliance/", "period"): PERIOD_SCHEMA,
    ("/disclosures/", "community"): {"type": "string", "minLength": 1},
    ("/surveys/", "rate_below"): {"type": "number", "minimum": 0, "maximum": 100},
    ("/calendar/", "start"): {
        "type": "string",
        "format": "date",
        "pattern": rf"^{YEAR}-[0-9]{{2}}-[0-9]{{2}}$",
    },
}


def report_docs(name: str) -> Callable[[V], V]:
    """Summaries, descriptions and a bilingual example for one report resource."""
    zh, en, description, row = RESOURCES[name]
    example = OpenApiExample(f"{zh} / {en}", value=row, response_only=True, status_codes=["200"])
    listing = extend_schema(summary=f"{zh} / {en}", description=description, examples=[example], tags=[name])
    detail = extend_schema(
        summary=f"{zh}(单条)/ {en} (one)", description=description, examples=[example], tags=[name]
    )
    return cast("Callable[[V], V]", extend_schema_view(list=listing, retrieve=detail))


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details; `detail` in Chinese. 问题详情,`detail` 为中文说明。",
    "required": ["type", "title", "status", "detail", "errors"],
    "properties": {
        "type": {"type": "string", "example": "about:blank"},
        "title": {"type": "string", "example": "请求有误"},
        "status": {"type": "integer", "example": 400},
        "detail": {"type": "string", "example": "请求参数有误:所属期应写成 2026、2026Q3 或 2026-10。"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {"period": ["所属期应写成 2026、2026Q3 或 2026-10。"]},
        },
    },
}
ERRORS = {
    "400": "请求参数有误:值无法解析、为空或重复,参数不被此接口支持,或含空字符(%00)"
    " / invalid query: a value that does not parse, an empty or repeated parameter, a parameter this"
    " operation does not take, or a NUL character (%00)",
    "401": "缺少或无效的密钥,或密钥已吊销 / missing, wrong or revoked key",
    "404": "不存在或不在本密钥范围内 / not found or outside this key's scope",
    "406": "无法提供所要求的格式 / format not available",
    "429": "请求过于频繁,见 Retry-After / too many requests, see Retry-After",
}
FORMAT_PARAMETER = {
    "name": "format",
    "in": "query",
    "required": False,
    "description": "json(默认,分页)、csv 或 xlsx(全部行,流式)/ json (default, paged), csv or xlsx (all rows)",
    "schema": {"type": "string", "enum": ["json", "csv", "xlsx"]},
}
CONDITIONAL_PARAMETERS = [
    {
        "name": "If-None-Match",
        "in": "header",
        "required": False,
        "description": "上次回答的 ETag / the ETag of an earlier answer",
        "schema": {"type": "string"},
    },
    {
        "name": "If-Modified-Since",
        "in": "header",
        "required": False,
        "description": "上次回答的 Last-Modified / the Last-Modified of an earlier answer",
        "schema": {"type": "string"},
    },
]
CACHE_HEADERS = {
    "ETag": {"schema": {"type": "string"}, "description": "JSON 回答的哈希 / hash of the JSON answer"},
    "Last-Modified": {"schema": {"type": "string"}, "description": "最近一次变化 / newest change"},
}


def _bad_request(detail: str, errors: dict[str, list[str]]) -> dict[str, Any]:
    body = {"type": "about:blank", "title": "请求有误", "status": 400, "detail": detail, "errors": errors}
    return {"value": body}


# The kinds of 400 every operation can give, as examples of the one problem format.
BAD_REQUEST_EXAMPLES = {
    "unparsable": _bad_request(
        "请求参数有误:due_before 应写成 YYYY-MM-DD,且须是真实存在的日期,如 2026-10-01。",
        {"due_before": ["due_before 应写成 YYYY-MM-DD,且须是真实存在的日期,如 2026-10-01。"]},
    ),
    "empty": _bad_request(
        "请求参数有误:查询参数 visited_before 不能为空;不需要这个条件时请去掉它。",
        {"visited_before": ["查询参数 visited_before 不能为空;不需要这个条件时请去掉它。"]},
    ),
    "unknown": _bad_request(
        "请求参数有误:不支持查询参数 stauts;此接口可用的参数:……",
        {"stauts": ["不支持查询参数 stauts;此接口可用的参数:……"]},
    ),
    "nul": _bad_request("请求里有无法处理的空字符(%00),请检查链接或参数。", {}),
}


def _problem(description: str, examples: dict[str, Any] | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {"schema": {"$ref": "#/components/schemas/Problem"}}
    if examples:
        content["examples"] = examples
    return {"description": description, "content": {"application/problem+json": content}}


def postprocess_problems(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Add what every operation shares, so no view has to repeat it."""
    result["info"]["description"] = DESCRIPTION
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path, item in result["paths"].items():
        report = "/calendar/" not in path
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["name"].endswith(("_after", "_before")):
                    parameter["schema"] = DATE_SCHEMA
                for (fragment, name), schema in PARAMETER_SCHEMAS.items():
                    if fragment in path and parameter["name"] == name:
                        parameter["schema"] = schema
                query_string = parameter["schema"].get("type") == "string" and parameter["in"] == "query"
                if query_string and "enum" not in parameter["schema"]:
                    parameter["schema"] = {**parameter["schema"], "minLength": 1}  # empty is a 400
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                if status == "401" and not report:
                    continue
                examples = BAD_REQUEST_EXAMPLES if status == "400" else None
                responses.setdefault(status, _problem(description, examples))
            if not report:
                continue
            parameters = [p for p in operation.get("parameters", []) if p.get("name") != "format"]
            operation["parameters"] = [*parameters, FORMAT_PARAMETER, *CONDITIONAL_PARAMETERS]
            ok = responses.get("200", {})
            ok.setdefault("headers", {}).update(CACHE_HEADERS)
            ok.setdefault("content", {}).update(
                {
                    "text/csv": {"schema": {"type": "string"}},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                        "schema": {"type": "string", "format": "binary"}
                    },
                }
            )
            responses["304"] = {"description": "未变化 / not modified", "headers": CACHE_HEADERS}
    return result
