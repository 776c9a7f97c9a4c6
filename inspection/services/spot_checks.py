"""暗访 (平时考核, 000 第十八条(一)): a reproducible random draw of communities, once per period (a
redraw is the leader's, with a written reason, and leaves the earlier draw on the record), then the
assigned inspector's record of each unannounced visit; a failed checklist item opens a rectification
order."""

from __future__ import annotations

import random
import secrets
from datetime import datetime
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from inspection import permissions
from inspection.choices import RectificationSource, SpotCheckStatus
from inspection.models import REDRAW_REASON_LIMIT, SpotCheck, SpotCheckDraw, SpotCheckPhoto
from inspection.services.accountability_rules import rule_for
from inspection.services.failures import PUBLIC_URLS, Failure, failure_key, failure_open, link
from inspection.services.staff import require_street_staff
from tenants.audit import audit_record
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tenants.models import Community, StreetOffice, User
from tenants.uploads import upload_check, upload_store
from workdays.dates import zh_date, zh_datetime
from workdays.periods import period_parse, period_zh

CHECKLIST = ("board_current", "display_window_kept", "opinion_box")
CHECKLIST_LABELS = {
    "board_current": "公开栏内容不是当期的",
    "display_window_kept": "公示期未满的内容已撤下",
    "opinion_box": "意见箱缺失或无法使用",
}
PHOTO_TYPES = {"image/jpeg": "JPG 图片", "image/png": "PNG 图片"}
MAX_PHOTO_BYTES = 10 * 1024 * 1024


def draw_sample(*, population: list[str], sample_size: int, seed: str) -> list[str]:
    """The same population and seed always give the same sample, on any machine."""
    return random.Random(seed).sample(sorted(population), sample_size)


def _period_label(period: str) -> str:
    """A draw is for one period (a month, a quarter …), named by its label: the rule "once per period"
    needs one spelling of each."""
    period = period.strip()
    if not period:
        raise InvalidInput(_("请选择所属期。"))
    try:
        return period_parse(period).label
    except ValueError:
        raise InvalidInput(_("所属期无效,请从列表中选择月份或季度。")) from None


def _sample(
    *,
    street_office: StreetOffice,
    period: str,
    sample_size: int,
    actor: User,
    inspector: User | None,
    seed: str | None,
    replaces: SpotCheckDraw | None = None,
    reason: str = "",
) -> SpotCheckDraw:
    """Draw ``sample_size`` of the street office's active communities and plan a visit to each, which
    only ``inspector`` may record."""
    population = sorted(
        street_office.communities.filter(is_active=True).values_list("schema_name", flat=True)
    )
    if not 1 <= sample_size <= len(population):
        raise InvalidInput(_("抽取数量应在 1 到 %(len)s 之间。") % {"len": len(population)})
    inspector = inspector or actor
    require_street_staff(inspector, street_office.pk)
    seed = seed or secrets.token_hex(16)
    drawn = draw_sample(population=population, sample_size=sample_size, seed=seed)
    draw = SpotCheckDraw.objects.create(
        street_office=street_office,
        period=period,
        seed=seed,
        sample_size=sample_size,
        population=population,
        drawn=drawn,
        drawn_by=actor,
        replaces=replaces,
        reason=reason,
    )
    for code in drawn:
        check = SpotCheck.objects.create(
            draw=draw, community=Community.objects.get(schema_name=code), inspector=inspector
        )
        assign_perm(permissions.RECORD_SPOT_CHECK, inspector, check)
        audit_record(check, actor, "", check.status, reason)
    return draw


@transaction.atomic
def spot_check_draw(
    *,
    street_office: StreetOffice,
    period: str,
    sample_size: int,
    actor: User,
    inspector: User | None = None,
    seed: str | None = None,
) -> SpotCheckDraw:
    """The first draw of a period, and the only one this makes: a period already drawn is refused (the
    draw stands; the leader may redraw it with a reason, ``spot_check_redraw``)."""
    require_street_staff(actor, street_office.pk)
    label = _period_label(period)
    StreetOffice.objects.select_for_update().get(pk=street_office.pk)  # one draw at a time per office
    earlier = (
        SpotCheckDraw.objects.filter(street_office=street_office, period=label, replaces__isnull=True)
        .select_related("drawn_by")
        .first()
    )
    if earlier is not None:
        raise Conflict(
            f"{period_zh(label)}已经抽取过({earlier.drawn_by} {zh_datetime(earlier.created_at)}),"
            f"抽取结果以第一次为准。"
            f"确需重新抽取的,由街道领导在这次抽取下写明理由重抽。"
        )
    return _sample(
        street_office=street_office,
        period=label,
        sample_size=sample_size,
        actor=actor,
        inspector=inspector,
        seed=seed,
    )


