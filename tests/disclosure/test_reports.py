"""The report form (报告单) a community files for each publication: a PDF in Chinese that carries the
publication, its signatories and its content hash."""

import io

import pytest
from pypdf import PdfReader

from disclosure.reports import report_form_pdf
from tests.factories import published

pytestmark = pytest.mark.django_db


def test_the_report_form_pdf_carries_the_publication_in_chinese(world, in_yincheng):
    d = published(world)
    pdf = report_form_pdf(d, community_name="银城社区")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for expected in (
        "社区党务、居务公开报告单",
        "银城社区",
        d.title,
        "党组织书记",
        d.content_hash[:32],
        "公开栏",
    ):
        assert expected in text.replace("\n", ""), expected
