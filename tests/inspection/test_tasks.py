"""The summary tables are refreshed by a real worker after a community's commit."""

import time
from datetime import date

import pytest
from django_tenants.utils import tenant_context

from disclosure import services as disclosure_services
from disclosure.models import Obligation
from inspection.models import ComplianceSummary
from tests.factories import here


@pytest.mark.worker
def test_a_commit_in_a_community_refreshes_its_summary_through_a_real_worker(
    committed, celery_worker_process
):
    from tenants.models import Community

    yinxin = Community.objects.get(schema_name="yinxin")
    ComplianceSummary.objects.filter(community=yinxin).delete()
    with tenant_context(yinxin):
        before = set(Obligation.objects.values_list("pk", flat=True))
    try:
        with tenant_context(yinxin):
            assert (
                disclosure_services.obligations_generate(
                    community=here(), on=date(2026, 12, 1), since=date(2026, 10, 1)
                )
                > 0
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not ComplianceSummary.objects.filter(community=yinxin).exists():
            time.sleep(0.3)
        row = ComplianceSummary.objects.filter(
            community=yinxin, period_kind="month", period="2026-11"
        ).first()
        assert row is not None, "the worker did not refresh the summary after the commit"
        assert row.due + row.not_yet_due + row.waived > 0
    finally:
        with tenant_context(yinxin):
            Obligation.objects.exclude(pk__in=before).delete()
        ComplianceSummary.objects.filter(community=yinxin).delete()
