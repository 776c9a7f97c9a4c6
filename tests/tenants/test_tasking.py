"""Tasks reach their schema through tenants.tasking: the header is set for the schema named, the
fan-out covers the communities asked for, spread in steps, and nothing is sent before the commit."""

from __future__ import annotations

from typing import Any

import pytest

from tenants.models import Community
from tenants.tasking import SCHEMA_HEADER, enqueue_in_schema, for_each_community

pytestmark = pytest.mark.django_db


class Recorder:
    """Stands in for a Celery task: keeps what would have been published, to the broker's letter."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def apply_async(self, *args: Any, **options: Any) -> int:
        self.sent.append({"args": list(options.get("args") or []), **options})
        return len(self.sent)  # stands in for the AsyncResult Celery hands back


def test_a_task_is_queued_in_the_schema_named_and_only_after_the_commit(
    world, django_capture_on_commit_callbacks
):
    task = Recorder()
    with django_capture_on_commit_callbacks() as callbacks:
        enqueue_in_schema(task, 7, community=world.yincheng)
        assert task.sent == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert [(s["args"], s["headers"][SCHEMA_HEADER]) for s in task.sent] == [([7], "yincheng")]


def test_sent_at_once_when_asked_and_with_its_countdown(world):
    task = Recorder()
    enqueue_in_schema(task, "a", community="public", on_commit=False, countdown=5, flag=True)
    [sent] = task.sent
    assert sent["headers"] == {SCHEMA_HEADER: "public"}
    assert sent["args"] == ["a"] and sent["kwargs"] == {"flag": True} and sent["countdown"] == 5
    assert "queue" not in sent


def test_sent_at_once_to_the_queue_named_it_hands_back_the_result_to_wait_for(world):
    task = Recorder()
    handle = enqueue_in_schema(task, community=world.yincheng, on_commit=False, queue="bench-1")
    [sent] = task.sent
    assert sent["queue"] == "bench-1" and sent["headers"] == {SCHEMA_HEADER: "yincheng"}
    assert handle == 1


def test_nothing_to_wait_for_while_the_sending_waits_for_the_commit(
    world, django_capture_on_commit_callbacks
):
    task = Recorder()
    with django_capture_on_commit_callbacks(execute=True):
        assert enqueue_in_schema(task, community=world.yincheng, queue="bench-1") is None
    assert [s["queue"] for s in task.sent] == ["bench-1"]


def test_the_fan_out_reaches_every_active_community_in_its_schema_spread_in_steps(world):
    world.yinnan.is_active = False
    world.yinnan.save(update_fields=["is_active"])
    task = Recorder()
    count = for_each_community(task, 30, spread_seconds=0.5, step=2)
    active = list(Community.objects.filter(is_active=True).values_list("schema_name", flat=True))
    assert count == len(active) and "yinnan" not in active
    assert [s["headers"][SCHEMA_HEADER] for s in task.sent] == active
    assert all(s["args"] == [30] for s in task.sent)
    assert [s.get("countdown", 0) for s in task.sent] == [(i // 2) * 0.5 for i in range(len(active))]


def test_a_fan_out_by_id_runs_in_public_with_the_community_id_first(world):
    task = Recorder()
    for_each_community(task, communities=Community.objects.all(), by_id=True)
    assert {s["headers"][SCHEMA_HEADER] for s in task.sent} == {"public"}
    assert [s["args"] for s in task.sent] == [[pk] for pk in Community.objects.values_list("pk", flat=True)]
