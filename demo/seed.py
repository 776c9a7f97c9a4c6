"""Demo data from the experience report (004): 银州镇办事处 and its four communities, with a user for
every role. Idempotent: running it again changes nothing that is already there."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from communities.choices import CommitteeKind
from communities.models import Committee, CommunityProfile, Officer
from demo.complaints import seed_complaints
from demo.disclosures import seed_disclosures
from demo.inspection import seed_accountability, seed_inspection
from disclosure import services as disclosure_services
from disclosure.models import SmsSubscriber
from standards.seed import catalogue_seed
from tenants import services
from tenants.choices import CommunityRole, StreetOfficeRole
from tenants.models import Community, StreetOffice, User

DEMO_PASSWORD = "Gongkai@2026"
STREET_OFFICE = {"code": "yinzhou", "name": "银州镇办事处", "district": "县城中心"}


@dataclass(frozen=True)
class DemoCommunity:
    code: str
    name: str
    address: str
    population: int
    households: int
    lanes: tuple[str, ...]
    people: dict[str, str]  # role -> real name


COMMUNITIES = [
    DemoCommunity(
        "yincheng",
        "银城社区",
        "银州镇银城路 12 号",
        18200,
        6100,
        ("东风巷", "银城路北段", "文化巷"),
        {
            "secretary": "王建华",
            "director": "李秀兰",
            "deputy": "赵志刚",
            "handler": "陈静",
            "supervisor": "刘德明",
            "supervision_head": "马文斌",
            "finance": "孙桂芳",
            "representative": "周国强",
        },
    ),
    DemoCommunity(
        "yinnan",
        "银南社区",
        "银州镇南关街 8 号",
        17600,
        5800,
        ("南关街", "粮站巷", "河滨路"),
        {
            "secretary": "张卫东",
            "director": "杨红梅",
            "deputy": "吴海波",
            "handler": "郑丽",
            "supervisor": "马永祥",
            "supervision_head": "田玉兰",
            "finance": "胡玉珍",
            "representative": "高文斌",
        },
    ),
    DemoCommunity(
        "yinbei",
        "银北社区",
        "银州镇北环路 36 号",
        16900,
        5500,
        ("北环路", "新华巷", "车站路"),
        {
            "secretary": "何志强",
            "director": "罗春燕",
            "deputy": "梁建军",
            "handler": "宋晓燕",
            "supervisor": "谢宝山",
            "supervision_head": "孔繁荣",
            "finance": "韩淑英",
            "representative": "唐振华",
        },
    ),
    DemoCommunity(
        "yinxin",
        "银新社区",
        "银州镇新区大道 101 号",
        16300,
        5300,
        ("新区大道", "光明巷", "学府路"),
        {
            "secretary": "冯立新",
            "director": "董丽娟",
            "deputy": "袁国庆",
            "handler": "邓婷",
            "supervisor": "许长青",
            "supervision_head": "白秀珍",
            "finance": "曹凤英",
            "representative": "彭建国",
        },
    ),
]
STREET_PEOPLE = {"admin": "蒋文涛", "leader": "沈国华", "inspector": "韩雪"}

POSTS = {
    "secretary": (CommitteeKind.PARTY, "党支部书记", "全面工作、党建、党务公开"),
    "director": (CommitteeKind.RESIDENTS, "居委会主任", "居务公开、财务、民生事务"),
    "deputy": (CommitteeKind.RESIDENTS, "居委会副主任", "综治、计生、公共设施"),
    "handler": (CommitteeKind.RESIDENTS, "社区专干", "公开资料录入、台帐、低保"),
    "supervisor": (CommitteeKind.SUPERVISION, "监督小组成员", "审查公开内容、受理居民异议"),
    "supervision_head": (CommitteeKind.SUPERVISION, "监督小组组长", "主持监督小组工作,在报账单据上签字"),
    "finance": (CommitteeKind.FINANCE, "理财小组组长", "审核财务收支"),
}


def _user(login: str, real_name: str, index: int) -> User:
    user = User.objects.filter(username=login).first()
    if user is None:
        user = User(
            username=login, real_name=real_name, email=f"{login}@demo.invalid", mobile=f"139{index:08d}"
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


@transaction.atomic
def seed() -> list[str]:
    """Create what is missing; return the demo logins."""
    office = StreetOffice.objects.filter(code=STREET_OFFICE["code"]).first()
    if office is None:
        office = services.street_office_create(**STREET_OFFICE)
    catalogue_seed(street_office=office, valid_from=date(2025, 1, 1))
    logins: list[str] = []
    index = 1
    for demo in COMMUNITIES:
        community = Community.objects.filter(schema_name=demo.code).first()
        if community is None:
            community = services.community_create(
                code=demo.code, name=demo.name, street_office=office, address=demo.address
            )
        for role in CommunityRole:
            login = f"{demo.code}_{role.value}"
            user = _user(login, demo.people[role.value], index)
            index += 1
            services.membership_grant(user=user, community=community, role=role)
            logins.append(login)
        _seed_profile(demo, community)
    for office_role in StreetOfficeRole:
        login = f"{office.code}_{office_role.value}"
        user = _user(login, STREET_PEOPLE[office_role.value], index)
        index += 1
        in_charge = list(office.communities.all()) if office_role == StreetOfficeRole.LEADER else None
        services.street_office_membership_grant(
            user=user, street_office=office, role=office_role, communities_in_charge=in_charge
        )
        logins.append(login)
    today = timezone.localdate()
    for community in office.communities.all():
        with tenant_context(community):
            seed_disclosures(community, today=today)
            # a demo seeded before the public index existed gets its entries (nothing to do otherwise)
            disclosure_services.public_index_reconcile(community=community)
    # after the disclosures, so the demo's own publications are not texted to them
    with tenant_context(Community.objects.get(schema_name=COMMUNITIES[0].code)):
        _seed_sms_subscribers()
    seed_inspection(office, today=today)
    logins += seed_complaints(office, today=today, make_user=_user)
    seed_accountability(office, today=today)
    return logins


# Residents subscribed to texts in the first community (the console backend logs what they are sent):
# the staff's 推送到居民群 page counts them per category. Demo numbers, in no page.
SMS_SUBSCRIBERS = [
    ("13700000001", []),
    ("13700000002", ["finance"]),
    ("13700000003", ["finance", "affairs"]),
    ("13700000004", ["service"]),
]


def _seed_sms_subscribers() -> None:
    for mobile, categories in SMS_SUBSCRIBERS:
        SmsSubscriber.objects.get_or_create(
            mobile=mobile, defaults={"categories": categories, "token": secrets.token_urlsafe(16)}
        )


def _seed_profile(demo: DemoCommunity, community: Community) -> None:
    with schema_context(demo.code):
        CommunityProfile.objects.filter(id=1).update(
            overview=(
                f"{demo.name}隶属{community.street_office.name},位于县城中心,"
                f"辖{'、'.join(demo.lanes)}等巷道。社区设党支部、居民委员会、民主监督小组和民主理财小组。"
            ),
            population=demo.population,
            households=demo.households,
            office_hours="周一至周五 8:30–12:00,14:30–18:00;周六上午值班",
            phone="0000-1234567",
        )
        if Officer.objects.exists():
            return
        committees = {c.kind: c for c in Committee.objects.all()}
        for order, (role, (kind, post, duties)) in enumerate(POSTS.items()):
            user = User.objects.get(username=f"{demo.code}_{role}")
            Officer.objects.create(
                committee=committees[kind],
                name=demo.people[role],
                post=post,
                duties=duties,
                area_covered=demo.lanes[order % len(demo.lanes)],
                phone=f"139{COMMUNITIES.index(demo):02d}{order + 1:02d}{demo.population % 10000:04d}",
                user=user,
                sort_order=order,
            )


DISTRICT_CLIENT = "区纪委(演示)"


def district_key() -> str:
    """The demo district client: it reads every street office of 银州镇's district (银州镇 and 东关); its
    key is rotated so it can be printed again."""
    from api import services as api_services
    from api.models import ApiClient

    client = ApiClient.objects.filter(name=DISTRICT_CLIENT).first()
    if client is None:
        office = StreetOffice.objects.get(code=STREET_OFFICE["code"])
        client, key = api_services.apiclient_create(name=DISTRICT_CLIENT, district=office.district)
        return key
    return api_services.apiclient_rotate(client=client)
