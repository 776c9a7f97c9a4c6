from django.db.models import Prefetch, QuerySet

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


def street_office_results() -> QuerySet[StreetOfficeResult]:
    return StreetOfficeResult.objects.order_by("-period")
