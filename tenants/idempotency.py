"""Double submission: each form carries a one-time token; the first POST that claims it does the work,
a repeat (sequential or at the same moment) is sent to the first one's result instead.

The claim is an INSERT under the primary key of ``SubmissionToken`` in the same transaction as the
work: a concurrent repeat waits on the first one's key until it commits (then it sees the result) or
rolls back (then it goes ahead itself, because the first did nothing). A refused form re-renders
with the same token, so correcting and re-sending it still works.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from tenants.models import SubmissionToken

FIELD = "submission_token"
KEEP = timedelta(days=7)


def _posted(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def submission_token(request: HttpRequest) -> str:
    """The token to put in the form: the one just posted (the form is shown again), else a new one."""
    posted = _posted(request) if request.method == "POST" else None
    return (posted or uuid.uuid4()).hex


def submission_claim(request: HttpRequest) -> str | None:
    """Claim the posted token inside the caller's transaction. Returns None when this request is the
    first (go ahead), or the URL to send a repeat to. A form without a token is not deduplicated."""
    token = _posted(request)
    if token is None:
        return None
    user = request.user if request.user.is_authenticated else None
    try:
        with transaction.atomic():
            SubmissionToken.objects.create(token=token, user=user)
        return None
    except IntegrityError:
        first = SubmissionToken.objects.filter(token=token).first()
        return (first.result_url if first else "") or request.path


def submission_done(request: HttpRequest, result_url: str) -> None:
    """Record where the first request sent the user, for any repeat of it."""
    token = _posted(request)
    if token is not None:
        SubmissionToken.objects.filter(token=token).update(result_url=result_url[:300])


def submission_once(request: HttpRequest, work: Callable[[], str]) -> tuple[str, bool]:
    """Run ``work`` (which returns the URL of what it made) once per posted token, atomically.
    Returns that URL and whether this request was a repeat. A domain error raised by ``work`` rolls
    the claim back with everything else."""
    with transaction.atomic():
        repeat = submission_claim(request)
        if repeat is not None:
            return repeat, True
        url = work()
        submission_done(request, url)
    # A repeat comes within seconds or minutes; a week-old token guards nothing any more.
    SubmissionToken.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    return url, False
