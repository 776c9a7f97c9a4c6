"""群众评议 (000 第十八条(三)): a survey with one-time voting codes, anonymous votes, and the count —
below the satisfaction threshold a rectification order and admonishment talks follow (第十九条)."""

from __future__ import annotations

import secrets
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from inspection import permissions, rules
from inspection.choices import RectificationSource, Satisfaction, SurveyStatus
from inspection.models import VOTE_COMMENT_LIMIT, Admonishment, Survey, Vote, VotingCode
from inspection.services.accountability_rules import rule_for
from inspection.services.failures import PUBLIC_URLS, Failure, failure_key, failure_open, link
from inspection.services.staff import require_street_staff
from tenants.audit import audit_record
from tenants.errors import Conflict, InvalidInput
from tenants.models import Community, Membership, User

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no O/0, I/1


def _voting_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(rules.VOTING_CODE_LENGTH))


@transaction.atomic
def survey_open(*, community: Community, period: str, title: str, codes: int, actor: User) -> Survey:
    require_street_staff(actor, community.street_office_id)
    if not 1 <= codes <= rules.MAX_VOTING_CODES:
        raise InvalidInput(
            gettext("投票码数量应在 1 到 %(MAX_VOTING_CODES)s 之间。")
            % {"MAX_VOTING_CODES": rules.MAX_VOTING_CODES}
        )
    if Survey.objects.filter(community=community, period=period).exists():
        raise Conflict(
            gettext("%(name)s%(period)s的群众评议已经发起过。") % {"name": community.name, "period": period}
        )
    survey = Survey.objects.create(
        community=community,
        period=period.strip(),
        title=title.strip() or f"{community.name}{period}党务居务公开群众满意度测评",
        created_by=actor,
    )
    made: set[str] = set()
    while len(made) < codes:
        code = _voting_code()
        if code not in made and not VotingCode.objects.filter(code=code).exists():
            made.add(code)
    VotingCode.objects.bulk_create([VotingCode(survey=survey, code=c) for c in sorted(made)])
    audit_record(survey, actor, "", survey.status, f"印制投票码 {codes} 张")
    return survey


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


@transaction.atomic
def vote_cast(*, community: Community, code: str, answer: str, comment: str = "") -> Vote:
    """One code, one vote: a used or unknown code is refused, and nothing is counted twice."""
    if answer not in Satisfaction.values:
        raise InvalidInput(gettext("请选择“满意”“基本满意”或“不满意”。"))
    voting_code = (
        VotingCode.objects.select_for_update()
        .select_related("survey")
        .filter(code=normalise_code(code), survey__community=community)
        .first()
    )
    if voting_code is None:
        raise InvalidInput(
            gettext("投票码无效,请核对纸条上的 %(VOTING_CODE_LENGTH)s 位投票码。")
            % {"VOTING_CODE_LENGTH": rules.VOTING_CODE_LENGTH}
        )
    if voting_code.used_at is not None:
        raise Conflict(gettext("这个投票码已经投过票了,每个投票码只能用一次。"))
    if voting_code.survey.status != SurveyStatus.OPEN:
        raise Conflict(gettext("这次评议已经结束。"))
    voting_code.used_at = timezone.now()
    voting_code.save(update_fields=["used_at"])
    return Vote.objects.create(
        survey=voting_code.survey,
        code=voting_code,
        answer=answer,
        comment=comment.strip()[:VOTE_COMMENT_LIMIT],
    )


def satisfaction_rate(*, satisfied: int, basic: int, total: int) -> Decimal | None:
    """满意率 = (满意 + 基本满意) ÷ 有效票, to two decimals, rounded down: a rate just under the
    threshold must not be rounded up to it."""
    if total == 0:
        return None
    return (Decimal(satisfied + basic) * 100 / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


@transaction.atomic
def survey_close(*, survey: Survey, actor: User, today: date | None = None) -> Survey:
    """Count the votes; below ``rules.SATISFACTION_THRESHOLD`` a rectification order and admonishment
    talks for the responsible heads follow (000 第十九条)."""
    require_street_staff(actor, survey.community.street_office_id)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.OPEN:
        raise Conflict(gettext("这次评议已经结束。"))
    counts = {a: survey.votes.filter(answer=a).count() for a in Satisfaction.values}
    survey.satisfied, survey.basic, survey.unsatisfied = (
        counts[Satisfaction.SATISFIED],
        counts[Satisfaction.BASIC],
        counts[Satisfaction.UNSATISFIED],
    )
    survey.votes_cast = sum(counts.values())
    survey.satisfaction_rate = satisfaction_rate(
        satisfied=survey.satisfied, basic=survey.basic, total=survey.votes_cast
    )
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = timezone.now()
    survey.save()
    rate = "无人投票" if survey.satisfaction_rate is None else f"满意率 {survey.satisfaction_rate}%"
    audit_record(survey, actor, SurveyStatus.OPEN, survey.status, f"收回 {survey.votes_cast} 张,{rate}")
    failure = survey_failure(survey)
    version, rule = rule_for(
        street_office_id=survey.community.street_office_id, kind=RectificationSource.SURVEY
    )
    order = None
    if failure is not None and rule.on:
        order = failure_open(
            community=survey.community,
            kind=RectificationSource.SURVEY,
            failure=failure,
            rule=rule,
            version=version,
            on=today or timezone.localdate(),
            actor=actor,
        )
    if order is not None:
        heads = Membership.objects.filter(community=survey.community, role__in=permissions.ADMONISHED)
        for membership in heads.select_related("user"):
            Admonishment.objects.create(
                rectification=order,
                person_name=membership.user.get_full_name(),
                role=membership.get_role_display(),
            )
    return survey


def survey_failure(survey: Survey) -> Failure | None:
    rate = survey.satisfaction_rate
    if rate is None or rate >= rules.SATISFACTION_THRESHOLD:
        return None
    return Failure(
        key=failure_key(RectificationSource.SURVEY, survey.community, survey.pk),
        survey=survey,
        issues=f"{survey.period}群众评议满意率为 {rate}%,低于 {rules.SATISFACTION_THRESHOLD}%。",
        evidence=[
            link(
                f"{survey.period}群众评议:满意率 {rate}%",
                street_url=reverse("inspection:survey", args=[survey.pk], urlconf=PUBLIC_URLS),
            )
        ],
    )
