from django.db.models import Prefetch, Q, QuerySet

from communities.models import Committee, CommunityProfile, Notification, Officer, StreetOfficeResult
from tenants.models import User


def profile_get() -> CommunityProfile | None:
    return CommunityProfile.objects.filter(id=1).first()


def committees_with_officers() -> QuerySet[Committee]:
    return Committee.objects.prefetch_related(
        Prefetch("officers", queryset=Officer.objects.order_by("sort_order", "id"))
    )


def notifications_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def notifications_active(user: User) -> QuerySet[Notification]:
    """What still waits for ``user``, newest first: a step not yet done by anyone (read or not), and a
    message that only informs until it is read."""
    waiting = Q(topic__gt="") | Q(read_at__isnull=True)
    return Notification.objects.filter(waiting, recipient=user, resolved_at__isnull=True).order_by(
        "-created_at", "-pk"
    )


def notifications_history(user: User) -> QuerySet[Notification]:
    """Everything ever sent to ``user``, done or not, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notifications_unread_count(user: User) -> int:
    """How many of ``user``'s waiting notifications are unread: the number a badge shows."""
    return notifications_active(user).filter(read_at__isnull=True).count()


def street_office_results() -> QuerySet[StreetOfficeResult]:
    return StreetOfficeResult.objects.order_by("-period")
