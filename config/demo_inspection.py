"""The street-office side of the demo: summary tables filled, a spot-check draw with one visit done,
and two satisfaction surveys — 银北 below 90 %, so its rectification order and admonishment talks
exist. Idempotent."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from inspection import services
from inspection.models import SpotCheckDraw, Survey
from tenants.models import Community, StreetOffice, User

TZ = ZoneInfo("Asia/Shanghai")


def seed_inspection(office: StreetOffice, *, today: date) -> None:
    for community in office.communities.all():
        services.compliance_refresh(community=community, on=today)
    inspector = User.objects.get(username=f"{office.code}_inspector")
    leader = User.objects.get(username=f"{office.code}_leader")
    period = f"{today.year}年{today.month}月"
    if not SpotCheckDraw.objects.filter(street_office=office, period=period).exists():
        draw = services.spot_check_draw(
            street_office=office,
            period=period,
            sample_size=2,
            actor=leader,
            inspector=inspector,
            seed=f"demo-{today:%Y%m}",
        )
        first = draw.checks.order_by("community__schema_name").first()
        if first is not None:
            services.spot_check_record(
                spot_check=first,
                actor=inspector,
                visited_at=datetime(today.year, today.month, today.day, 9, 30, tzinfo=TZ) - timedelta(days=2),
                checklist={"board_current": False, "display_window_kept": True, "opinion_box": True},
                findings="公开栏仍张贴上月内容,本月财务公开未上栏。",
            )
    year = str(today.year - 1)
    for code, satisfied, basic, unsatisfied in (("yincheng", 40, 8, 2), ("yinbei", 30, 14, 6)):
        community = Community.objects.filter(schema_name=code, street_office=office).first()
        if community is None or Survey.objects.filter(community=community, period=year).exists():
            continue
        total = satisfied + basic + unsatisfied
        survey = services.survey_open(
            community=community, period=year, title="", codes=total + 5, actor=inspector
        )
        answers = ["satisfied"] * satisfied + ["basic"] * basic + ["unsatisfied"] * unsatisfied
        for voting_code, answer in zip(survey.codes.order_by("code"), answers, strict=False):
            services.vote_cast(community=community, code=voting_code.code, answer=answer)
        services.survey_close(survey=survey, actor=inspector, today=today)
