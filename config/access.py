"""Who may do what: every role against every action, page, API resource and export, in one table.

This table is the promise. ``tests/test_role_matrix.py`` asserts every cell of it against the real
services and real HTTP answers (allowed and refused), and ``tests/test_isolation_crawl.py`` crawls
every URL pattern for what another community or another street office must not see.
``manage.py roles_doc`` renders it into ``docs/ROLES.md``; a test keeps that file current.

It lives in ``config`` because it speaks of every app (config knows everyone). It declares no role
set of its own: each cell reads the permission map of the app that enforces the rule
(``tenants/permissions.py``, ``communities/permissions.py``, ``disclosure/permissions.py``,
``disclosure/feedback/permissions.py``, ``inspection/permissions.py``), so the table cannot drift from
the rules, and a rule changed in its app shows up here, in ``docs/ROLES.md`` and in the matrix test.
Only the two roles that are nobody's membership (the district's API client, the anonymous resident)
are defined here. A page or route added to the URL confs without a row here fails
``test_every_url_name_has_a_row``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from communities.permissions import PROFILE_EDITORS
from disclosure.feedback.permissions import (
    ANSWER_ROLES,
    INBOX_ROLES,
    MODERATION_ROLES,
    OPINION_STAFF_ROLES,
    SUPERVISION_ROLES,
)
from disclosure.permissions import ROLE_ACTIONS
from disclosure.permissions import Action as Step
from finder.permissions import SYNONYM_EDITORS
from inspection.permissions import (
    ADMONISHMENT_RECORDERS,
    APPROVERS,
    BRIEFING_APPROVERS,
    CRITICIZERS,
    RECTIFICATION_ANSWERERS,
    REDRAWERS,
    REFERRERS,
    REIMBURSEMENT_LEADERS,
    SELF_ASSESSORS,
    STANDARD_EDITORS,
    VETO_EDITORS,
)
from tenants.choices import CommunityRole, StreetOfficeRole
from tenants.permissions import (
    ADMIN_SITE,
    COMMUNITY_MEMBERS,
    IDLE_TIMEOUT_DECIDERS,
    REVIEW_QUORUM_DECIDERS,
    STREET_STAFF,
    TWO_FACTOR_DECIDERS,
)


class Kind(StrEnum):
    COMMUNITY = "community"
    STREET_OFFICE = "street_office"
    DISTRICT = "district"
    ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    kind: Kind


ROLES: tuple[Role, ...] = (
    *(Role(r.value, str(r.label), Kind.COMMUNITY) for r in CommunityRole),
    *(Role(r.value, str(r.label), Kind.STREET_OFFICE) for r in StreetOfficeRole),
    Role("district", "区级接口客户端", Kind.DISTRICT),
    Role("anonymous", "居民(未登录)", Kind.ANONYMOUS),
)
ROLE_KEYS = tuple(r.key for r in ROLES)
assert len(set(ROLE_KEYS)) == len(ROLE_KEYS), "role keys must be unique across kinds"


class Cell(StrEnum):
    YES = "yes"
    NO = "no"
    OWN = "own"  # only on what this person wrote or was assigned to


class Group(StrEnum):
    WORKFLOW = "公开流程(拟定→审核→公布→征询→建档)"
    FEEDBACK = "居民反映的办理"
    COMMUNITY = "社区对街道、社区概况"
    STREET_OFFICE = "街道考核"
    COMMUNITY_PAGES = "社区工作台页面(社区子域名,须登录)"
    PORTAL = "居民页面(社区子域名,不须登录)"
    STREET_PAGES = "街道页面(主域名)"
    API = "区级数据接口(主域名 /api/v1/,Bearer 密钥)"
    EXPORTS = "导出与打印"


class Site(StrEnum):
    COMMUNITY = "community"  # <code>.<base>
    STREET_OFFICE = "street_office"  # <base>


@dataclass(frozen=True)
class Action:
    """One row. ``allowed`` roles may; ``own`` roles may only on their own/assigned object; everyone
    else is refused. ``urls`` are the URL names the row answers for (``ns:*`` covers a namespace)."""

    key: str
    group: Group
    label: str
    allowed: frozenset[str]
    own: frozenset[str] = frozenset()
    urls: tuple[str, ...] = ()
    site: Site = Site.COMMUNITY
    query: str = ""  # for page rows: the query string the page is opened with
    note: str = ""

    def cell(self, role: str) -> Cell:
        if role in self.allowed:
            return Cell.YES
        if role in self.own:
            return Cell.OWN
        return Cell.NO

    @property
    def is_page(self) -> bool:
        return self.group in (
            Group.COMMUNITY_PAGES,
            Group.PORTAL,
            Group.STREET_PAGES,
            Group.API,
            Group.EXPORTS,
        )


MEMBERS = COMMUNITY_MEMBERS
DRAFTERS = ROLE_ACTIONS[Step.DRAFT]
FEEDBACK_STAFF = INBOX_ROLES
STREET = STREET_STAFF
DISTRICT = frozenset({"district"})
EVERYONE = frozenset(ROLE_KEYS)
NOBODY: frozenset[str] = frozenset()


def _page(
    key: str, label: str, allowed: frozenset[str], *, group: Group | None = None, **kw: object
) -> Action:
    site = kw.pop("site", Site.COMMUNITY)
    default = Group.COMMUNITY_PAGES if site == Site.COMMUNITY else Group.STREET_PAGES
    urls = kw.pop("urls", (key,))
    return Action(
        key=f"page:{key}{kw.get('query', '') and '?' + str(kw['query'])}",
        group=group or default,
        label=label,
        allowed=allowed,
        urls=urls,  # type: ignore[arg-type]
        site=site,  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def _api(basename: str, label: str) -> Action:
    return Action(
        key=f"api:{basename}",
        group=Group.API,
        label=label,
        allowed=DISTRICT,
        urls=(f"api:{basename}-list", f"api:{basename}-detail"),
        site=Site.STREET_OFFICE,
        note="本街道范围内;其他街道的对象 404",
    )


ACTIONS: tuple[Action, ...] = (
    # --- the five steps (disclosure/services.py; disclosure/permissions.py) --------------------------
    Action("disclosure.create", Group.WORKFLOW, "拟定草稿", DRAFTERS, urls=("disclosure:new",)),
    Action(
        "disclosure.edit",
        Group.WORKFLOW,
        "修改草稿",
        NOBODY,
        own=DRAFTERS,
        urls=("disclosure:edit",),
        note="只改自己起草的(或监督小组责令重新公布时指派给经办人的)",
    ),
    Action("disclosure.attach", Group.WORKFLOW, "上传附件", NOBODY, own=DRAFTERS, urls=("disclosure:act",)),
    Action(
        "disclosure.attachment_remove",
        Group.WORKFLOW,
        "删除附件",
        NOBODY,
        own=DRAFTERS,
        urls=("disclosure:attachment_delete",),
    ),
    Action(
        "disclosure.submit",
        Group.WORKFLOW,
        "提交监督小组审核",
        ROLE_ACTIONS[Step.SUBMIT],
        urls=("disclosure:act",),
    ),
    Action("disclosure.withdraw", Group.WORKFLOW, "撤回修改", NOBODY, own=DRAFTERS, urls=("disclosure:act",)),
    Action(
        "disclosure.review",
        Group.WORKFLOW,
        "审核(同意/退回)",
        ROLE_ACTIONS[Step.REVIEW],
        urls=("disclosure:act", "disclosure:confirm"),
        note="提交时本社区监督小组成员(起草、修改过内容的人除外)被指派为审核人;同意人数达到街道设定的人数(默认过半数)即审核通过",
    ),
    Action(
        "disclosure.sign",
        Group.WORKFLOW,
        "签字确认",
        ROLE_ACTIONS[Step.SIGN],
        urls=("disclosure:act", "disclosure:confirm"),
        note="各以本人身份签;起草、修改过内容的人只能以经办人身份签",
    ),
    Action(
        "disclosure.receipts",
        Group.WORKFLOW,
        "上传、删除报账单据",
        NOBODY,
        own=DRAFTERS,
        urls=("disclosure:act",),
        note="起草人在草稿上传;上传人负责遮盖单据上的个人信息",
    ),
    Action(
        "disclosure.sign_reimbursement",
        Group.WORKFLOW,
        "报账五人签字(社区的四人)",
        ROLE_ACTIONS[Step.SIGN_REIMBURSEMENT],
        urls=("disclosure:act",),
        note="党支部、居委会、监督小组负责人和经办人各以本人身份签;起草、修改过内容的人只能以经办人身份签",
    ),
    Action(
        "reimbursement.leader_sign",
        Group.WORKFLOW,
        "报账五人签字(包社区街道领导)",
        REIMBURSEMENT_LEADERS,
        urls=("inspection:reimbursements",),
        site=Site.STREET_OFFICE,
        note="只签包联名单上的社区",
    ),
    Action(
        "disclosure.publish",
        Group.WORKFLOW,
        "公布",
        ROLE_ACTIONS[Step.PUBLISH],
        urls=("disclosure:act", "disclosure:confirm"),
    ),
    Action(
        "disclosure.correct",
        Group.WORKFLOW,
        "更正(新版本;固定公开内容修改后重新公布)",
        ROLE_ACTIONS[Step.CORRECT],
        urls=("disclosure:act", "disclosure:renew_revise"),
    ),
    Action(
        "disclosure.order_republication",
        Group.WORKFLOW,
        "责令重新公布",
        ROLE_ACTIONS[Step.ORDER_REPUBLICATION],
        urls=("disclosure:act",),
    ),
    Action(
        "disclosure.archive", Group.WORKFLOW, "归档", ROLE_ACTIONS[Step.ARCHIVE], urls=("disclosure:act",)
    ),
    Action(
        "obligation.waive",
        Group.WORKFLOW,
        "免除公开义务",
        ROLE_ACTIONS[Step.WAIVE],
        urls=("disclosure:waive",),
    ),
    Action(
        "obligation.renew",
        Group.WORKFLOW,
        "固定公开内容确认无变化并续期",
        ROLE_ACTIONS[Step.RENEW],
        urls=("disclosure:renew",),
        note="续期页面本社区成员都能打开,确认表单只给可以续期的人",
    ),
    Action(
        "obligation.record_event",
        Group.WORKFLOW,
        "登记即时公开事件",
        ROLE_ACTIONS[Step.RECORD_EVENT],
        urls=("disclosure:event",),
    ),
    Action("catalogue.add", Group.WORKFLOW, "增加本社区公开事项", ROLE_ACTIONS[Step.CATALOGUE]),
    Action(
        "pushes.connect",
        Group.WORKFLOW,
        "接入或移除推送的企业微信群",
        ROLE_ACTIONS[Step.PUBLISH],
        urls=("disclosure:group_webhook_remove",),
        note="每公布一项网站公开内容,自动推送到已接入的群",
    ),
    Action(
        "briefing.generate",
        Group.WORKFLOW,
        "生成季度工作简报草稿(之后按五步程序公开)",
        DRAFTERS,
        urls=("inspection_community:briefings",),
        note="重新生成只改自己起草的草稿;生成后修改过的须确认覆盖",
    ),
    # --- residents' feedback (disclosure/feedback/permissions.py) -------------------------------------
    Action(
        "feedback.answer",
        Group.FEEDBACK,
        "书面答复居民",
        ANSWER_ROLES,
        urls=("feedback_staff:answer",),
    ),
    Action(
        "feedback.finding",
        Group.FEEDBACK,
        "监督小组调查结论",
        SUPERVISION_ROLES,
        urls=("feedback_staff:finding",),
    ),
    Action(
        "opinion.moderate",
        Group.FEEDBACK,
        "征求意见:决定居民意见是否公开展示",
        MODERATION_ROLES,
        urls=("consult_staff:moderate",),
        note="未决定前不公开展示;公开时不显示姓名和电话",
    ),
    # --- the community towards the street office ---------------------------------------------------------
    Action(
        "rectification.answer",
        Group.COMMUNITY,
        "反馈整改情况",
        RECTIFICATION_ANSWERERS,
    ),
    Action("assessment.self_assess", Group.COMMUNITY, "提交定期考核自查", SELF_ASSESSORS),
    Action("profile.edit", Group.COMMUNITY, "修改社区概况和干部监督台", PROFILE_EDITORS),
    # --- the street office (inspection/services.py) ----------------------------------------------------
    Action(
        "spot_check.draw",
        Group.STREET_OFFICE,
        "随机抽取暗访社区",
        STREET,
        site=Site.STREET_OFFICE,
        note="每期一次,以第一次为准",
    ),
    Action(
        "spot_check.redraw",
        Group.STREET_OFFICE,
        "重新抽取暗访社区",
        REDRAWERS,
        site=Site.STREET_OFFICE,
        note="须写明理由;原抽取留档,已有社区完成暗访的不能重抽",
    ),
    Action(
        "spot_check.record",
        Group.STREET_OFFICE,
        "记录暗访结果",
        NOBODY,
        own=STREET,
        site=Site.STREET_OFFICE,
        note="只有抽取时指派的检查员",
    ),
    Action("rectification.issue", Group.STREET_OFFICE, "下达整改通知", STREET, site=Site.STREET_OFFICE),
    Action(
        "rectification.verify", Group.STREET_OFFICE, "核查整改(销号/退回)", STREET, site=Site.STREET_OFFICE
    ),
    Action(
        "rectification.admonish",
        Group.STREET_OFFICE,
        "记录诫勉谈话(整改上报之后)",
        ADMONISHMENT_RECORDERS,
        site=Site.STREET_OFFICE,
    ),
    Action(
        "rectification.criticize",
        Group.STREET_OFFICE,
        "发布通报批评(诫勉谈话之后)",
        CRITICIZERS,
        site=Site.STREET_OFFICE,
    ),
    Action(
        "rectification.refer",
        Group.STREET_OFFICE,
        "移送纪律处分(通报批评之后)",
        REFERRERS,
        site=Site.STREET_OFFICE,
    ),
    Action(
        "complaint.investigate",
        Group.STREET_OFFICE,
        "记录居民投诉的调查情况",
        STREET,
        site=Site.STREET_OFFICE,
        note="本街道所属社区的投诉",
    ),
    Action(
        "complaint.conclude",
        Group.STREET_OFFICE,
        "作出投诉调查结论并答复居民(属实的可下达整改)",
        STREET,
        urls=("inspection:complaint_conclude",),
        site=Site.STREET_OFFICE,
        note="社区看到整改通知,看不到投诉人",
    ),
    Action("survey.open", Group.STREET_OFFICE, "发起群众评议", STREET, site=Site.STREET_OFFICE),
    Action("survey.close", Group.STREET_OFFICE, "结束评议并计票", STREET, site=Site.STREET_OFFICE),
    Action("assessment.open", Group.STREET_OFFICE, "开始定期考核", STREET, site=Site.STREET_OFFICE),
    Action(
        "assessment.score",
        Group.STREET_OFFICE,
        "考核评分",
        NOBODY,
        own=STREET,
        site=Site.STREET_OFFICE,
        note="只有指派的考核组负责人",
    ),
    Action(
        "assessment.approve",
        Group.STREET_OFFICE,
        "审定考核结果",
        APPROVERS,
        site=Site.STREET_OFFICE,
    ),
    Action("evaluation.compute", Group.STREET_OFFICE, "计算综合评价", STREET, site=Site.STREET_OFFICE),
    Action(
        "evaluation.approve",
        Group.STREET_OFFICE,
        "审定并公布综合评价",
        APPROVERS,
        site=Site.STREET_OFFICE,
    ),
    Action(
        "street_briefing.generate",
        Group.STREET_OFFICE,
        "生成街道季度工作简报草稿",
        STREET,
        site=Site.STREET_OFFICE,
        note="生成后修改过的须确认覆盖",
    ),
    Action("street_briefing.edit", Group.STREET_OFFICE, "修改街道工作简报", STREET, site=Site.STREET_OFFICE),
    Action(
        "street_briefing.submit",
        Group.STREET_OFFICE,
        "街道工作简报提交领导审定",
        STREET,
        site=Site.STREET_OFFICE,
    ),
    Action(
        "street_briefing.approve",
        Group.STREET_OFFICE,
        "审定(公布)或退回街道工作简报",
        BRIEFING_APPROVERS,
        site=Site.STREET_OFFICE,
        note="审定即在主域名公布,并在各社区“工作简报”页可见",
    ),
    Action(
        "standards.revise",
        Group.STREET_OFFICE,
        "修订评分标准",
        STANDARD_EDITORS,
        site=Site.STREET_OFFICE,
    ),
    Action(
        "accountability.revise",
        Group.STREET_OFFICE,
        "修订责任追究规则(哪些问题自动下达整改通知)",
        STANDARD_EDITORS,
        site=Site.STREET_OFFICE,
    ),
    Action(
        "evaluation.vetoes",
        Group.STREET_OFFICE,
        "确定一票否决(评先创优)事项",
        VETO_EDITORS,
        site=Site.STREET_OFFICE,
        note="下次计算综合评价时起适用",
    ),
    Action(
        "synonyms.edit",
        Group.STREET_OFFICE,
        "修改检索同义词",
        SYNONYM_EDITORS,
        urls=("finder:synonyms",),
        site=Site.STREET_OFFICE,
    ),
    Action(
        "two_factor.require",
        Group.STREET_OFFICE,
        "要求本街道人员使用两步验证",
        TWO_FACTOR_DECIDERS,
        site=Site.STREET_OFFICE,
    ),
    Action(
        "session.idle_timeout",
        Group.STREET_OFFICE,
        "设置本街道及所属社区人员闲置多久自动退出",
        IDLE_TIMEOUT_DECIDERS,
        site=Site.STREET_OFFICE,
    ),
    Action(
        "review.quorum",
        Group.STREET_OFFICE,
        "设置所属社区公开内容审核通过所需的同意人数",
        REVIEW_QUORUM_DECIDERS,
        site=Site.STREET_OFFICE,
        note="默认为社区监督小组成员的过半数",
    ),
    # --- the community's workspace --------------------------------------------------------------------
    _page("workspace", "工作台首页", MEMBERS, urls=("workspace", "disclosure:workspace")),
    _page("disclosure:obligations", "公开义务", MEMBERS),
    _page("disclosure:list", "公开内容列表", MEMBERS),
    _page("disclosure:detail", "公开内容详情", MEMBERS),
    _page("disclosure:new", "新建草稿页", DRAFTERS),
    _page("disclosure:edit", "编辑页(只对起草人打开)", NOBODY, own=DRAFTERS),
    _page("disclosure:import_template", "表格导入模板(财务收支、救助名单)", DRAFTERS),
    _page("disclosure:ledger", "公开台账", MEMBERS),
    _page("disclosure:catalogue", "公开目录", MEMBERS, note="增加事项另按“增加本社区公开事项”"),
    _page(
        "disclosure:group_webhooks",
        "推送到居民群",
        MEMBERS,
        note="接入和移除另按“接入或移除推送的企业微信群”",
    ),
    _page("disclosure:attachment", "下载附件(含草稿的)", MEMBERS),
    _page("disclosure:receipt", "报账单据(含草稿的)", MEMBERS),
    _page("feedback_staff:inbox", "居民反映收件箱", FEEDBACK_STAFF),
    _page("feedback_staff:supervision", "监督小组待办", FEEDBACK_STAFF),
    _page("feedback_staff:detail", "居民反映详情", FEEDBACK_STAFF),
    _page("consult_staff:list", "征求意见(收到的居民意见)", OPINION_STAFF_ROLES),
    _page(
        "consult_staff:opinions",
        "一次征求意见的居民意见",
        OPINION_STAFF_ROLES,
        note="决定是否公开展示另按“征求意见:决定居民意见是否公开展示”",
    ),
    _page("profile_edit", "社区概况和干部监督台", PROFILE_EDITORS),
    _page(
        "notifications:list",
        "本人的通知",
        MEMBERS,
        urls=("notifications:list", "notifications:open", "notifications:read_all"),
        note="打开、标为已读只对本人的通知;别人的通知 404",
    ),
    _page("inspection_community:results", "街道考核结果", MEMBERS),
    _page("inspection_community:answer", "整改通知", MEMBERS, note="反馈另按“反馈整改情况”"),
    _page("inspection_community:answer_file", "整改佐证材料", MEMBERS),
    _page("inspection_community:self_assess", "定期考核自查页", MEMBERS, note="提交另按“提交定期考核自查”"),
    _page("inspection_community:briefings", "工作简报(生成本季度简报)", DRAFTERS),
    _page("inspection_community:street_briefing", "街道工作简报(已公布的)", MEMBERS),
    # --- the residents' pages -------------------------------------------------------------------------
    _page("portal:home", "社区首页", EVERYONE, group=Group.PORTAL),
    _page("portal:list", "公开内容", EVERYONE, group=Group.PORTAL),
    _page("portal:results", "街道考核结果(历年,已公布的)", EVERYONE, group=Group.PORTAL),
    _page("portal:detail", "公开内容详情(已公布的)", EVERYONE, group=Group.PORTAL),
    _page("portal:verify", "核对纸质公告", EVERYONE, group=Group.PORTAL),
    _page("portal:attachment", "已公布内容的附件", EVERYONE, group=Group.PORTAL),
    _page("portal:receipt", "已公布收支明细的报账单据", EVERYONE, group=Group.PORTAL),
    _page("portal:feed", "订阅(Atom)", EVERYONE, group=Group.PORTAL),
    _page("portal:feed_category", "订阅某一类(Atom)", EVERYONE, group=Group.PORTAL),
    _page("portal:sms", "短信订阅(验证码确认)", EVERYONE, group=Group.PORTAL),
    _page("portal:sms_stop", "退订短信(验证码确认)", EVERYONE, group=Group.PORTAL),
    _page("portal:sms_stop_token", "短信里的退订链接", EVERYONE, group=Group.PORTAL),
    _page("portal:screen", "电子屏", EVERYONE, group=Group.PORTAL),
    _page("portal:screen_state", "电子屏数据", EVERYONE, group=Group.PORTAL),
    _page("portal:touch", "触摸屏首页", EVERYONE, group=Group.PORTAL),
    _page("portal:touch_overview", "触摸屏·社区概况", EVERYONE, group=Group.PORTAL),
    _page("portal:touch_services", "触摸屏·办事指南", EVERYONE, group=Group.PORTAL),
    _page("portal:touch_list", "触摸屏·分类", EVERYONE, group=Group.PORTAL),
    _page("portal:touch_detail", "触摸屏·详情", EVERYONE, group=Group.PORTAL),
    _page("feedback:submit", "提出意见、异议、投诉", EVERYONE, group=Group.PORTAL),
    _page("feedback:lookup", "凭查询码查办理情况", EVERYONE, group=Group.PORTAL),
    _page("feedback:status", "办理情况(凭查询码)", EVERYONE, group=Group.PORTAL, note="查询码即凭证"),
    _page("consult:page", "征求意见:发表意见,查看公开展示的意见", EVERYONE, group=Group.PORTAL),
    _page("consult:opinion", "我的意见(凭查询码)", EVERYONE, group=Group.PORTAL, note="查询码即凭证"),
    _page("vote", "群众评议投票(凭纸条上的码)", EVERYONE, group=Group.PORTAL),
    _page("workdays:calculator", "工作日计算器", EVERYONE, group=Group.PORTAL),
    # --- the street office's site ----------------------------------------------------------------------
    _page(
        "home",
        "街道首页(居民:各社区、查找、考核结果;工作人员:工作台)",
        EVERYONE,
        site=Site.STREET_OFFICE,
    ),
    _page(
        "public_disclosures",
        "查找各社区的公开内容",
        EVERYONE,
        site=Site.STREET_OFFICE,
        note="只有已公布、已向居民公开的;链接到各社区自己的页面",
    ),
    _page("complaints:submit", "向街道投诉社区", EVERYONE, site=Site.STREET_OFFICE),
    _page("complaints:lookup", "凭查询码查投诉办理情况", EVERYONE, site=Site.STREET_OFFICE),
    _page(
        "complaints:status", "投诉办理情况(凭查询码)", EVERYONE, site=Site.STREET_OFFICE, note="查询码即凭证"
    ),
    _page(
        "public_results",
        "街道公布的考核结果(历年)",
        EVERYONE,
        site=Site.STREET_OFFICE,
        note="只有街道领导审定公布的;各街道的打印版 PDF(含审定人和盖章处)在同一页",
    ),
    _page(
        "finder:synonyms",
        "检索同义词",
        STREET,
        site=Site.STREET_OFFICE,
        note="添加、删除另按“修改检索同义词”",
    ),
    _page("inspection:dashboard", "公开情况总览", STREET, site=Site.STREET_OFFICE),
    _page(
        "inspection:community",
        "查看某社区(只读):公开任务和逾期天数",
        STREET,
        site=Site.STREET_OFFICE,
        note="本街道的社区",
    ),
    _page(
        "inspection:community_disclosure",
        "查看某社区已公布的内容(只读)",
        STREET,
        site=Site.STREET_OFFICE,
        note="本街道的社区",
    ),
    _page(
        "inspection:spot_checks", "暗访", STREET, site=Site.STREET_OFFICE, note="抽取另按“随机抽取暗访社区”"
    ),
    _page("inspection:spot_check", "暗访记录页", STREET, site=Site.STREET_OFFICE),
    _page(
        "inspection:spot_check_redraw",
        "暗访重新抽取页",
        REDRAWERS,
        site=Site.STREET_OFFICE,
        note="重抽另按“重新抽取暗访社区”",
    ),
    _page("inspection:rectifications", "整改通知", STREET, site=Site.STREET_OFFICE),
    _page(
        "inspection:reimbursements",
        "报账签字(包社区领导的待签)",
        REIMBURSEMENT_LEADERS,
        site=Site.STREET_OFFICE,
        note="签字另按“报账五人签字(包社区街道领导)”",
    ),
    _page(
        "inspection:reimbursement_receipt",
        "报账单据(包联社区的)",
        REIMBURSEMENT_LEADERS,
        site=Site.STREET_OFFICE,
        note="只看包联名单上的社区的;其他社区 404",
    ),
    _page("inspection:rectification", "整改通知详情", STREET, site=Site.STREET_OFFICE),
    _page("inspection:rectification_file", "整改佐证材料(社区上传的)", STREET, site=Site.STREET_OFFICE),
    _page("inspection:rectification_minutes", "诫勉谈话记录扫描件", STREET, site=Site.STREET_OFFICE),
    _page("inspection:complaints", "居民向街道投诉", STREET, site=Site.STREET_OFFICE),
    _page(
        "inspection:complaint",
        "居民投诉详情(含投诉人)",
        STREET,
        site=Site.STREET_OFFICE,
        note="本街道所属社区的投诉;记录调查另按“记录居民投诉的调查情况”",
    ),
    _page("inspection:surveys", "群众评议", STREET, site=Site.STREET_OFFICE),
    _page("inspection:survey", "评议详情", STREET, site=Site.STREET_OFFICE),
    _page("inspection:assessments", "定期考核", STREET, site=Site.STREET_OFFICE),
    _page("inspection:assessment", "考核详情", STREET, site=Site.STREET_OFFICE),
    _page("inspection:evaluations", "综合评价", STREET, site=Site.STREET_OFFICE),
    _page("inspection:standards", "评分标准", STREET, site=Site.STREET_OFFICE),
    _page(
        "inspection:accountability",
        "责任追究规则",
        STREET,
        site=Site.STREET_OFFICE,
        note="修订另按“修订责任追究规则”",
    ),
    _page("inspection:briefings", "街道工作简报", STREET, site=Site.STREET_OFFICE),
    _page(
        "inspection:briefing",
        "街道工作简报详情",
        STREET,
        site=Site.STREET_OFFICE,
        note="审定另按“审定(公布)或退回”",
    ),
    _page(
        "inspection:briefing_edit",
        "修改街道工作简报",
        STREET,
        site=Site.STREET_OFFICE,
        note="只在草稿或退回时打开",
    ),
    _page("briefings:list", "已公布的街道工作简报", EVERYONE, site=Site.STREET_OFFICE),
    _page("briefings:detail", "街道工作简报(已公布的)", EVERYONE, site=Site.STREET_OFFICE),
    _page("two_factor_setup", "两步验证设置", STREET, site=Site.STREET_OFFICE, note="社区子域名上一律拒绝"),
    _page(
        "admin:index",
        "街道管理后台",
        ADMIN_SITE,
        site=Site.STREET_OFFICE,
        urls=("admin:index", "admin:*"),
    ),
    # --- the district API ----------------------------------------------------------------------------------
    _api("street-office", "街道"),
    _api("community", "社区"),
    _api("compliance", "公开及时率"),
    _api("assessment", "定期考核"),
    _api("spot-check", "暗访"),
    _api("survey", "群众评议"),
    _api("rectification", "整改"),
    _api("evaluation", "综合评价"),
    _api("disclosure", "已公布的公开内容(不指定社区时为本街道全部社区)"),
    _api("ledger-head", "台账链头"),
    _api("ledger-anchor", "台账每日锚点"),
    _page("api:working-days", "工作日期限接口", EVERYONE, group=Group.API, site=Site.STREET_OFFICE),
    _page("api:schema", "接口说明(OpenAPI)", EVERYONE, group=Group.API, site=Site.STREET_OFFICE),
    _page("api:docs", "接口文档页", EVERYONE, group=Group.API, site=Site.STREET_OFFICE),
    # --- exports and print-outs ----------------------------------------------------------------------------
    _page("disclosure:report", "公开报告单 PDF", MEMBERS, group=Group.EXPORTS),
    _page(
        "disclosure:ledger", "公开台账 Excel(按当前筛选)", MEMBERS, group=Group.EXPORTS, query="export=xlsx"
    ),
    _page(
        "disclosure:ledger",
        "公开台账打印版 PDF(按当前筛选)",
        MEMBERS,
        group=Group.EXPORTS,
        query="export=pdf",
    ),
    _page("portal:notice", "纸质公告 PDF(已公布的;工作简报亦由此打印)", EVERYONE, group=Group.EXPORTS),
    _page(
        "inspection_community:street_briefing_pdf",
        "街道工作简报 PDF(已公布的)",
        MEMBERS,
        group=Group.EXPORTS,
    ),
    _page(
        "inspection:briefing_pdf",
        "街道工作简报 PDF(含草稿)",
        STREET,
        group=Group.EXPORTS,
        site=Site.STREET_OFFICE,
    ),
    _page(
        "briefings:pdf", "街道工作简报 PDF(已公布的)", EVERYONE, group=Group.EXPORTS, site=Site.STREET_OFFICE
    ),
    _page("inspection:survey_slips", "评议投票纸条", STREET, group=Group.EXPORTS, site=Site.STREET_OFFICE),
    _page(
        "inspection:evaluations",
        "综合评价 Excel",
        STREET,
        group=Group.EXPORTS,
        site=Site.STREET_OFFICE,
        query="export=xlsx",
    ),
    _page(
        "inspection:evaluations",
        "综合评价 PDF",
        STREET,
        group=Group.EXPORTS,
        site=Site.STREET_OFFICE,
        query="export=pdf",
    ),
    _page(
        "api:compliance-list",
        "接口导出 CSV(任一资源 ?format=csv)",
        DISTRICT,
        group=Group.EXPORTS,
        site=Site.STREET_OFFICE,
        query="format=csv",
    ),
    _page(
        "api:compliance-list",
        "接口导出 Excel(任一资源 ?format=xlsx)",
        DISTRICT,
        group=Group.EXPORTS,
        site=Site.STREET_OFFICE,
        query="format=xlsx",
    ),
)

# URL names with no row: how each is guarded instead.
EXEMPT_URLS: dict[str, str] = {
    "login": "登录页:社区子域名只许本社区成员登录,主域名只许街道工作人员登录",
    "logout": "退出",
    "two_factor_verify": "登录的第二步,只在输入密码之后",
    "password_change": "本人修改密码(须登录)",
    "password_change_done": "本人修改密码(须登录)",
    "password_reset": "找回密码(不透露账号是否存在)",
    "password_reset_done": "找回密码",
    "password_reset_confirm": "找回密码(凭邮件里的一次性链接)",
    "password_reset_complete": "找回密码",
    "healthz": "健康检查,只答 ok/503",
    "display": "大字、高对比度、语言切换(适老化):本人自选,记在本人浏览器里,转回原页面",
    "api:not-found": "其他 /api/ 路径一律 404",
}


def action(key: str) -> Action:
    for row in ACTIONS:
        if row.key == key:
            return row
    raise KeyError(key)


def covers(url_name: str) -> bool:
    """Whether a row (or the exemption list) answers for this URL name."""
    if url_name in EXEMPT_URLS:
        return True
    for row in ACTIONS:
        for pattern in row.urls:
            if pattern == url_name or (pattern.endswith(":*") and url_name.startswith(pattern[:-1])):
                return True
    return False


MARKS = {Cell.YES: "✓", Cell.OWN: "本人", Cell.NO: "—"}


def render_markdown() -> str:
    """docs/ROLES.md: one table per group, a column per role."""
    lines = [
        "# 角色与权限 · Roles and permissions",
        "",
        "<!-- Generated by `python manage.py roles_doc` from config/access.py; do not edit by hand. -->",
        "",
        "每一格都由 `tests/test_role_matrix.py` 对真实的服务和真实的 HTTP 应答逐格检验"
        "(允许的和拒绝的都检验)。"
        "另一个社区、另一个街道能否看到本社区的东西,由 `tests/test_isolation_crawl.py` 逐个网址检验。",
        "",
        "Every cell is asserted by `tests/test_role_matrix.py` against the real services and HTTP answers; "
        "`tests/test_isolation_crawl.py` crawls every URL for cross-community and cross-street-office leaks.",
        "",
        f"{MARKS[Cell.YES]} 可以 · {MARKS[Cell.OWN]} 只限本人起草的或被指派的 · {MARKS[Cell.NO]} 不可以"
        "(页面:未登录转到登录页,已登录的答 403/404)",
        "",
        "角色 / roles: " + ";".join(f"`{r.key}` {r.label}" for r in ROLES),
        "",
    ]
    header = "| 操作 | " + " | ".join(r.label for r in ROLES) + " | 说明 |"
    rule = "|---|" + "---|" * len(ROLES) + "---|"
    for group in Group:
        rows = [a for a in ACTIONS if a.group == group]
        if not rows:
            continue
        lines += [f"## {group.value}", "", header, rule]
        for row in rows:
            where = f" `{row.urls[0]}{'?' + row.query if row.query else ''}`" if row.is_page else ""
            cells = " | ".join(MARKS[row.cell(r.key)] for r in ROLES)
            lines.append(f"| {row.label}{where} | {cells} | {row.note} |")
        lines.append("")
    lines += ["## 不单列的网址 / URLs without a row", ""]
    lines += [f"- `{name}`: {why}" for name, why in EXEMPT_URLS.items()]
    lines.append("")
    return "\n".join(lines)
