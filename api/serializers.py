"""What the district API answers. Labels are the Chinese column headers of the CSV/XLSX exports.

Every serializer derives from ``ReportSerializer``: decimals are JSON numbers, and each field a model
adds (say a new figure on ``ComplianceSummary``) shows up without another edit here.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from disclosure.display import display_end
from disclosure.models import Disclosure
from disclosure.selectors import disclosure_public_content
from inspection.choices import EscalationStep
from inspection.models import (
    Assessment,
    AssessmentScore,
    ComplianceSummary,
    Evaluation,
    Rectification,
    SpotCheck,
    Survey,
)
from standards.models import LedgerAnchor
from tenants.models import Community, StreetOffice

NOT_SERIALIZED = ["id", "created_at", "updated_at"]


class ReportSerializer(serializers.ModelSerializer):
    """Decimals as numbers (rates, scores), not strings; every column header in Chinese."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        if "id" in fields:
            fields["id"].label = _("编号")
        return fields

    def build_standard_field(self, field_name: str, model_field: models.Field) -> tuple[type, dict[str, Any]]:
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if isinstance(model_field, models.DecimalField):
            kwargs["coerce_to_string"] = False
        return field_class, kwargs


def community_field() -> serializers.CharField:
    return serializers.CharField(source="community.schema_name", label=_("社区代码"), read_only=True)


class StreetOfficeSerializer(ReportSerializer):
    district = serializers.CharField(
        source="district.name", default=None, label=_("所属区县"), read_only=True
    )

    class Meta:
        model = StreetOffice
        fields = ["code", "name", "district"]


class ComplianceSerializer(ReportSerializer):
    """Every figure of the summary table, whatever figures it gains later."""

    community = community_field()
    feedback_satisfaction_rate = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        read_only=True,
        allow_null=True,
        label=_("好评率(%)"),
        help_text=_("居民对答复评价为满意或基本满意的比例;没有评价时为空"),
    )

    class Meta:
        model = ComplianceSummary
        exclude = NOT_SERIALIZED


class CommunitySerializer(ReportSerializer):
    code = serializers.CharField(source="schema_name", label=_("社区代码"))
    street_office = serializers.CharField(source="street_office.code", label=_("所属街道"))
    compliance = serializers.SerializerMethodField(label=_("本年度公开合规"))

    class Meta:
        model = Community
        fields = ["code", "name", "street_office", "address", "is_active", "compliance"]

    @extend_schema_field(ComplianceSerializer(allow_null=True))
    def get_compliance(self, community: Community) -> dict[str, Any] | None:
        """This year's figures, from the summary table (never from the community's schema). The rows
        are serialised together on first use: one serializer per community cost 2 ms each, 2 s for a
        page of 1,000 (bench/RESULTS.md)."""
        if "current_year_data" not in self.context:
            rows = list(self.context.get("current_year", {}).values())
            data = ComplianceSerializer(rows, many=True).data
            self.context["current_year_data"] = {
                row.community_id: d for row, d in zip(rows, data, strict=True)
            }
        return self.context["current_year_data"].get(community.pk)


class AssessmentScoreSerializer(ReportSerializer):
    section = serializers.CharField(source="item.section", label=_("考核项目"))
    code = serializers.CharField(source="item.code", label=_("编号"))
    title = serializers.CharField(source="item.title", label=_("考核内容"))
    max_score = serializers.DecimalField(
        source="item.max_score", max_digits=5, decimal_places=1, coerce_to_string=False, label=_("分值")
    )
    critical = serializers.BooleanField(source="item.critical", label=_("否决项"))

    class Meta:
        model = AssessmentScore
        fields = [
            "section",
            "code",
            "title",
            "max_score",
            "critical",
            "self_score",
            "inspector_score",
            "note",
        ]


class AssessmentSerializer(ReportSerializer):
    """An approved regular assessment: the community's self-assessment and the team's score per item."""

    community = community_field()
    template = serializers.CharField(source="template.name", label=_("评分标准"))
    template_version = serializers.IntegerField(source="template.version", label=_("评分标准版本"))
    has_self_report = serializers.SerializerMethodField(label=_("已交自查报告"))
    scores = AssessmentScoreSerializer(many=True, read_only=True, label=_("逐项得分"))

    class Meta:
        model = Assessment
        fields = [
            "id",
            "community",
            "period",
            "template",
            "template_version",
            "status",
            "self_total",
            "inspector_total",
            "critical_failed",
            "has_self_report",
            "approved_at",
            "scores",
        ]

    def get_has_self_report(self, assessment: Assessment) -> bool:
        return bool(assessment.self_report)


