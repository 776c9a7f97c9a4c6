"""The inspector's pages and the community's view of them."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import segno
from django.utils import timezone

from inspection import services
from inspection.models import Rectification, SpotCheck
from tests.conftest import login
from workdays.periods import Span, period_of

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def this_month() -> str:
    return period_of(Span.MONTH, timezone.localdate()).label


def as_user(client_for, login_name, code=None):
    client = client_for(code)
    login(client, login_name)
    return client


def test_the_visited_community_cannot_see_an_open_spot_check(world, client_for):
    draw = services.spot_check_draw(
        street_office=world.yinzhou,
        period="2026-11",
        sample_size=3,
        actor=world.user("yinzhou_inspector"),
        seed="fixed",
    )
    check = SpotCheck.objects.get(draw=draw, community=world.yincheng)
    secretary = as_user(client_for, "yincheng_secretary", "yincheng")
    assert "2026年11月" not in secretary.get("/workspace/inspection/").content.decode()
    services.spot_check_record(
        spot_check=check,
        actor=world.user("yinzhou_inspector"),
        visited_at=datetime(2026, 11, 20, 9, tzinfo=TZ),
        checklist={"board_current": True, "display_window_kept": True, "opinion_box": True},
    )
    assert "2026年11月" in secretary.get("/workspace/inspection/").content.decode()


def test_pages_are_for_the_street_offices_staff(world, client_for):
    for path in ("/inspection/spot-checks/", "/inspection/rectifications/"):
        assert as_user(client_for, "yinzhou_inspector").get(path).status_code == 200
        assert client_for(None).get(path).status_code == 302
    order = services.rectification_issue(
        community=world.yincheng, source="manual", issues="测试问题", actor=world.user("yinzhou_inspector")
    )
    assert (
        as_user(client_for, "dongguan_inspector").get(f"/inspection/rectifications/{order.pk}/").status_code
        == 404
    )
    other = as_user(client_for, "yinnan_secretary", "yinnan")
    assert other.get(f"/workspace/inspection/rectifications/{order.pk}/").status_code == 404


def test_a_bad_draw_says_why_in_chinese(world, client_for):
    inspector = as_user(client_for, "yinzhou_inspector")
    response = inspector.post(
        "/inspection/spot-checks/",
        {"period": this_month(), "sample_size": 9, "inspector": world.user("yinzhou_inspector").pk},
    )
    assert response.status_code == 400 and "抽取数量应在 1 到 3 之间" in response.content.decode()


def test_voting_page_refuses_a_wrong_code_and_accepts_a_right_one_once(world, client_for):
    survey = services.survey_open(
        community=world.yincheng, period="2026年度", title="", codes=2, actor=world.user("yinzhou_inspector")
    )
    first = survey.codes.first()
    assert first is not None
    code = first.code
    resident = client_for("yincheng")
    bad = resident.post("/vote/", {"code": "WRONG123", "answer": "satisfied"})
    assert bad.status_code == 400 and "投票码无效" in bad.content.decode()
    assert resident.post("/vote/", {"code": code, "answer": "basic"}).status_code == 200
    again = resident.post("/vote/", {"code": code, "answer": "satisfied"})
    assert again.status_code == 400 and "已经投过票" in again.content.decode()
    assert Rectification.objects.count() == 0


def test_open_print_and_close_a_survey_through_the_pages(world, client_for):
    inspector = as_user(client_for, "yinzhou_inspector")
    response = inspector.post(
        "/inspection/surveys/", {"community": world.yinnan.pk, "period": "2026年度", "codes": 3}
    )
    assert response.status_code == 302
    detail = response["Location"]
    slips = inspector.get(detail + "slips/").content.decode()
    from inspection.models import Survey

    survey = Survey.objects.get(community=world.yinnan)
    codes = list(survey.codes.values_list("code", flat=True))
    assert all(code in slips for code in codes) and "yinnan.localhost" in slips
    for code in codes:  # each slip's QR code opens the vote page with that slip's code filled in
        url = f"http://yinnan.localhost/vote/?code={code}"
        qr = segno.make(url, error="m").svg_inline(
            scale=3, border=2, dark="#000", light="#fff", omitsize=True
        )
        assert qr in slips
    resident = client_for("yinnan")
    opened = resident.get("/vote/", {"code": codes[0]}).content.decode()
    assert f'value="{codes[0]}"' in opened and "errorlist" not in opened and "error-summary" not in opened
    resident.post("/vote/", {"code": codes[0], "answer": "unsatisfied"})
    resident.post("/vote/", {"code": codes[1], "answer": "satisfied"})
    inspector.post(detail)
    survey.refresh_from_db()
    assert survey.satisfaction_rate == 50 and Rectification.objects.filter(survey=survey).exists()
    assert "低于 90%" in inspector.get(detail).content.decode()
    assert as_user(client_for, "dongguan_inspector").get(detail).status_code == 404


def test_assessment_and_evaluation_pages_end_to_end(world, client_for):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    from inspection.models import Assessment
    from tests.factories import PDF

    leader = as_user(client_for, "yinzhou_leader")
    response = leader.post(
        "/inspection/assessments/",
        {
            "community": world.yincheng.pk,
            "period": "2026年度",
            "inspector": world.user("yinzhou_inspector").pk,
        },
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(community=world.yincheng)
    items = list(assessment.template.items.all())
    secretary = as_user(client_for, "yincheng_secretary", "yincheng")
    form = {f"score_{i.code}": str(i.max_score) for i in items}
    bad = secretary.post(f"/workspace/inspection/assessments/{assessment.pk}/", {**form, "score_A1": "99"})
    assert bad.status_code == 400
    ok = secretary.post(
        f"/workspace/inspection/assessments/{assessment.pk}/",
        {**form, "report": SimpleUploadedFile("自查报告.pdf", PDF)},
    )
    assert ok.status_code == 302
    inspector = as_user(client_for, "yinzhou_inspector")
    scored = inspector.post(
        f"/inspection/assessments/{assessment.pk}/", {**form, "score_C1": "12", "note_C1": "9月公开逾期"}
    )
    assert scored.status_code == 302
    page = leader.get(f"/inspection/assessments/{assessment.pk}/").content.decode()
    assert "9月公开逾期" in page and "审定考核结果" in page
    leader.post("/inspection/evaluations/?year=2026", {})
    xlsx = leader.get("/inspection/evaluations/?year=2026&export=xlsx")
    sheet = load_workbook(BytesIO(xlsx.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert "银城社区" in names and "东风社区" not in names
    pdf = leader.get("/inspection/evaluations/?year=2026&export=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    approved = leader.post("/inspection/evaluations/?year=2026", {"action": "approve"}, follow=True)
    assert "已审定并向各社区公布" in approved.content.decode(), approved.content.decode()[-3000:]
    results = secretary.get("/workspace/inspection/").content.decode()
    assert "综合得分" in results and "2026 年度" in results
    # and published back to the community's residents, on its portal (000 第十九条)
    portal = client_for("yincheng").get("/").content.decode()
    assert "街道考核结果" in portal and "个社区中排第" in portal
    assert "街道考核结果" not in client_for("dongfeng").get("/").content.decode()


def test_spreadsheet_formulas_are_neutralised():
    from inspection.exports import safe_cell

    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("银城社区") == "银城社区" and safe_cell(3) == 3


def formset_post(template, **changes) -> dict[str, str]:
    items = list(template.items.all())
    data = {
        "items-TOTAL_FORMS": str(len(items) + 1),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "100",
    }
    for n, item in enumerate(items):
        for field in ("section", "code", "title", "max_score", "guidance"):
            data[f"items-{n}-{field}"] = str(getattr(item, field))
        if item.critical:
            data[f"items-{n}-critical"] = "on"
    data.update(changes)
    return data


def test_revising_the_standard_through_its_page(world, client_for):
    from inspection import services

    template = services.template_seed_default()
    n = template.items.count()
    page = as_user(client_for, "yinzhou_inspector").get("/inspection/standards/").content.decode()
    assert "评分标准" in page and "修订评分标准" not in page  # inspectors read, do not edit
    admin = as_user(client_for, "yinzhou_admin")
    bad = admin.post(
        "/inspection/standards/",
        formset_post(template, **{"items-1-code": "A1", "items-0-title": "改过的内容"}),
    )
    page = bad.content.decode()
    assert bad.status_code == 400 and "编号不能重复" in page and "改过的内容" in page  # typed text kept
    assert services.template_for(street_office=world.yinzhou) == template
    good = admin.post(
        "/inspection/standards/",
        formset_post(
            template,
            **{
                f"items-{n}-section": "意见反馈",
                f"items-{n}-code": "E2",
                f"items-{n}-title": "满意度测评",
                f"items-{n}-max_score": "5",
                "items-0-DELETE": "on",
            },
        ),
    )
    assert good.status_code == 302
    revised = services.template_for(street_office=world.yinzhou)
    assert revised != template and set(revised.items.values_list("code", flat=True)) == (
        set(template.items.values_list("code", flat=True)) - {"A1"} | {"E2"}
    )
    refused = as_user(client_for, "yinzhou_inspector").post("/inspection/standards/", formset_post(revised))
    assert refused.status_code == 403 and "街道管理员或领导" in refused.content.decode()  # a role refusal
