"""待我办理: what waits for the person signed in, gathered from every app without linking up the layers.

A community member's work comes from several apps: the disclosures to draft, review, sign and publish
(``disclosure``), residents' questions to answer (``disclosure.feedback``), the street office's orders
to answer and self-assessments to submit (``inspection``). The home page of the workspace belongs to
``disclosure``, which may not import ``inspection``; so each app registers a *source* here, in its
own ``worklist.py``, and the page asks :func:`collect` — the way the menus are built
(``tenants.navigation``).

A source gets the request (its user, community and roles) and returns :class:`Task` rows for that
user only: by role and by the per-object grants (an item assigned to this reviewer, a draft this
person wrote). The registry lives in ``tenants``, the lowest app, and imports none of the apps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from django.http import HttpRequest
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy


class Step(IntEnum):
    """Where in the work a task stands; its label is what the row says. The order is the order of the
    five steps, then what comes from outside them."""

    DRAFT = 10
    RESUBMIT = 20
    REVIEW = 30
    SIGN = 40
    PUBLISH = 50
    ARCHIVE = 60
    ANSWER = 70
    INVESTIGATE = 80
    MODERATE = 85
    RECTIFY = 90
    SELF_ASSESS = 100
    OBLIGATION = 110

    @property
    def label(self) -> str:
        return str(STEP_LABELS[self])


STEP_LABELS = {
    Step.DRAFT: gettext_lazy("拟稿"),
    Step.RESUBMIT: gettext_lazy("退回修改"),
    Step.REVIEW: gettext_lazy("审核"),
    Step.SIGN: gettext_lazy("签字"),
    Step.PUBLISH: gettext_lazy("公布"),
    Step.ARCHIVE: gettext_lazy("归档"),
    Step.ANSWER: gettext_lazy("答复居民"),
    Step.INVESTIGATE: gettext_lazy("调查核实"),
    Step.MODERATE: gettext_lazy("审看居民意见"),
    Step.RECTIFY: gettext_lazy("整改反馈"),
    Step.SELF_ASSESS: gettext_lazy("考核自查"),
    Step.OBLIGATION: gettext_lazy("到期公开"),
}


@dataclass(frozen=True)
class Task:
    """One row of 待我办理: what, which step, by when, and the one link that acts on it. ``action`` is
    the link's words (去审核, 去签字…); ``note`` a short line under the title (a reviewer's comment,
    the period)."""

    what: str
    step: Step
    url: str
    action: str
    due: date | None = None
    note: str = ""

    @property
    def step_label(self) -> str:
        return self.step.label


Source = Callable[[HttpRequest], Iterable[Task]]

_sources: list[Source] = []


def register(source: Source) -> Source:
    """Add an app's source of tasks; used as a decorator in the app's ``worklist.py``."""
    _sources.append(source)
    return source


def autodiscover() -> None:
    """Import every installed app's ``worklist`` module so that its sources are registered."""
    autodiscover_modules("worklist")


_CACHE_ATTR = "_worklist_tasks"


def collect(request: HttpRequest) -> list[Task]:
    """Every task of the signed-in member, the nearest deadline first (those without one last, by
    step). Computed once per request: the page and the menu's count share it."""
    cached: list[Task] | None = getattr(request, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    tasks = [task for source in _sources for task in source(request)]
    tasks.sort(key=lambda t: (t.due is None, t.due or date.max, t.step, t.what))
    setattr(request, _CACHE_ATTR, tasks)
    return tasks


def count(request: HttpRequest) -> int:
    """The number beside 工作台 in the menu, on every staff page of a community."""
    return len(collect(request))
