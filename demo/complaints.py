"""The demo's residents' complaint to the street office (000 第十五条) and the district above it: a
resident's signed complaint about 银城社区 that the street office investigated, upheld and turned into
an order; and 东关街道办事处, a second, small street office of the same district (one community, its own
admin and inspector), so that the district's API client sees two street offices. Idempotent: what
exists is left as it is."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from inspection import selectors, services
from inspection.choices import ComplaintFinding
from inspection.models import Complaint
from standards.seed import catalogue_seed
from tenants import services as tenant_services
from tenants.choices import CommunityRole, StreetOfficeRole
from tenants.models import Community, StreetOffice, User

SECOND_OFFICE = {"code": "dongguan", "name": "东关街道办事处"}
SECOND_COMMUNITY = {"code": "dongfeng", "name": "东风社区", "address": "东关街道东风路 3 号"}
SECOND_PEOPLE = {
    "dongguan_admin": ("杜明远", StreetOfficeRole.ADMIN),
    "dongguan_inspector": ("罗晓燕", StreetOfficeRole.INSPECTOR),
}
SECOND_COMMUNITY_PEOPLE = {CommunityRole.SECRETARY: "钱卫东", CommunityRole.DIRECTOR: "郑丽华"}
COMPLAINED_ABOUT = "yincheng"
COMPLAINANT = ("吴桂英", "13700001234")
# the demo's users are numbered for their mobile numbers; these come after the first street office's
FIRST_INDEX = 900


def seed_complaints(
    office: StreetOffice, *, today: date, make_user: Callable[[str, str, int], User]
) -> list[str]:
    """The second street office and the upheld complaint; returns the second office's demo logins."""
    logins = _second_office(office, make_user=make_user)
    _upheld_complaint(office, today=today)
    return logins


def _second_office(first: StreetOffice, *, make_user: Callable[[str, str, int], User]) -> list[str]:
    office = StreetOffice.objects.filter(code=SECOND_OFFICE["code"]).first()
    if office is None:
        office = tenant_services.street_office_create(
            **SECOND_OFFICE, district=first.district.name if first.district else ""
        )
    catalogue_seed(street_office=office, valid_from=date(2025, 1, 1))
    community = Community.objects.filter(schema_name=SECOND_COMMUNITY["code"]).first()
    if community is None:
        community = tenant_services.community_create(**SECOND_COMMUNITY, street_office=office)
    logins = []
    index = FIRST_INDEX
    for login, (real_name, role) in SECOND_PEOPLE.items():
        user = make_user(login, real_name, index)
        index += 1
        tenant_services.street_office_membership_grant(user=user, street_office=office, role=role)
        logins.append(login)
    for community_role, real_name in SECOND_COMMUNITY_PEOPLE.items():
        login = f"{community.schema_name}_{community_role.value}"
        user = make_user(login, real_name, index)
        index += 1
        tenant_services.membership_grant(user=user, community=community, role=community_role)
        logins.append(login)
    return logins


def _upheld_complaint(office: StreetOffice, *, today: date) -> None:
    """A signed resident's complaint about a 低保 list of 银城, investigated and upheld, with the order it
    opened; the community sees the order and not the resident."""
    community = Community.objects.filter(schema_name=COMPLAINED_ABOUT, street_office=office).first()
    if community is None or Complaint.objects.filter(community=community).exists():
        return
    items = list(selectors.complaint_items(community=community, on=today))
    if not items:
        return
    item = next((e for e in items if "低保" in e.title), items[0])
    name, mobile = COMPLAINANT
    complaint = services.complaint_submit(
        community=community,
        disclosure_id=item.disclosure_id,
        text="公示的低保名单只有姓名,没有写家庭人口和困难情况;我向社区反映过,一直没有答复。",
        name=name,
        mobile=mobile,
        today=today,
    )
    inspector = User.objects.get(username=f"{office.code}_inspector")
    services.complaint_note_add(
        complaint=complaint,
        actor=inspector,
        text="到社区公开栏和网站核对:名单确实只列姓名;社区居民反映登记簿上有该居民的反映,未答复。",
    )
    services.complaint_conclude(
        complaint=complaint,
        actor=inspector,
        finding=ComplaintFinding.UPHELD,
        answer="经街道调查,您反映的情况属实。街道已责令社区按要求补充公布低保对象的家庭人口和困难情况,"
        "并向您书面说明。整改情况街道将跟踪核查。",
        open_order=True,
        issues=f"“{item.title}”只列姓名,未公布家庭人口和困难情况(004 ⑴ 低保名单须具体)。"
        "请补充公布,并书面反馈整改情况。",
        today=today,
    )
