"""责任追究 (000 第十三、十九条 不公开、不及时、不真实、不更新 → 责令整改): the evaluator that opens one
order per failure the street office's rules name, with its evidence, the responsible roles and a deadline in
working days. Each failure has a key (``Rectification.failure_key``, unique in the database), so the same
failure never opens two orders, however often or concurrently the evaluator runs; a failure put right
later (the item published, the resident answered) is noted on its order (``cured_at``), and reopens
nothing.

Each kind is one ``@failure_kind`` finder returning the community's current failures of that kind; a
new kind is one more finder and one more ``RectificationSource`` value."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure.feedback.choices import Finding
from disclosure.feedback.choices import Status as FeedbackStatus
from disclosure.feedback.models import Feedback
from disclosure.models import Obligation
from disclosure.rules import LOCKED_STATUSES, OPEN_OBLIGATION_STATUSES
from inspection.choices import AssessmentStatus, RectificationSource, SpotCheckStatus, SurveyStatus
from inspection.models import Assessment, Rectification, SpotCheck, Survey
from inspection.services.accountability_rules import Rule, rule_of, rules_for
from inspection.services.failures import PUBLIC_URLS, TENANT_URLS, Failure, failure_key, failure_open, link
from inspection.services.rectifications import rectification_cured
from inspection.services.spot_checks import spot_check_failure
from inspection.services.surveys import survey_failure
from tenants.models import Community, StreetOffice
from workdays import services as workdays
from workdays.dates import zh_date

Finder = Callable[[Community, Rule, date, date], list[Failure]]
FINDERS: dict[str, Finder] = {}
# the kinds whose finder reads the community's own schema
IN_SCHEMA: set[str] = set()


def failure_kind(kind: RectificationSource, *, in_schema: bool = False) -> Callable[[Finder], Finder]:
    def register(find: Finder) -> Finder:
        FINDERS[kind.value] = find
        if in_schema:
            IN_SCHEMA.add(kind.value)
        return find

    return register


def _disclosure_link(label: str, community: Community, pk: int) -> dict[str, str]:
    return link(
        label,
        community_url=reverse("disclosure:detail", args=[pk], urlconf=TENANT_URLS),
        street_url=reverse("inspection:community_disclosure", args=[community.code, pk], urlconf=PUBLIC_URLS),
    )


def _past(due: date, working_days: int, on: date) -> bool:
    """More than ``working_days`` working days after ``due`` on ``on``."""
    return workdays.add_working_days(due, working_days).date < on


@failure_kind(RectificationSource.OBLIGATION_OVERDUE, in_schema=True)
def _obligations_overdue(community: Community, rule: Rule, since: date, on: date) -> list[Failure]:
    days = rule.threshold or 0
    found = []
    for ob in Obligation.objects.filter(
        status__in=OPEN_OBLIGATION_STATUSES, renews__isnull=True, due_date__gte=since, due_date__lt=on
    ):
        if not _past(ob.due_date, days, on):
            continue
        found.append(
            Failure(
                key=failure_key(rule.kind, community, ob.pk),
                issues=f"“{ob.title}”({ob.period_zh})应在 {zh_date(ob.due_date)} 前公开,"
                f"逾期超过 {days} 个工作日仍未公开。",
                evidence=[
                    link(
                        f"公开任务:{ob.title}({ob.period_zh}),{zh_date(ob.due_date)} 到期",
                        community_url=reverse("disclosure:obligations", urlconf=TENANT_URLS),
                        street_url=reverse(
                            "inspection:community", args=[community.code], urlconf=PUBLIC_URLS
                        ),
                    )
                ],
            )
        )
    return found


@failure_kind(RectificationSource.FIXED_LAPSED, in_schema=True)
def _fixed_lapsed(community: Community, rule: Rule, since: date, on: date) -> list[Failure]:
    found = []
    for ob in Obligation.objects.filter(
        status__in=OPEN_OBLIGATION_STATUSES, renews__isnull=False, due_date__gte=since, due_date__lt=on
    ).select_related("renews"):
        assert ob.renews is not None
        found.append(
            Failure(
                key=failure_key(rule.kind, community, ob.pk),
                issues=f"长期公开的“{ob.renews.title}”公示期已满({zh_date(ob.due_date)}),没有复核更新。",
                evidence=[
                    _disclosure_link(f"到期未更新的公开内容:{ob.renews.title}", community, ob.renews.pk),
                    link(
                        f"续期任务:{zh_date(ob.due_date)} 到期",
                        community_url=reverse("disclosure:renew", args=[ob.pk], urlconf=TENANT_URLS),
                    ),
                ],
            )
        )
    return found


@failure_kind(RectificationSource.FEEDBACK_OVERDUE, in_schema=True)
def _feedback_overdue(community: Community, rule: Rule, since: date, on: date) -> list[Failure]:
    days = rule.threshold or 0
    found = []
    for fb in Feedback.objects.filter(
        status=FeedbackStatus.RECEIVED, due_date__gte=since, due_date__lt=on
    ).select_related("disclosure"):
        if not _past(fb.due_date, days, on):
            continue
        about = f"关于“{fb.disclosure.title}”" if fb.disclosure is not None else "关于社区工作"
        extra = f"后 {days} 个工作日" if days else ""
        found.append(
            Failure(
                key=failure_key(rule.kind, community, fb.pk),
                issues=f"居民{fb.get_kind_display()}({about},{zh_date(fb.received_on)} 受理)应在 "
                f"{zh_date(fb.due_date)} 前答复,到期{extra}仍未答复。",
                evidence=[
                    link(
                        f"居民{fb.get_kind_display()}:{about},{zh_date(fb.due_date)} 到期",
                        community_url=reverse("feedback_staff:detail", args=[fb.pk], urlconf=TENANT_URLS),
                    )
                ],
            )
        )
    return found


@failure_kind(RectificationSource.UNTRUE_CONTENT, in_schema=True)
def _untrue_content(community: Community, rule: Rule, since: date, on: date) -> list[Failure]:
    """The supervision group found an omission or an untruth in a published item (000 第十七条); put right
    when the corrected version is published."""
    found = []
    for fb in Feedback.objects.filter(
        finding=Finding.SUBSTANTIATED, disclosure__isnull=False, finding_at__date__gte=since
    ).select_related("disclosure", "republication"):
        assert fb.disclosure is not None
        if fb.republication is not None and fb.republication.status in LOCKED_STATUSES:
            continue
        evidence = [
            _disclosure_link(f"被查实不实的公开内容:{fb.disclosure.title}", community, fb.disclosure.pk),
            link(
                f"监督小组调查结论({zh_date(fb.finding_at)})",
                community_url=reverse("feedback_staff:detail", args=[fb.pk], urlconf=TENANT_URLS),
            ),
        ]
        if fb.republication is not None:
            evidence.append(_disclosure_link("责令重新公布的更正版本", community, fb.republication.pk))
        found.append(
            Failure(
                key=failure_key(rule.kind, community, fb.pk),
                issues=f"监督小组 {zh_date(fb.finding_at)} 查实“{fb.disclosure.title}”存在遗漏或不实之处:"
                f"{fb.finding_text[:300]}",
                evidence=evidence,
            )
        )
    return found


@failure_kind(RectificationSource.ASSESSMENT)
def _assessments_failed(community: Community, rule: Rule, since: date, on: date) -> list[Failure]:
    pass_mark = Decimal(rule.threshold or 0)
    found = []
    for a in Assessment.objects.filter(
        community=community,
        status__in=[AssessmentStatus.SCORED, AssessmentStatus.APPROVED],
        created_at__date__gte=since,
    ).select_related("template"):
        items = list(a.template.items.all())
        full = sum((i.max_score for i in items), Decimal(0))
        if a.inspector_total is None or not full:
            continue
        percent = (a.inspector_total * 100 / full).quantize(Decimal("0.1"))
        zero = [
            s.item for s in a.scores.select_related("item").filter(item__critical=True, inspector_score=0)
        ]
        if percent >= pass_mark and not zero and not a.critical_failed:
            continue
        reasons = []
        if percent < pass_mark:
            reasons.append(f"考核得分 {a.inspector_total}(折合 {percent} 分)低于 {pass_mark} 分")
        if zero:
            reasons.append("否决项得零分:" + "、".join(f"{i.code} {i.title}" for i in zero))
        street_url = reverse("inspection:assessment", args=[a.pk], urlconf=PUBLIC_URLS)
        community_url = reverse("inspection_community:self_assess", args=[a.pk], urlconf=TENANT_URLS)
        evidence = [link(f"{a.period}定期考核", community_url=community_url, street_url=street_url)]
        evidence += [
            link(f"否决项 {i.code} {i.title}:0 分", community_url=community_url, street_url=street_url)
            for i in zero
        ]
        found.append(
            Failure(
                key=failure_key(rule.kind, community, a.pk),
                issues=f"{a.period}定期考核不合格:" + ";".join(reasons) + "。",
                evidence=evidence,
            )
        )
    return found


@failure_kind(RectificationSource.SPOT_CHECK)
def _spot_checks_failed(community: Community, rule: Rule, since: date, on: date) -> list[Failure]:
    # a visit whose order was opened before orders carried a failure's key has its order already
    checks = SpotCheck.objects.filter(
        community=community,
        status=SpotCheckStatus.COMPLETED,
        visited_at__date__gte=since,
        rectifications__isnull=True,
    ).select_related("community")
    return [f for f in (spot_check_failure(c) for c in checks) if f is not None]


@failure_kind(RectificationSource.SURVEY)
def _surveys_failed(community: Community, rule: Rule, since: date, on: date) -> list[Failure]:
    surveys = Survey.objects.filter(
        community=community,
        status=SurveyStatus.CLOSED,
        closed_at__date__gte=since,
        rectification__isnull=True,
    ).select_related("community")
    return [f for f in (survey_failure(s) for s in surveys) if f is not None]


CURED_NOTES = {
    RectificationSource.OBLIGATION_OVERDUE.value: "该事项已公开(或经批准免除),问题已纠正。",
    RectificationSource.FIXED_LAPSED.value: "该长期公开事项已复核更新,问题已纠正。",
    RectificationSource.FEEDBACK_OVERDUE.value: "居民反映已答复,问题已纠正。",
    RectificationSource.UNTRUE_CONTENT.value: "更正版本已公布,问题已纠正。",
}


@dataclass
class Evaluated:
    opened: list[Rectification] = field(default_factory=list)
    cured: list[Rectification] = field(default_factory=list)


def accountability_evaluate_community(*, community: Community, on: date) -> Evaluated:
    version = rules_for(street_office_id=community.street_office_id, today=on)
    since = version.counts_from
    rules = [rule_of(version, kind) for kind in FINDERS]
    found: dict[str, list[Failure]] = {}
    with tenant_context(community):
        for rule in rules:
            if rule.on and rule.kind in IN_SCHEMA:
                found[rule.kind] = FINDERS[rule.kind](community, rule, since, on)
    for rule in rules:
        if rule.on and rule.kind not in IN_SCHEMA:
            found[rule.kind] = FINDERS[rule.kind](community, rule, since, on)
    result = Evaluated()
    by_rule = {r.kind: r for r in rules}
    for kind, failures in found.items():
        for failure in failures:
            order = failure_open(
                community=community, kind=kind, failure=failure, rule=by_rule[kind], version=version, on=on
            )
            if order is not None:
                result.opened.append(order)
    for kind, note in CURED_NOTES.items():
        if kind not in found:
            continue  # the rule is off: nothing is looked at, so nothing is known to be put right
        current = {f.key for f in found[kind]}
        for order in Rectification.objects.filter(
            community=community, source=kind, failure_key__isnull=False, cured_at__isnull=True
        ).exclude(failure_key__in=current):
            result.cured.append(rectification_cured(rectification=order, note=note))
    return result


def accountability_evaluate(*, street_office: StreetOffice, on: date | None = None) -> Evaluated:
    """Every community of the street office, by its rules in force on ``on``."""
    on = on or timezone.localdate()
    total = Evaluated()
    for community in Community.objects.filter(street_office=street_office).order_by("pk"):
        done = accountability_evaluate_community(community=community, on=on)
        total.opened += done.opened
        total.cured += done.cured
    return total