@transaction.atomic
def spot_check_redraw(
    *,
    draw: SpotCheckDraw,
    reason: str,
    sample_size: int,
    actor: User,
    inspector: User | None = None,
    seed: str | None = None,
) -> SpotCheckDraw:
    """The leader sets a period's current draw aside and draws again, saying why. The earlier draw stays
    on the record, marked as replaced (by whom, when, why: the new draw's own row); its visits not yet
    made are called off. A draw whose visits have begun, or that was already replaced, cannot be."""
    roles = require_street_staff(actor, draw.street_office_id)
    if not permissions.can_redraw(roles):
        raise NotAllowed(permissions.REDRAW_REFUSED)
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("请写明重新抽取的理由:第一次抽取为准,重抽须有书面理由。"))
    if len(reason) > REDRAW_REASON_LIMIT:
        raise InvalidInput(
            _("重抽理由不能超过 %(REDRAW_REASON_LIMIT)s 个字。")
            % {"REDRAW_REASON_LIMIT": REDRAW_REASON_LIMIT}
        )
    street_office = StreetOffice.objects.select_for_update().get(pk=draw.street_office_id)
    if SpotCheckDraw.objects.filter(replaces=draw).exists():
        raise Conflict(_("这次抽取已经被重抽替代,请在最新的一次抽取下操作。"))
    checks = SpotCheck.objects.select_for_update().filter(draw=draw)
    if checks.exclude(status=SpotCheckStatus.PLANNED).exists():
        raise Conflict(_("这次抽取已有社区完成暗访,不能再重新抽取。"))
    for check in checks:
        audit_record(check, actor, check.status, SpotCheckStatus.REDRAWN, reason)
    checks.update(status=SpotCheckStatus.REDRAWN, updated_at=timezone.now())
    return _sample(
        street_office=street_office,
        period=draw.period,
        sample_size=sample_size,
        actor=actor,
        inspector=inspector,
        seed=seed,
        replaces=draw,
        reason=reason,
    )


@transaction.atomic
def spot_check_record(
    *,
    spot_check: SpotCheck,
    actor: User,
    visited_at: datetime,
    checklist: dict[str, bool],
    findings: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    photos: list[UploadedFile] | None = None,
) -> SpotCheck:
    """Only the assigned inspector records; a failed checklist item opens a rectification order."""
    spot_check = SpotCheck.objects.select_for_update().get(pk=spot_check.pk)
    if not actor.has_perm(permissions.RECORD_SPOT_CHECK, spot_check):
        raise NotAllowed(permissions.RECORD_REFUSED)
    if spot_check.status == SpotCheckStatus.COMPLETED:
        raise Conflict(_("这次暗访已经记录完成。"))
    if spot_check.status == SpotCheckStatus.REDRAWN:
        raise Conflict(_("这次抽取已经重抽,这个社区不再暗访。"))
    if set(checklist) != set(CHECKLIST):
        raise InvalidInput(_("请逐项勾选检查结果。"))
    if (latitude is not None and not -90 <= latitude <= 90) or (
        longitude is not None and not -180 <= longitude <= 180
    ):
        raise InvalidInput(_("位置坐标无效。"))
    # Every photo is checked before anything is written: a bad one refuses the whole record. Where a
    # photo was taken is evidence of the visit: its GPS position is kept (all other metadata goes).
    checked_photos = [
        upload_check(
            photo, allowed=PHOTO_TYPES, max_bytes=MAX_PHOTO_BYTES, what=f"第 {n} 张照片", keep_location=True
        )
        for n, photo in enumerate(photos or [], start=1)
    ]
    for name in CHECKLIST:
        setattr(spot_check, name, bool(checklist[name]))
    spot_check.visited_at = visited_at
    spot_check.latitude, spot_check.longitude = latitude, longitude
    spot_check.findings = findings.strip()
    spot_check.score = Decimal(100 * sum(bool(checklist[n]) for n in CHECKLIST) / len(CHECKLIST)).quantize(
        Decimal("0.1")
    )
    previous = spot_check.status
    spot_check.status = SpotCheckStatus.COMPLETED
    spot_check.save()
    audit_record(spot_check, actor, previous, spot_check.status, f"得分 {spot_check.score}")
    for checked in checked_photos:
        record = SpotCheckPhoto(spot_check=spot_check, taken_at=visited_at, sha256=checked.sha256)
        name = f"{spot_check.community.schema_name}-{checked.sha256[:16]}.{checked.extension}"
        upload_store(record.image, name, checked)
        record.save()
    failure = spot_check_failure(spot_check)
    version, rule = rule_for(
        street_office_id=spot_check.community.street_office_id, kind=RectificationSource.SPOT_CHECK
    )
    if failure is not None and rule.on:
        failure_open(
            community=spot_check.community,
            kind=RectificationSource.SPOT_CHECK,
            failure=failure,
            rule=rule,
            version=version,
            on=timezone.localdate(visited_at),
            actor=actor,
        )
    return spot_check


def spot_check_failure(spot_check: SpotCheck) -> Failure | None:
    """A completed visit with an item failed: the one description the visit's own order and the
    evaluator share."""
    failed = [CHECKLIST_LABELS[n] for n in CHECKLIST if getattr(spot_check, n) is False]
    if not failed:
        return None
    issues = ";".join(failed) + (f"。检查员记录:{spot_check.findings}" if spot_check.findings else "")
    url = reverse("inspection:spot_check", args=[spot_check.pk], urlconf=PUBLIC_URLS)
    return Failure(
        key=failure_key(RectificationSource.SPOT_CHECK, spot_check.community, spot_check.pk),
        issues=issues,
        spot_check=spot_check,
        evidence=[
            link(f"暗访记录({zh_date(spot_check.visited_at)}):{label}", street_url=url) for label in failed
        ],
    )
