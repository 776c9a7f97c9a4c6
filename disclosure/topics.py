"""The steps a staff notification asks for, spelled once (``communities.models.Notification.topic``).

The service that asks for a step sends its notification with the step's topic; the service that does
the step resolves that topic for every recipient. A disclosure's topics share its prefix, so its
publication or withdrawal can resolve all of them at once; the prefix ends in a colon so that
``disclosure:4:`` never matches ``disclosure:42:``.
"""

from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    """What one disclosure waits for, and from whom."""

    REVIEW = "review"  # the supervision group: any one member's opinion does
    RESUBMIT = "resubmit"  # the drafter: change the returned draft and submit it again
    APPROVED = "approved"  # the drafter: approved, now waiting for signatures and publication
    PUBLISH = "publish"  # the publishers: everything is signed


class FeedbackStep(StrEnum):
    """What a resident's matter waits for."""

    ANSWER = "answer"  # the written answer
    INVESTIGATE = "investigate"  # the supervision group's finding


def disclosure_all(disclosure_id: int) -> str:
    """The prefix of every step of one disclosure."""
    return f"disclosure:{disclosure_id}:"


def disclosure(disclosure_id: int, step: Step) -> str:
    return f"{disclosure_all(disclosure_id)}{step}"


def sign(disclosure_id: int, role: str) -> str:
    """The holders of one signing role are asked to sign (each role its own topic)."""
    return f"{disclosure_all(disclosure_id)}sign:{role}"


def obligation(obligation_id: int) -> str:
    """An obligation waits to be fulfilled or waived: its reminders and a re-publication order."""
    return f"obligation:{obligation_id}"


def feedback(feedback_id: int, step: FeedbackStep) -> str:
    return f"feedback:{feedback_id}:{step}"
