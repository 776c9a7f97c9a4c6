"""Reads of the disclosure engine shared by views, commands, tasks and the street-office layer."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext

from disclosure.choices import ContentType, DisclosureStatus, LedgerAction, ObligationStatus
from disclosure.content import mask_numbers, public_view
from disclosure.display import awaiting_renewal_expression, display_end_expression
from disclosure.models import AuditRecord, Disclosure, LedgerEntry, LocalCatalogueItem, Obligation
from disclosure.models.ledger import GENESIS, short_hash
from disclosure.rules import DUE_SOON_WORKING_DAYS, LOCKED_STATUSES, OPEN_OBLIGATION_STATUSES
from finder.selectors import visible_on, withdrawn_expression
from standards.models import CatalogueItem, LedgerAnchor, LedgerHead
from tenants.models import User
from workdays.dates import zh_date, zh_datetime
from workdays.selectors import Countdown, countdowns

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class PublicRowAnnotations(TypedDict):
    """What ``disclosures_public`` adds to each row."""

    withdrawn: bool
    shown_until: date
    awaiting_renewal: bool


OPEN = list(OPEN_OBLIGATION_STATUSES)


@dataclass(frozen=True)
class LedgerReport:
    ok: bool
    entries: int
    head_hash: str
    broken_seq: int | None = None
    problem: str = ""

    @property
    def head_short(self) -> str:
        return short_hash(self.head_hash)

    @property
    def summary(self) -> str:
        """One line for a print-out: whole, or where it breaks and why."""
        if self.ok:
            return f"核验通过:共 {self.entries} 条记录,哈希链完整;链头 {self.head_short}"
        return f"核验未通过:断在第 {self.broken_seq} 条。{self.problem}"


def ledger_verify(*, community_id: int | None = None) -> LedgerReport:
    """Recompute every hash of this schema's chain; with ``community_id``, compare it with the heads the
    public schema recorded at each append and with the daily anchors. Report the first disagreement.

    The head history is what catches a lost tail: a row deleted from the end of the chain (its guard
    switched off) leaves a chain that is whole in itself, but its head stays on record in public."""
    prev_hash = GENESIS
    expected_seq = 1
    by_seq: dict[int, str] = {}
    count = 0
    for entry in LedgerEntry.objects.order_by("seq").iterator():
        count += 1
        if entry.seq != expected_seq:
            return LedgerReport(False, count, prev_hash, expected_seq, f"第 {expected_seq} 条台帐记录缺失。")
        if entry.prev_hash != prev_hash:
            return LedgerReport(
                False, count, prev_hash, entry.seq, f"第 {entry.seq} 条记录与上一条的链接断开。"
            )
        if entry.compute_hash() != entry.hash:
            return LedgerReport(False, count, prev_hash, entry.seq, f"第 {entry.seq} 条记录的内容被改动过。")
        by_seq[entry.seq] = entry.hash
        prev_hash = entry.hash
        expected_seq += 1
    if community_id is None:
        return LedgerReport(True, count, prev_hash)
    problem = _heads_disagree(community_id=community_id, by_seq=by_seq) or _anchors_disagree(
        community_id=community_id, by_seq=by_seq
    )
    if problem is not None:
        seq, text = problem
        return LedgerReport(False, count, prev_hash, seq, text)
    return LedgerReport(True, count, prev_hash)


def _heads_disagree(*, community_id: int, by_seq: dict[int, str]) -> tuple[int, str] | None:
    """The first head on record in public that the chain does not match, or the first entry of the chain
    that has no head on record: every append records one, so either means the chain was rewritten."""
    last = len(by_seq)
    expected = 1
    recorded = LedgerHead.objects.filter(community_id=community_id).order_by("seq")
    for seq, hash_, at in recorded.values_list("seq", "hash", "appended_at").iterator():
        if seq != expected:
            return expected, f"街道没有第 {expected} 条记录的链头登记(公共登记被删改过)。"
        if seq > last:
            now = f"台帐现在只到第 {last} 条" if last else "台帐现在是空的"
            return seq, (f"第 {seq} 条记录不见了:街道在 {zh_datetime(at)} 登记过它的链头,{now}(末尾被删除)。")
        if by_seq[seq] != hash_:
            return seq, f"第 {seq} 条记录与街道在写入时登记的链头不符(台帐被改写过)。"
        expected += 1
    if last >= expected:
        return expected, f"第 {expected} 条记录没有在街道登记链头(不是经由系统写入的)。"
    return None


def _anchors_disagree(*, community_id: int, by_seq: dict[int, str]) -> tuple[int, str] | None:
    for anchor in LedgerAnchor.objects.filter(community_id=community_id).order_by("day"):
        if by_seq.get(anchor.head_seq) != anchor.head_hash:
            day = zh_date(anchor.day)
            return anchor.head_seq, f"第 {anchor.head_seq} 条记录与 {day} 在街道登记的链头不符。"
    return None


def obligations_open(*, on: date | None = None) -> QuerySet[Obligation]:
    return Obligation.objects.filter(status__in=OPEN).order_by("due_date")


@dataclass(frozen=True)
class ObligationClock:
    """An open obligation's deadline against today, in working days (its state is computed from the
    dates, so it is right even before the daily job has run)."""

    state: str  # ObligationStatus.OVERDUE, DUE_SOON or UPCOMING
    countdown: Countdown

    @property
    def label(self) -> str:
        if self.countdown.past:
            days = self.countdown.overdue
            return gettext("逾期 %(days)s 个工作日") % {"days": days} if days else gettext("已过截止日期")
        if self.countdown.left == 0:
            return gettext("今天截止")
        return gettext("还剩 %(left)s 个工作日") % {"left": self.countdown.left}


def obligation_clocks(obligations: Iterable[Obligation], *, on: date) -> dict[int, ObligationClock]:
    """The clock of each open obligation among ``obligations`` (closed ones have none), with one walk
    over the calendar for the whole list."""
    open_ones = [o for o in obligations if o.is_open]
    counts = countdowns([o.due_date for o in open_ones], on=on)
    clocks = {}
    for o in open_ones:
        count = counts[o.due_date]
        if count.past:
            state = ObligationStatus.OVERDUE
        elif count.left <= DUE_SOON_WORKING_DAYS:
            state = ObligationStatus.DUE_SOON
        else:
            state = ObligationStatus.UPCOMING
        clocks[o.pk] = ObligationClock(state, count)
    return clocks


URGENCY = (ObligationStatus.OVERDUE, ObligationStatus.DUE_SOON, ObligationStatus.UPCOMING)


def obligations_by_urgency(*, on: date) -> list[tuple[Obligation, ObligationClock]]:
    """Open obligations, the most urgent first: overdue (the longest overdue first), then due soon, then
    upcoming, each group by its deadline."""
    open_ones = list(Obligation.objects.filter(status__in=OPEN))
    clocks = obligation_clocks(open_ones, on=on)
    rows = [(o, clocks[o.pk]) for o in open_ones]
    rows.sort(key=lambda row: (URGENCY.index(ObligationStatus(row[1].state)), row[0].due_date, row[0].code))
    return rows


def obligations_for_month(*, year: int, month: int) -> QuerySet[Obligation]:
    return Obligation.objects.filter(due_date__year=year, due_date__month=month).order_by("due_date")


def disclosures_in_progress() -> QuerySet[Disclosure]:
    return Disclosure.objects.exclude(status__in=LOCKED_STATUSES).order_by("-updated_at")


def disclosures_for_staff() -> QuerySet[Disclosure]:
    """Every version, with its obligation (its period, deadline and lateness show on each row)."""
    return Disclosure.objects.select_related("obligation")


def disclosures_published() -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(status__in=LOCKED_STATUSES).order_by("-published_at")


def audit_for(disclosure: Disclosure) -> QuerySet[AuditRecord]:
    return audit_of(disclosure)


def audit_of(obj: Model) -> QuerySet[AuditRecord]:
    """A community's record's trail (a disclosure, an obligation, a resident's matter), oldest first."""
    return AuditRecord.objects.filter(object_type=obj._meta.model_name, object_id=obj.pk).order_by("at", "id")


def ledger_entries(
    *,
    since: date | None = None,
    until: date | None = None,
    action: str = "",
    actor: User | None = None,
    item: str = "",
) -> QuerySet[LedgerEntry]:
    """This community's 台帐, newest first, each entry with its item and who did it; narrowed to the days
    ``since`` … ``until`` (both included, in the site's time zone), one kind of event, one person, and
    items whose title contains ``item``."""
    qs = LedgerEntry.objects.select_related("disclosure", "actor").order_by("-seq")
    if since is not None:
        qs = qs.filter(recorded_at__date__gte=since)
    if until is not None:
        qs = qs.filter(recorded_at__date__lte=until)
    if action:
        qs = qs.filter(action=action)
    if actor is not None:
        qs = qs.filter(actor=actor)
    if item.strip():
        qs = qs.filter(disclosure__title__icontains=item.strip())
    return qs


def ledger_actors() -> QuerySet[User]:
    """The people who appear in this community's ledger (users live in public: a person another
    community's ledger knows is not offered here)."""
    return User.objects.filter(
        pk__in=LedgerEntry.objects.filter(actor__isnull=False).values("actor_id")
    ).order_by("real_name", "username")


def ledger_item_titles() -> list[str]:
    """The titles of the items this ledger speaks of, for picking one instead of typing it."""
    return list(
        Disclosure.objects.filter(ledger_entries__isnull=False)
        .order_by("title")
        .values_list("title", flat=True)
        .distinct()
    )


def ledger_head_recorded(*, community_id: int) -> LedgerHead | None:
    """The head the public schema holds for this community: the live one, written by the last append."""
    return LedgerHead.objects.filter(community_id=community_id).order_by("-seq").first()


def anchors_of(*, community_id: int) -> QuerySet[LedgerAnchor]:
    return LedgerAnchor.objects.filter(community_id=community_id).order_by("-day")


def catalogue_standard(*, street_office_id: int, on: date) -> QuerySet[CatalogueItem]:
    return (
        CatalogueItem.objects.filter(street_office_id=street_office_id, valid_from__lte=on)
        .exclude(valid_until__lte=on)
        .order_by("code")
    )


def catalogue_local(*, on: date) -> QuerySet[LocalCatalogueItem]:
    return LocalCatalogueItem.objects.filter(valid_from__lte=on).exclude(valid_until__lte=on).order_by("code")


def catalogue_applicable(*, street_office_id: int, on: date, cadence: str) -> list[tuple[str, Any]]:
    """The items of ``cadence`` in force on ``on`` — the street office's standard ones, then the
    community's own — each with the ``Obligation.Source`` it comes from."""

    def valid(qs: Any) -> Any:
        return qs.filter(cadence=cadence, valid_from__lte=on).exclude(valid_until__lte=on)

    standard = valid(CatalogueItem.objects.filter(street_office_id=street_office_id))
    local = valid(LocalCatalogueItem.objects.all())
    return [(Obligation.Source.STANDARD, i) for i in standard] + [(Obligation.Source.LOCAL, i) for i in local]


def disclosures_public(*, on: date) -> QuerySet[WithAnnotations[Disclosure, PublicRowAnnotations]]:
    """Every version a resident may reach on ``on``: the one place the portal's visibility rules live.

    Only what went through publication is public (drafts and submissions never are); a 先党内后党外
    item stays hidden until its ``public_from`` day (000 第七条; ``finder.selectors.visible_on``, the
    rule the public index applies too). Each row carries ``withdrawn``: a
    relief roster whose display period is over stays listed as published, but its households leave
    the public view (PIPL: personal data only as long as the purpose needs it); ``shown_until``, its
    display end (``display_end_expression``); and ``awaiting_renewal`` (``awaiting_renewal_expression``).
    """
    return (
        Disclosure.objects.filter(status__in=LOCKED_STATUSES)
        .filter(visible_on(on))
        .annotate(
            withdrawn=withdrawn_expression(on),
            shown_until=display_end_expression(),
            awaiting_renewal=awaiting_renewal_expression(),
        )
        .order_by("-published_at", "-pk")
    )


def disclosure_public_get(*, pk: int, on: date) -> Disclosure:
    """The version ``pk`` if a resident may see it on ``on``; 404 otherwise (drafts, too early, another
    community: every community's rows live in its own schema)."""
    return get_object_or_404(disclosures_public(on=on), pk=pk)


@dataclass(frozen=True)
class PublicContent:
    """What a resident may read of one public version (a row of ``disclosures_public``)."""

    withdrawn: bool
    body: str
    data: dict[str, Any]
    files_public: bool


def disclosure_public_content(disclosure: Disclosure) -> PublicContent:
    """The one place every public output (portal, district API) takes a version's content from.

    A withdrawn relief roster shows neither body, data nor files; otherwise structured content goes
    through ``content.public_view`` (masked names, no identity numbers). A relief roster's files are
    never public: a scan cannot be masked the way its table is.
    """
    if disclosure.withdrawn:  # type: ignore[attr-defined]
        return PublicContent(withdrawn=True, body="", data={}, files_public=False)
    is_relief = disclosure.content_type == ContentType.RELIEF
    return PublicContent(
        withdrawn=False,
        # a roster's covering text is about the same residents: numbers typed into it are masked too
        body=mask_numbers(disclosure.body) if is_relief else disclosure.body,
        data=public_view(disclosure.content_type, disclosure.data),
        files_public=not is_relief,
    )


def disclosures_public_find(*, on: date, category: str = "") -> QuerySet[Disclosure]:
    """The current versions a resident reads (a superseded one is reached only from its successor),
    of one category if given. Searching by words goes through the public index
    (``finder.selectors.find``), segmented and ranked."""
    qs = disclosures_public(on=on).exclude(status=DisclosureStatus.SUPERSEDED)
    if category:
        qs = qs.filter(category=category)
    return qs


def disclosures_on_display(*, on: date) -> QuerySet[Disclosure]:
    """The current public versions a bulletin board (and the e-screen) carries on ``on``, newest first:
    those whose display window runs, and fixed items past theirs whose renewal is still open — they
    never drop off while nobody has renewed them."""
    return (
        disclosures_public_find(on=on)
        .filter(public_from__lte=on)
        .filter(Q(shown_until__gte=on) | Q(awaiting_renewal=True))
    )


def disclosure_public_versions(*, disclosure: Disclosure, on: date) -> list[Disclosure]:
    """The public versions of one disclosure, first to last: a correction links to what it corrects,
    and a version nobody may see yet (a correction still in draft) is not part of the chain."""
    public = disclosures_public(on=on)
    first = disclosure
    while first.supersedes_id is not None:
        previous = public.filter(pk=first.supersedes_id).first()
        if previous is None:
            break
        first = previous
    versions = [first]
    while (following := public.filter(supersedes_id=versions[-1].pk).first()) is not None:
        versions.append(following)
    return versions


def ledger_publication_of(*, disclosure: Disclosure) -> LedgerEntry | None:
    """The ledger entry that recorded this version's publication (or its publication as a correction)."""
    return (
        LedgerEntry.objects.filter(
            disclosure=disclosure, action__in=[LedgerAction.PUBLISH, LedgerAction.CORRECT]
        )
        .order_by("seq")
        .first()
    )


def publication_previous(
    *, obligation: Obligation, content_type: str | None = None, exclude: int | None = None
) -> Disclosure | None:
    """What residents last saw of ``obligation``'s catalogue item before its period: the newest
    published version (a correction, not the version it superseded) for an earlier period, or event,
    of the same item; of ``content_type`` only, when given. What a new period's draft starts from."""
    versions = Disclosure.objects.filter(
        status__in=LOCKED_STATUSES,
        obligation__source=obligation.source,
        obligation__code=obligation.code,
        obligation__period_start__lt=obligation.period_start,
    ).exclude(status=DisclosureStatus.SUPERSEDED)
    if content_type is not None:
        versions = versions.filter(content_type=content_type)
    if exclude is not None:
        versions = versions.exclude(pk=exclude)
    versions = versions.select_related("obligation")
    return versions.order_by("-obligation__period_start", "-published_at").first()


def relief_roster_previous(
    *, obligation: Obligation | None, programme: str = "", exclude: int | None = None
) -> Disclosure | None:
    """The roster a new one follows (动态管理, 低保复审): the newest published version for an earlier
    period of the same catalogue item; for a roster outside the catalogue, the newest published roster
    of the same programme (城市低保, 临时救助 …). A superseded version is not what residents last saw."""
    if obligation is not None:
        return publication_previous(obligation=obligation, content_type=ContentType.RELIEF, exclude=exclude)
    if not programme:
        return None
    rosters = Disclosure.objects.filter(
        content_type=ContentType.RELIEF, status__in=LOCKED_STATUSES, data__programme=programme
    ).exclude(status=DisclosureStatus.SUPERSEDED)
    if exclude is not None:
        rosters = rosters.exclude(pk=exclude)
    return rosters.order_by("-published_at").first()


# --- public text for feeds and pushes ---------------------------------------------------------------

PUBLIC_SUMMARY_CHARS = 400


def _structured_summary(content_type: str, data: dict[str, Any]) -> str:
    """One line a feed reader can show for structured content (public view only)."""
    if content_type == ContentType.FINANCE and data.get("lines") is not None:
        return (
            f"收入合计 {data.get('income_total', '')} 元,支出合计 {data.get('expense_total', '')} 元,"
            f"期末余额 {data.get('closing_balance', '')} 元,共 {len(data['lines'])} 笔明细。"
        )
    if content_type == ContentType.RELIEF and data.get("households") is not None:
        return f"{data.get('programme', '')}救助对象 {len(data['households'])} 户,名单详见公开栏和网站。"
    if content_type == ContentType.PLAN and data.get("milestones") is not None:
        return f"共 {len(data['milestones'])} 个节点,进度详见网站。"
    if content_type == ContentType.CADRE and data.get("officers") is not None:
        return f"共 {len(data['officers'])} 名干部的分工和联系方式,详见网站。"
    if content_type == ContentType.SERVICE_GUIDE and data.get("steps") is not None:
        return f"办理流程共 {len(data['steps'])} 步,所需材料和时限详见网站。"
    return ""


def public_summary(disclosure: Disclosure) -> str:
    """The public text of one published version, in plain words, for a feed (or a push message)."""
    public = disclosure_public_content(disclosure)
    if public.withdrawn:
        return "公示期已满,名单已撤下。"
    text = " ".join(html.unescape(strip_tags(public.body)).split())
    summary = _structured_summary(disclosure.content_type, public.data)
    return Truncator(" ".join(part for part in (summary, text) if part)).chars(PUBLIC_SUMMARY_CHARS)
