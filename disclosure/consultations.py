"""征求意见 (新视界方案 四(一) 事前公示; 000 第二条 事前、事中、事后全过程公开): a consultation's opinion
period, what its publication and its result's publication must respect, and the links between a
consultation, its result and the disclosure that carries the decision out.

The links are read from the result's content (``consultation``, ``follow_up``), never written into the
consultation: a published version is sealed, so the consultation page finds its result by asking which
published result names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from disclosure.choices import ContentType
from disclosure.models import Disclosure
from disclosure.rules import CONSULTATION_MIN_DAYS, LOCKED_STATUSES
from disclosure.selectors import disclosures_public
from workdays.dates import zh_date


@dataclass(frozen=True)
class Period:
    opens_on: date
    closes_on: date

    def is_open(self, on: date) -> bool:
        return self.opens_on <= on <= self.closes_on

    def has_ended(self, on: date) -> bool:
        return on > self.closes_on


def period_of(disclosure: Disclosure) -> Period | None:
    """A consultation's opinion period; None for anything else."""
    if disclosure.content_type != ContentType.CONSULTATION:
        return None
    data = disclosure.data or {}
    return Period(date.fromisoformat(data["opens_on"]), date.fromisoformat(data["closes_on"]))


def open_now(public: QuerySet[Disclosure], *, on: date) -> list[tuple[Disclosure, Period]]:
    """The consultations among ``public`` that take opinions ``on`` that day, closing soonest first:
    what the portal's home page puts above everything else (000 第二条 事前公开, 征求意见)."""
    found = []
    for disclosure in public.filter(content_type=ContentType.CONSULTATION):
        period = period_of(disclosure)
        if period is not None and period.is_open(on):
            found.append((disclosure, period))
    return sorted(found, key=lambda pair: pair[1].closes_on)


def consultation_named(result: Disclosure) -> Disclosure | None:
    """The published consultation a result names (any version that went through publication)."""
    pk = (result.data or {}).get("consultation")
    if not pk:
        return None
    return Disclosure.objects.filter(
        pk=pk, content_type=ContentType.CONSULTATION, status__in=LOCKED_STATUSES
    ).first()


def publish_problem(disclosure: Disclosure, *, today: date) -> str:
    """Why this version may not be published today, in Chinese; empty if it may.

    A consultation needs CONSULTATION_MIN_DAYS days of opinions from the day it is published (or its
    later opening day) to its closing day. A result is published only after its consultation's period
    has ended, and the disclosure it names as what followed must itself be published."""
    if disclosure.content_type == ContentType.CONSULTATION:
        period = period_of(disclosure)
        assert period is not None
        start = max(period.opens_on, today)
        days = (period.closes_on - start).days + 1
        if days < CONSULTATION_MIN_DAYS:
            return _(
                "从今天公布到意见征集截止日 %(closes)s 只剩 %(days)s 天,"
                "意见征集期至少要 %(min_days)s 天。请发起更正,把截止日期往后推。"
            ) % {"closes": zh_date(period.closes_on), "days": max(days, 0), "min_days": CONSULTATION_MIN_DAYS}
    if disclosure.content_type == ContentType.CONSULTATION_RESULT:
        consultation = consultation_named(disclosure)
        if consultation is None:
            return _("所选的征求意见不存在或还没有公布,请在草稿中重新选择。")
        period = period_of(consultation)
        assert period is not None
        if not period.has_ended(today):
            return _("“%(title)s”的意见征集到 %(closes)s 才截止,截止之后才能公布征求意见结果。") % {
                "title": consultation.title,
                "closes": zh_date(period.closes_on),
            }
        follow_up = disclosure.data.get("follow_up")
        if follow_up and not Disclosure.objects.filter(pk=follow_up, status__in=LOCKED_STATUSES).exists():
            return _("落实决定的公开内容须是已经公布的;请先公布它,或在草稿中不选。")
    return ""


def display_until_at_least(disclosure: Disclosure) -> date | None:
    """A consultation stays on display at least until its period closes."""
    period = period_of(disclosure)
    return period.closes_on if period else None


# --- what residents may follow, both ways ------------------------------------------------------------


def results_of(consultation: Disclosure, *, on: date) -> QuerySet[Disclosure]:
    """The published results that name this consultation (the newest first), as residents see them."""
    return disclosures_public(on=on).filter(
        content_type=ContentType.CONSULTATION_RESULT, data__consultation=consultation.pk
    )


def results_following(disclosure: Disclosure, *, on: date) -> QuerySet[Disclosure]:
    """The published results whose decision this disclosure carries out."""
    return disclosures_public(on=on).filter(
        content_type=ContentType.CONSULTATION_RESULT, data__follow_up=disclosure.pk
    )


def public_reference(pk: object, *, on: date) -> Disclosure | None:
    """A disclosure a result names, if residents may see it on ``on``."""
    if not isinstance(pk, int):
        return None
    return disclosures_public(on=on).filter(pk=pk).first()


@dataclass(frozen=True)
class Links:
    """What a disclosure's public page says of consultations: a consultation's period and where it
    stands, its results and what carried them out; a result's consultation and follow-up; and for any
    disclosure, the results whose decision it carries out."""

    period: Period | None
    state: str  # "not_yet", "open", "ended" for a consultation; "" otherwise
    results: list[Disclosure]
    follow_ups: list[Disclosure]
    consultation: Disclosure | None
    follow_up: Disclosure | None
    following: list[Disclosure]

    @property
    def any(self) -> bool:
        return bool(self.period or self.consultation or self.follow_up or self.following)


def links_of(disclosure: Disclosure, *, on: date) -> Links:
    period = period_of(disclosure)
    state = ""
    results: list[Disclosure] = []
    follow_ups: list[Disclosure] = []
    if period is not None:
        state = "not_yet" if on < period.opens_on else "open" if period.is_open(on) else "ended"
        results = list(results_of(disclosure, on=on))
        shown = (public_reference(r.data.get("follow_up"), on=on) for r in results)
        follow_ups = list({d.pk: d for d in shown if d is not None}.values())
    data = disclosure.data or {}
    is_result = disclosure.content_type == ContentType.CONSULTATION_RESULT
    return Links(
        period=period,
        state=state,
        results=results,
        follow_ups=follow_ups,
        consultation=public_reference(data.get("consultation"), on=on) if is_result else None,
        follow_up=public_reference(data.get("follow_up"), on=on) if is_result else None,
        following=list(results_following(disclosure, on=on)),
    )
