"""The demo's plain notices (一般公告) read like the ones a community posts: each catalogue item has
its own wording and figures, instead of one sentence of filler for all of them."""

from __future__ import annotations

import random
from collections.abc import Callable

from disclosure.models import Obligation
from tenants.models import Community

Writer = Callable[[str, str, random.Random], list[str]]


def _party_structure(name: str, period: str, rng: random.Random) -> list[str]:
    members = rng.randrange(60, 160)
    return [
        f"{name}党委下设 {rng.randrange(3, 7)} 个党支部(含离退休党支部、网格党支部),"
        f"现有党员 {members} 名,其中女党员 {members * rng.randrange(35, 50) // 100} 名,"
        f"60 岁以上党员 {members * rng.randrange(40, 60) // 100} 名,流动党员 {rng.randrange(2, 9)} 名。",
        f"党委书记兼居委会主任 1 名,专职副书记 1 名,委员 {rng.randrange(3, 6)} 名;"
        "各支部均按期换届,组织关系转接按规定办理。",
        "党员可到社区党群服务中心查阅本人组织关系和党费缴纳记录。",
    ]


def _party_members(name: str, period: str, rng: random.Random) -> list[str]:
    return [
        f"经支部委员会研究、支部大会讨论,{name}党委{period}确定入党积极分子 {rng.randrange(1, 4)} 名,"
        f"发展对象 {rng.randrange(1, 3)} 名,按期转正预备党员 {rng.randrange(0, 3)} 名。",
        "对上述人员如有意见,请于公示期内向社区党委或街道党工委组织科反映,来信来电均予保密。",
    ]


def _party_decisions(name: str, period: str, rng: random.Random) -> list[str]:
    return [
        f"{period},社区党委召开会议 {rng.randrange(2, 6)} 次,传达学习上级党组织文件精神,"
        "研究老旧小区改造、垃圾分类、平安创建等重点工作。",
        f"会议决定事项 {rng.randrange(4, 12)} 项,已全部分解到包片干部并限期落实,办理结果按月公开。",
    ]


def _laws(name: str, period: str, rng: random.Random) -> list[str]:
    return [
        "本期新公开与居民生活密切相关的政策规定:《城乡居民最低生活保障审核确认办法》"
        "《残疾人两项补贴申领办理指南》《困难群众临时救助实施细则》。",
        "全文在社区服务大厅可免费取阅,也可扫码在线查看;对政策理解有疑问的,请到服务窗口咨询。",
    ]


def _charter(name: str, period: str, rng: random.Random) -> list[str]:
    return [
        f"《{name}居民自治章程》《居民公约》经居民代表会议讨论通过,现予公开。",
        "主要内容:居民会议和居民代表会议的职权与议事规则;社区事务民主决策程序;"
        "党务居务公开和民主监督制度;环境卫生、邻里互助、文明养犬等公约事项。",
        "章程全文张贴于公开栏左侧,居民如有修改建议,可向居委会或民主监督小组提出。",
    ]


def _recruiting(name: str, period: str, rng: random.Random) -> list[str]:
    return [
        f"根据街道统一部署,{name}拟招聘社区专职工作者 {rng.randrange(1, 3)} 名。",
        "报名条件:拥护党的路线方针政策,具有本市户籍,年龄 35 周岁以下,大专及以上学历;"
        "程序:报名、资格审查、笔试、面试、考察、公示、聘用。",
        "报名时间和地点以街道公告为准;招聘结果在社区公开栏公示 7 天。",
    ]


def _monthly_affairs(name: str, period: str, rng: random.Random) -> list[str]:
    return [
        f"{period}社区共受理居民办事事项 {rng.randrange(60, 180)} 件,办结率 100%;"
        f"其中出具各类证明 {rng.randrange(15, 50)} 件,代办社保、医保业务 {rng.randrange(10, 40)} 件。",
        f"开展入户走访 {rng.randrange(80, 300)} 户次,调解邻里纠纷 {rng.randrange(2, 9)} 起,"
        f"组织志愿服务活动 {rng.randrange(3, 10)} 场。",
        "上月居民反映的楼道照明、下水道堵塞等问题已全部处理,处理结果见居民意见答复栏。",
    ]


def _family_planning(name: str, period: str, rng: random.Random) -> list[str]:
    return [
        f"{period},社区新登记流动人口 {rng.randrange(20, 90)} 人,注销 {rng.randrange(10, 60)} 人,"
        f"为 {rng.randrange(5, 20)} 户家庭办理生育登记服务。",
        f"发放计划生育特别扶助金 {rng.randrange(3, 12)} 户,均已按规定张榜公示并打卡发放。",
    ]


def _housing_certificates(name: str, period: str, rng: random.Random) -> list[str]:
    return [
        f"{period}社区初审经济适用房、廉租房申请 {rng.randrange(0, 4)} 户,出具就业失业登记证明 "
        f"{rng.randrange(2, 10)} 件,应征青年初审 {rng.randrange(0, 3)} 人。",
        "初审结果已报街道复审;对初审结果有异议的,可在公示期内向社区或街道提出。",
    ]


def _residents_views(name: str, period: str, rng: random.Random) -> list[str]:
    received = rng.randrange(12, 40)
    return [
        f"{period}社区共收到居民建议、意见和投诉 {received} 件,已办结 {received - rng.randrange(0, 3)} 件,"
        "其余正在办理,将按时答复。",
        "居民关注较多的是小区停车、电动车充电和垃圾分类点设置,处理情况已在意见答复栏公开。",
    ]


def _hot_issues(name: str, period: str, rng: random.Random) -> list[str]:
    return [
        "近期居民集中反映的老旧小区加装电梯问题,社区已召开居民议事会 "
        f"{rng.randrange(1, 4)} 次,{rng.randrange(2, 6)} 个单元达成一致意见并报街道审批。",
        "其余单元继续协商,协商过程和结果将及时公开。",
    ]


def _directory(name: str, period: str, rng: random.Random) -> list[str]:
    return [
        "火警 119 · 急救 120 · 报警 110 · 供电抢修 95598 · 燃气抢修 96777 · 自来水抢修 96390。",
        f"{name}卫生服务站:工作日 8:00–17:00;附近医院:区人民医院急诊 24 小时。",
        "家电、管道维修可联系社区便民服务站登记,由签约师傅上门,收费标准在服务大厅公示。",
    ]


WRITERS: dict[str, Writer] = {
    "DW-01": _party_structure,
    "DW-05": _party_members,
    "DW-06": _party_decisions,
    "ZW-01": _laws,
    "ZW-02": _charter,
    "ZW-03": _recruiting,
    "SW-03": _monthly_affairs,
    "SW-06": _family_planning,
    "SW-07": _housing_certificates,
    "SW-09": _residents_views,
    "SW-10": _hot_issues,
    "FW-03": _directory,
}


def notice_body(ob: Obligation, rng: random.Random, community: Community) -> str:
    """The HTML body of a plain notice fulfilling ``ob``: its own paragraphs where the catalogue item is
    known, a short neutral notice for a local item."""
    period = ob.period_zh
    writer = WRITERS.get(ob.code)
    paragraphs = (
        writer(community.name, period, rng)
        if writer
        else [f"{community.name}{period}{ob.title}情况公开如下,详情请到社区服务大厅查阅。"]
    )
    return "".join(f"<p>{p}</p>" for p in paragraphs)
