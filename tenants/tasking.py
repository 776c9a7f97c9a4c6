"""Celery tasks in the right schema: the two ways work leaves a request or a beat tick.

A task runs in the schema named by its ``_schema_name`` header (tenant-schemas-celery switches to it in
the worker before the task starts). Nobody builds that header by hand: a header typed in one place and
forgotten in another runs a community's work in another community's schema, or in none.

- ``enqueue_in_schema(task, *args, community=..., on_commit=True)`` queues one task for one community
  (or for the public schema), after the current transaction commits unless told otherwise: a task
  queued before the commit could run before its rows exist, or for rows that a rollback removed.
- ``for_each_community(task, *args, communities=..., spread_seconds=...)`` is the fan-out of beat
  tasks: one task per community, each in its own schema, started in steps so that a thousand
  communities do not all hit the database in the same second.

Converting a hand-built call is mechanical::

    task.apply_async(args=[a], headers={"_schema_name": code})
        → enqueue_in_schema(task, a, community=code, on_commit=False)
    transaction.on_commit(lambda: task.apply_async(args=[a], headers={"_schema_name": schema}))
        → enqueue_in_schema(task, a, community=schema)           # schema captured at call time
    for index, code in enumerate(codes): task.apply_async(headers=..., countdown=index * 0.2)
        → for_each_community(task, spread_seconds=0.2)
    for index, pk in enumerate(ids): task.apply_async(args=[pk], headers={"_schema_name": "public"}, ...)
        → for_each_community(task, communities=Community.objects.all(), by_id=True, spread_seconds=0.2)
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db import connection, transaction
from django.db.models import QuerySet
from django_tenants.utils import get_public_schema_name

from tenants.models import Community

SCHEMA_HEADER = "_schema_name"  # the header tenant-schemas-celery reads in the worker


class Task(Protocol):
    """What these helpers need of a Celery task (``@shared_task`` functions are untyped)."""

    def apply_async(self, *args: Any, **kwargs: Any) -> Any: ...


def current_schema_name() -> str:
    """The schema the connection points at now: a community's code, or ``public``.

    For code that queues a task from inside a community's schema without holding the community (the
    callers switched to it: middleware, a task, ``schema_context``). Read it at call time, never later:
    by the time an ``on_commit`` callback runs, the connection may point elsewhere.
    """
    return str(connection.schema_name)  # type: ignore[attr-defined]  # django-tenants' connection


def task_community() -> Community:
    """The community whose schema the running task was sent to (``enqueue_in_schema``,
    ``for_each_community``): tenant-schemas-celery put it on the connection before the task started.

    The one place a task learns its community; it passes it on to the services explicitly, as a view
    passes ``request.community``. A task sent to the public schema has none: that is a bug, not a case.
    """
    tenant = getattr(connection, "tenant", None)
    if not isinstance(tenant, Community):
        raise RuntimeError(f"this task runs in schema {current_schema_name()!r}, not a community's")
    return tenant


def public_schema_name() -> str:
    return str(get_public_schema_name())


def _schema_of(community: Community | str) -> str:
    return community.schema_name if isinstance(community, Community) else community


def enqueue_in_schema(
    task: Task,
    *args: Any,
    community: Community | str,
    on_commit: bool = True,
    countdown: float | None = None,
    queue: str | None = None,
    **kwargs: Any,
) -> Any:
    """Queue ``task(*args, **kwargs)`` to run in ``community``'s schema.

    ``community`` is a Community or a schema name: a community's code, or ``public_schema_name()`` for a
    task that works on public-schema rows. With ``on_commit`` (the default) the task is sent once the
    current transaction commits, and not at all if it rolls back; outside a transaction it is sent at
    once. To send several tasks from one callback (one ``robust`` callback for an outbox, say), call it
    with ``on_commit=False`` from inside your own ``transaction.on_commit``. ``queue`` sends it to a
    queue other than the default one (a benchmark's own worker, say).

    Returns the task's result handle (Celery's ``AsyncResult``) when it was sent at once, for a caller
    that waits for it; None when the sending waits for the commit.
    """
    options: dict[str, Any] = {"headers": {SCHEMA_HEADER: _schema_of(community)}}
    if countdown:
        options["countdown"] = countdown
    if queue is not None:
        options["queue"] = queue

    def send() -> Any:
        return task.apply_async(args=list(args), kwargs=kwargs or None, **options)

    if on_commit:
        transaction.on_commit(send)
        return None
    return send()


def for_each_community(
    task: Task,
    *args: Any,
    communities: QuerySet[Community] | None = None,
    by_id: bool = False,
    spread_seconds: float = 0.0,
    step: int = 1,
    **kwargs: Any,
) -> int:
    """Send ``task(*args, **kwargs)`` once per community and return how many were sent.

    ``communities`` defaults to the active ones, in their usual order. Each task runs in its
    community's schema, unless ``by_id``: then it runs in the public schema and receives the
    community's id as its first argument (for work on public-schema rows about a community, such as
    the street office's summary tables). ``step`` communities start together and each step starts
    ``spread_seconds`` after the one before (the first at once); with no spread all start at once.
    Sent at once, not on commit: beat tasks run outside any request's transaction.
    """
    queryset = communities if communities is not None else Community.objects.filter(is_active=True)
    keys = list(queryset.values_list("pk" if by_id else "schema_name", flat=True))
    for index, key in enumerate(keys):
        enqueue_in_schema(
            task,
            *((key, *args) if by_id else args),
            community=public_schema_name() if by_id else str(key),
            on_commit=False,
            countdown=(index // step) * spread_seconds,
            **kwargs,
        )
    return len(keys)
