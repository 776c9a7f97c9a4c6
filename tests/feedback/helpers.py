"""Shared steps of the feedback tests."""

from datetime import date

from disclosure.feedback import services
from disclosure.feedback.choices import Kind
from tests.disclosure.test_engine import published


def submit(
    *,
    kind=Kind.QUESTION,
    text="第三季度财务公开里“办公费 3200 元”具体买了什么?",
    on=date(2026, 6, 1),
    **fields,
):
    return services.feedback_submit(kind=kind, text=text, today=on, **fields)


def published_disclosure(world, **overrides):
    return published(world, **overrides)
