"""评先创优 一票否决 (000 第十三、十九条): the failures of a year that bar a community from excellence,
whatever its score. Each kind of failure is a key with its label and the one selector that finds it in
a community's year; a street office lists the keys it applies (``EvaluationWeights.vetoes``).

A new kind (通报批评, a referral for discipline) is one more ``@veto_kind`` function here: the
evaluation, its pages, its PDF and what is published read the list, never the kinds by name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise, lazy
from django.utils.timezone import localtime
from django.utils.translation import gettext, gettext_lazy

from inspection.choices import AssessmentStatus, PeriodKind, SurveyStatus
from inspection.models import Admonishment, Assessment, ComplianceSummary, Rectification, Survey
from inspection.rules import SATISFACTION_THRESHOLD
from tenants.models import Community
from workdays.dates import zh_date
from workdays.periods import period_zh

Finder = Callable[[Community, int], list[str]]


@dataclass(frozen=True)
class VetoKind:
    key: str
    label: str | Promise
    find: Finder  # the year's failures of this kind in a community, each in a line a person reads


@dataclass(frozen=True)
class Veto:
    """One failure found: its kind's key and label, and what happened."""

    kind: str
    label: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "label": self.label, "detail": self.detail}


VETO_KINDS: dict[str, VetoKind] = {}


def veto_kind(key: str, label: str | Promise) -> Callable[[Finder], Finder]:
    def register(find: Finder) -> Finder:
        VETO_KINDS[key] = VetoKind(key, label, find)
        return find

    return register


@veto_kind("admonishment", gettext_lazy("诫勉谈话"))
def _admonishments(community: Community, year: int) -> list[str]:
    talks = Admonishment.objects.filter(rectification__community=community, held_on__year=year)
    return [f"{zh_date(t.held_on)} 对{t.person_name}({t.role})诫勉谈话" for t in talks.order_by("held_on")]


@veto_kind("order_escalated", gettext_lazy("整改逾期,被报街道领导"))
def _orders_escalated(community: Community, year: int) -> list[str]:
    found = Rectification.objects.filter(community=community, escalated_at__year=year)
    orders = found.order_by("escalated_at")
    return [f"{o.get_source_display()}:{o.issues[:40]}(期限 {zh_date(o.due_date)})" for o in orders]


@veto_kind("criticism", gettext_lazy("通报批评"))
def _criticisms(community: Community, year: int) -> list[str]:
    found = Rectification.objects.filter(community=community, criticized_at__year=year)
    return [
        f"{zh_date(localtime(o.criticized_at).date())} 通报批评:{o.criticism[:40]}"
        for o in found.order_by("criticized_at")
    ]


@veto_kind(
    "survey_below_threshold",
    lazy(
        lambda: (
            gettext("群众评议满意率低于 %(SATISFACTION_THRESHOLD)s%%")
            % {"SATISFACTION_THRESHOLD": SATISFACTION_THRESHOLD}
        ),
        str,
    )(),
)
def _surveys_failed(community: Community, year: int) -> list[str]:
    surveys = Survey.objects.filter(
        community=community,
        status=SurveyStatus.CLOSED,
        period__startswith=str(year),
        satisfaction_rate__lt=SATISFACTION_THRESHOLD,
    )
    return [
        f"{period_zh(s.period)}群众评议满意率 {s.satisfaction_rate}%" for s in surveys.order_by("closed_at")
    ]


@veto_kind("assessment_failed", gettext_lazy("定期考核否决项得零分"))
def _assessments_failed(community: Community, year: int) -> list[str]:
    failed = Assessment.objects.filter(
        community=community,
        period__startswith=str(year),
        critical_failed=True,
        status__in=[AssessmentStatus.SCORED, AssessmentStatus.APPROVED],
    )
    return [f"{period_zh(a.period)}定期考核" for a in failed]


@veto_kind("untrue_content", gettext_lazy("公开内容被查实遗漏或不实,责令重新公布"))
def _untrue_content(community: Community, year: int) -> list[str]:
    summary = ComplianceSummary.objects.filter(
        community=community, period_kind=PeriodKind.YEAR, period=str(year), republications_ordered__gt=0
    ).first()
    return [f"全年责令重新公布 {summary.republications_ordered} 次"] if summary else []


def vetoes_found(*, community: Community, year: int, kinds: Iterable[str]) -> list[Veto]:
    """Every failure of the listed kinds in the community's ``year``, kind by kind in the list's order;
    a key no kind answers to (one retired since the list was saved) finds nothing."""
    with translation.override(settings.LANGUAGE_CODE):  # kept with the evaluation: in Chinese, as data
        return [
            Veto(kind.key, str(kind.label), detail)
            for key in kinds
            if (kind := VETO_KINDS.get(key)) is not None
            for detail in kind.find(community, year)
        ]


def veto_choices() -> list[tuple[str, str | Promise]]:
    """The kinds a street office may list, for its form."""
    return [(kind.key, kind.label) for kind in VETO_KINDS.values()]
