"""综合评价 (000 第十九条): a community's yearly composite from the four sources, weighted per street
office, ranked, and — once the leader approves — published into each community's own schema."""

from __future__ import annotations

from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_tenants.utils import tenant_context

from communities import services as community_services
from inspection import permissions, selectors
from inspection.choices import AssessmentStatus, EvaluationStep, PeriodKind, SpotCheckStatus, SurveyStatus
from inspection.models import Assessment, ComplianceSummary, Evaluation, EvaluationWeights, SpotCheck, Survey
from inspection.ranking import competition_ranked
from inspection.rules import SCORE_PRECISION
from inspection.services.staff import require_street_staff
from inspection.vetoes import VETO_KINDS, vetoes_found
from tenants.audit import audit_record
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tenants.models import StreetOffice, User


def _percent(value: Decimal | None, maximum: Decimal) -> Decimal | None:
    return None if value is None else (value * 100 / maximum).quantize(SCORE_PRECISION)


@transaction.atomic
def evaluation_compute(*, street_office: StreetOffice, year: int, actor: User) -> list[Evaluation]:
    """Composite per community: weighted mean of the sources it has (a missing source does not count
    as zero; its weight is left out), then a rank in which equal composites share a place (1, 1, 3).
    Recomputing replaces unapproved results. Each result carries the year's failures that the street
    office's rules list as vetoing excellence (一票否决, ``inspection.vetoes``): shown beside the score,
    they bar the community from 评先创优 without changing its composite or its rank."""
    require_street_staff(actor, street_office.pk)
    weights, _ = EvaluationWeights.objects.get_or_create(street_office=street_office)
    period = str(year)
    results = []
    for community in street_office.communities.filter(is_active=True):
        if Evaluation.objects.filter(community=community, period=period, approved_by__isnull=False).exists():
            raise Conflict(gettext("%(period)s年度的综合评价已经审定,不能重算。") % {"period": period})
        assessment = (
            Assessment.objects.filter(
                community=community,
                period__startswith=period,
                status__in=[AssessmentStatus.SCORED, AssessmentStatus.APPROVED],
            )
            .order_by("-created_at")
            .first()
        )
        assessment_pct = None
        if assessment is not None:
            maximum = sum((i.max_score for i in assessment.template.items.all()), Decimal(0))
            assessment_pct = (
                Decimal(0) if assessment.critical_failed else _percent(assessment.inspector_total, maximum)
            )
        spot = SpotCheck.objects.filter(
            community=community, status=SpotCheckStatus.COMPLETED, visited_at__year=year
        ).aggregate(avg=models.Avg("score"))["avg"]
        survey = (
            Survey.objects.filter(community=community, period__startswith=period, status=SurveyStatus.CLOSED)
            .order_by("-closed_at")
            .first()
        )
        compliance = ComplianceSummary.objects.filter(
            community=community, period_kind=PeriodKind.YEAR, period=period
        ).first()
        parts = [
            (assessment_pct, weights.assessment),
            (None if spot is None else Decimal(spot).quantize(SCORE_PRECISION), weights.spot_check),
            (survey.satisfaction_rate if survey else None, weights.satisfaction),
            (compliance.on_time_rate if compliance else None, weights.compliance),
        ]
        used = [(value, weight) for value, weight in parts if value is not None and weight]
        total_weight = sum(weight for _, weight in used)
        composite = (
            (sum((value * weight for value, weight in used), Decimal(0)) / total_weight).quantize(
                SCORE_PRECISION
            )
            if total_weight
            else Decimal(0)
        )
        vetoes = vetoes_found(community=community, year=year, kinds=weights.vetoes)
        results.append((community, parts, composite, vetoes))
    saved = []
    ranked = competition_ranked(results, score=lambda r: r[2], then=lambda r: r[0].name)
    for rank, (community, parts, composite, vetoes) in ranked:
        assert rank is not None  # every community has a composite (0.0 with no source), so a rank
        evaluation, created = Evaluation.objects.update_or_create(
            community=community,
            period=period,
            defaults={
                "assessment_score": parts[0][0],
                "spot_check_score": parts[1][0],
                "satisfaction_score": parts[2][0],
                "compliance_score": parts[3][0],
                "composite": composite,
                "rank": rank,
                "vetoes": [v.as_dict() for v in vetoes],
            },
        )
        audit_record(
            evaluation,
            actor,
            "" if created else EvaluationStep.COMPUTED,
            EvaluationStep.COMPUTED,
            f"综合得分 {composite},第 {rank} 名" + (",一票否决评先" if vetoes else ""),
        )
        saved.append(evaluation)
    return saved


@transaction.atomic
def evaluation_approve(*, street_office: StreetOffice, year: int, actor: User) -> int:
    """The leader approves the year's results; they are then published to each community's residents,
    with the rank as the street office's page shows it and whether another community shares it."""
    roles = require_street_staff(actor, street_office.pk)
    if not permissions.can_approve(roles):
        raise NotAllowed(permissions.EVALUATION_APPROVE_REFUSED)
    now = timezone.now()
    year_rows = selectors.evaluations_ranked().filter(
        community__street_office=street_office, period=str(year)
    )
    pending = list(year_rows.filter(approved_by__isnull=True).select_related("community"))
    out_of = year_rows.count()
    for evaluation in pending:
        evaluation.approved_by, evaluation.published_at = actor, now
        evaluation.save(update_fields=["approved_by", "published_at", "updated_at"])
        audit_record(evaluation, actor, EvaluationStep.COMPUTED, EvaluationStep.APPROVED)
        # published back into the community's own schema, for its residents' portal
        with tenant_context(evaluation.community):
            community_services.street_office_result_publish(
                community=evaluation.community,
                period=evaluation.period,
                composite=evaluation.composite,
                rank=evaluation.rank,
                tied=evaluation.tied,  # type: ignore[attr-defined]  # annotated by evaluations_ranked
                out_of=out_of,
                summary=f"{street_office.name}{year}年度党务居务公开综合评价",
                published_at=now,
                sources=[[label, value] for label, value in selectors.evaluation_sources(evaluation)],
                vetoes=[v["label"] + ":" + v["detail"] for v in evaluation.vetoes],
                approved_by_name=actor.get_full_name(),
                street_office_name=street_office.name,
            )
    return len(pending)


@transaction.atomic
def evaluation_vetoes_set(*, street_office: StreetOffice, kinds: list[str], actor: User) -> list[str]:
    """The street office's own list of failures that veto excellence, applied from the next
    computation on (an approved year keeps what it was computed with)."""
    roles = require_street_staff(actor, street_office.pk)
    if not permissions.can_set_vetoes(actor, roles):
        raise NotAllowed(permissions.VETOES_REFUSED)
    unknown = [k for k in kinds if k not in VETO_KINDS]
    if unknown:
        raise InvalidInput(gettext("请从列出的事项中选择一票否决事项。"))
    weights, _ = EvaluationWeights.objects.select_for_update().get_or_create(street_office=street_office)
    weights.vetoes = [k for k in VETO_KINDS if k in kinds]
    weights.save(update_fields=["vetoes", "updated_at"])
    return list(weights.vetoes)
