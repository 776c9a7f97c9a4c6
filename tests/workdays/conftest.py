"""Fixtures of the working-day calendar's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from workdays.signals import calendar_changed


@pytest.fixture
def announcements() -> Iterator[list[set[int]]]:
    """The ``years`` of every calendar_changed sent while the test runs."""
    received: list[set[int]] = []

    def listener(sender: object, years: set[int], **kwargs: object) -> None:
        received.append(years)

    calendar_changed.connect(listener, weak=False, dispatch_uid="test_workdays_listener")
    yield received
    calendar_changed.disconnect(dispatch_uid="test_workdays_listener")