class SpotCheckSerializer(ReportSerializer):
    """A completed unannounced check: the checklist, the findings and the score (no photos, no GPS)."""

    community = community_field()
    period = serializers.CharField(source="draw.period", label=_("所属期"))

    class Meta:
        model = SpotCheck
        fields = [
            "id",
            "community",
            "period",
            "visited_at",
            "board_current",
            "display_window_kept",
            "opinion_box",
            "findings",
            "score",
        ]


class SurveySerializer(ReportSerializer):
    """A counted satisfaction survey. Voting codes and individual votes never leave the street office."""

    community = community_field()

    class Meta:
        model = Survey
        fields = [
            "id",
            "community",
            "period",
            "title",
            "votes_cast",
            "satisfied",
            "basic",
            "unsatisfied",
            "satisfaction_rate",
            "closed_at",
        ]


class RectificationSerializer(ReportSerializer):
    """An order with its source, status and how far up the ladder it has gone (``escalation_step``)."""

    community = community_field()
    street_office = serializers.CharField(
        source="community.street_office.code", label=_("所属街道"), read_only=True
    )
    escalation_step = serializers.ChoiceField(
        choices=EscalationStep.choices, label=_("问责环节"), read_only=True
    )
    admonishments = serializers.IntegerField(source="admonishment_count", label=_("诫勉谈话人次"))

    class Meta:
        model = Rectification
        fields = [
            "id",
            "community",
            "street_office",
            "source",
            "issues",
            "responsible_roles",
            "due_date",
            "due_provisional",
            "status",
            "answer",
            "answered_at",
            "closed_at",
            "reopen_count",
            "escalated_at",
            "escalation_step",
            "admonishments",
            "criticized_at",
            "referred_to",
            "referred_on",
            "created_at",
        ]


class EvaluationSerializer(ReportSerializer):
    """An approved composite evaluation: the four sources, the composite score and the rank (equal
    composites share a rank, 1, 1, 3; ``tied`` says another community has the same one), and what
    vetoed its excellence (``vetoes``)."""

    community = community_field()
    tied = serializers.BooleanField(label=_("并列"), read_only=True)
    vetoes = serializers.SerializerMethodField(label=_("一票否决事项"))

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "community",
            "period",
            "assessment_score",
            "spot_check_score",
            "satisfaction_score",
            "compliance_score",
            "composite",
            "rank",
            "tied",
            "vetoes",
            "published_at",
        ]

    def get_vetoes(self, evaluation: Evaluation) -> list[str]:
        """What barred the community from excellence that year (一票否决), each as "kind: what happened";
        empty: it may be considered."""
        return [f"{v['label']}:{v['detail']}" for v in evaluation.vetoes]


NOT_IN_LIST = "列表不指定社区时为 null,请读该行的 url / null in a list across communities: read the row's url"


class AttachmentSerializer(serializers.Serializer):
    name = serializers.CharField(source="original_name", label=_("文件名"))
    mime_type = serializers.CharField(label=_("文件类型"))
    size = serializers.IntegerField(label=_("大小(字节)"))
    sha256 = serializers.CharField(label=_("SHA-256"))


