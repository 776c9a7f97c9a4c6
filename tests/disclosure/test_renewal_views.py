"""A fixed item due for renewal on the staff's pages: the obligations page offers 修改后重新公布 and
内容无变化,确认续期; the renewal's own page takes the confirmation with its note in the manner of GOV.UK;
roles that may not are refused with the reason."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure import permissions, services
from disclosure.models import Disclosure, DisplayExtension, Obligation
from disclosure.permissions import Action
from tests.conftest import login
from tests.factories import renewal_opened

pytestmark = pytest.mark.django_db


@pytest.fixture
def renewal(world) -> Obligation:  # type: ignore[no-untyped-def]
    """A fixed item published 360 days ago: its display ends in five days, its renewal is open."""
    today = timezone.localdate()
    with tenant_context(world.yincheng):
        return renewal_opened(world, published_on=today - timedelta(days=360), on=today)


def signed_in(client_for, role: str):  # type: ignore[no-untyped-def]
    client = client_for("yincheng")
    login(client, f"yincheng_{role}")
    return client


def test_the_obligations_page_offers_both_ways_to_renew_once(renewal, client_for):
    html = signed_in(client_for, "director").get("/workspace/obligations/").content.decode()
    assert "固定公开内容续期" in html
    assert f'action="/workspace/obligations/{renewal.pk}/renew/revise/"' in html
    assert f'action="/workspace/obligations/{renewal.pk}/renew/"' in html
    assert "内容无变化,确认续期" in html and "修改后重新公布" in html
    assert html.count(f'href="/workspace/obligations/{renewal.pk}/renew/"') == 1  # not again among the rest
    assert f"/workspace/disclosures/new/?obligation={renewal.pk}" not in html


def test_the_supervision_group_sees_the_renewal_but_no_form_and_is_refused(renewal, client_for):
    client = signed_in(client_for, "supervisor")
    html = client.get("/workspace/obligations/").content.decode()
    assert "固定公开内容续期" in html
    assert f'action="/workspace/obligations/{renewal.pk}/renew/' not in html
    page = client.get(f"/workspace/obligations/{renewal.pk}/renew/")
    assert page.status_code == 200 and 'name="note"' not in page.content.decode()
    refused = client.post(f"/workspace/obligations/{renewal.pk}/renew/", {"note": "核对无变化"})
    assert refused.status_code == 403
    assert permissions.refusal(Action.RENEW) in refused.content.decode()
    revise = client.post(f"/workspace/obligations/{renewal.pk}/renew/revise/")
    assert revise.status_code == 403
    assert permissions.refusal(Action.CORRECT) in revise.content.decode()
    assert not DisplayExtension.objects.exists()


def test_confirming_on_the_renewal_page_says_until_when(world, renewal, client_for):
    client = signed_in(client_for, "director")
    page = client.get(f"/workspace/obligations/{renewal.pk}/renew/").content.decode()
    assert "现在公示的一版" in page and "确认后公示期延至" in page
    response = client.post(
        f"/workspace/obligations/{renewal.pk}/renew/", {"note": "已逐项核对,无变化"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/workspace/obligations/"
    with tenant_context(world.yincheng):
        extension = DisplayExtension.objects.get(obligation=renewal)
    end = extension.display_until
    assert f"公示期延至 {end.year}年{end.month}月{end.day}日" in response.content.decode()
    tracker = client.get(f"/workspace/disclosures/{renewal.renews_id}/").content.decode()
    assert f"确认内容无变化,续期至 {end.year}年{end.month}月{end.day}日" in tracker


def test_a_missing_or_too_long_note_comes_back_with_the_error_summary_and_the_text_kept(
    world, renewal, client_for
):
    client = signed_in(client_for, "handler")
    empty = client.post(f"/workspace/obligations/{renewal.pk}/renew/", {"note": ""})
    html = empty.content.decode()
    assert empty.status_code == 400
    assert "提交的内容有问题" in html and 'href="#id_note"' in html and "请填写核对说明" in html
    long_note = "核" * 301
    too_long = client.post(f"/workspace/obligations/{renewal.pk}/renew/", {"note": long_note})
    assert too_long.status_code == 400 and long_note in too_long.content.decode()
    with tenant_context(world.yincheng):
        assert not DisplayExtension.objects.exists()


def test_revising_opens_the_next_versions_editor(world, renewal, client_for):
    response = signed_in(client_for, "handler").post(f"/workspace/obligations/{renewal.pk}/renew/revise/")
    assert response.status_code == 302
    match = re.fullmatch(r"/workspace/disclosures/(\d+)/edit/", response["Location"])
    assert match is not None
    with tenant_context(world.yincheng):
        draft = Disclosure.objects.get(pk=int(match[1]))
        assert (draft.supersedes_id, draft.obligation_id) == (renewal.renews_id, renewal.pk)


def test_another_obligation_has_no_renewal_page(world, renewal, client_for):
    with tenant_context(world.yincheng):
        other = Obligation.objects.filter(renews__isnull=True).first()
        assert other is not None
    assert (
        signed_in(client_for, "director").get(f"/workspace/obligations/{other.pk}/renew/").status_code == 404
    )


def test_the_handlers_queue_leads_a_lapsed_renewal_to_its_page(world, client_for):
    today = timezone.localdate()
    with tenant_context(world.yincheng):
        renewal = renewal_opened(world, published_on=today - timedelta(days=400), on=today)
        services.obligations_refresh(community=world.yincheng, on=today)
    html = signed_in(client_for, "handler").get("/workspace/").content.decode()
    assert f'href="/workspace/obligations/{renewal.pk}/renew/"' in html and "复核续期" in html