class DisclosureSerializer(ReportSerializer):
    """A public version exactly as the portal shows it (``disclosure_public_content``): relief rosters
    masked, withdrawn ones without body, data or files. ``url`` is this row read from its community."""

    community = serializers.SerializerMethodField(label=_("社区代码"))
    body = serializers.SerializerMethodField(label=_("正文"))
    data = serializers.SerializerMethodField(label=_("结构化内容"))
    withdrawn = serializers.SerializerMethodField(label=_("公示期满已撤下"))
    display_until = serializers.SerializerMethodField(label=_("公示截止日期"))
    attachments = serializers.SerializerMethodField(label=_("附件"))
    url = serializers.SerializerMethodField(label=_("单条地址"))

    class Meta:
        model = Disclosure
        fields = [
            "id",
            "community",
            "category",
            "content_type",
            "audience",
            "title",
            "body",
            "data",
            "withdrawn",
            "status",
            "version",
            "supersedes",
            "correction_reason",
            "channels",
            "published_at",
            "public_from",
            "display_until",
            "content_hash",
            "attachments",
            "url",
        ]

    def community_code(self, disclosure: Any) -> str:
        return str(self.context["community"].schema_name)

    def get_community(self, disclosure: Any) -> str:
        return self.community_code(disclosure)

    @extend_schema_field({"type": "string", "nullable": True, "description": NOT_IN_LIST})
    def get_body(self, disclosure: Disclosure) -> str | None:
        return disclosure_public_content(disclosure).body

    @extend_schema_field({"type": "object", "nullable": True, "description": NOT_IN_LIST})
    def get_data(self, disclosure: Disclosure) -> dict[str, Any] | None:
        return disclosure_public_content(disclosure).data

    @extend_schema_field(OpenApiTypes.DATE)
    def get_display_until(self, disclosure: Disclosure) -> str | None:
        """The display end the portal shows: a fixed item confirmed unchanged runs past its publication's."""
        until = display_end(disclosure)
        return until.isoformat() if until else None

    def get_withdrawn(self, disclosure: Disclosure) -> bool:
        return disclosure_public_content(disclosure).withdrawn

    @extend_schema_field(AttachmentSerializer(many=True, allow_null=True, help_text=NOT_IN_LIST))
    def get_attachments(self, disclosure: Disclosure) -> list[dict[str, Any]] | None:
        if not disclosure_public_content(disclosure).files_public:
            return []
        return list(AttachmentSerializer(disclosure.attachments.all(), many=True).data)

    def row_id(self, disclosure: Any) -> int:
        return int(disclosure.pk)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, disclosure: Any) -> str:
        path = reverse("api:disclosure-detail", args=[self.row_id(disclosure)])
        return self.context["request"].build_absolute_uri(
            f"{path}?community={self.community_code(disclosure)}"
        )


class DisclosureIndexSerializer(DisclosureSerializer):
    """A row of the list across communities, read from the public index (``finder.models.Entry``): the
    same columns, without the content (``body``, ``data``, ``attachments`` are null; ``url`` reads it)."""

    id = serializers.IntegerField(source="disclosure_id", label=_("编号"))
    supersedes = serializers.IntegerField(source="supersedes_id", allow_null=True, label=_("更正的版本"))

    def community_code(self, entry: Any) -> str:
        return str(entry.community.schema_name)

    def row_id(self, entry: Any) -> int:
        return int(entry.disclosure_id)

    def get_body(self, entry: Any) -> None:
        return None

    def get_data(self, entry: Any) -> None:
        return None

    def get_display_until(self, entry: Any) -> str | None:
        return entry.display_until.isoformat() if entry.display_until else None

    def get_withdrawn(self, entry: Any) -> bool:
        return bool(entry.withdrawn)

    def get_attachments(self, entry: Any) -> None:
        return None


class LedgerAnchorSerializer(ReportSerializer):
    community = community_field()

    class Meta:
        model = LedgerAnchor
        fields = ["community", "day", "head_seq", "head_hash"]


class LedgerHeadSerializer(ReportSerializer):
    """A community's live chain head (recorded in public by every append) and its last daily anchor."""

    code = serializers.CharField(source="schema_name", label=_("社区代码"))
    street_office = serializers.CharField(source="street_office.code", label=_("所属街道"))
    head_seq = serializers.IntegerField(allow_null=True, label=_("台帐序号(当前链头)"))
    head_hash = serializers.CharField(allow_null=True, label=_("台帐链头哈希(当前)"))
    head_at = serializers.DateTimeField(allow_null=True, label=_("链头登记时间"))
    checkpoint_day = serializers.DateField(allow_null=True, label=_("最近锚定日期"))
    checkpoint_seq = serializers.IntegerField(allow_null=True, label=_("锚定时的台帐序号"))
    checkpoint_hash = serializers.CharField(allow_null=True, label=_("锚定时的链头哈希"))
    anchors = serializers.IntegerField(source="anchor_count", label=_("锚点数"))

    class Meta:
        model = Community
        fields = [
            "code",
            "name",
            "street_office",
            "head_seq",
            "head_hash",
            "head_at",
            "checkpoint_day",
            "checkpoint_seq",
            "checkpoint_hash",
            "anchors",
        ]
