"""The street-office layer's objects by id, each within the asker's reach (``tenants.access``).

A street office's staff reach what belongs to the communities of their own street office(s); a
community's members reach what was addressed to their own community. Anything beyond that is "not
found" (404), so another street office's or community's spot checks, surveys, orders and assessments
do not even show that they exist. Who may then *act* on the object is the services' question.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import QuerySet

from inspection.choices import BriefingStatus
from inspection.models import (
    Assessment,
    Complaint,
    Rectification,
    SpotCheck,
    SpotCheckDraw,
    StreetOfficeBriefing,
    Survey,
)
from tenants import selectors as tenant_selectors
from tenants.access import CommunityRequest, StreetOfficeRequest, access_object_by_id
from tenants.models import Community

M = TypeVar("M", Rectification, Assessment)


def communities_in_reach(request: StreetOfficeRequest) -> QuerySet[Community]:
    """The communities of the staff member's street office(s), which every street-office page is cut to."""
    return tenant_selectors.communities_visible_to(request.user)


def _addressed_to(queryset: QuerySet[M], request: CommunityRequest | StreetOfficeRequest) -> QuerySet[M]:
    """On a community's site, its own; on the street office's site, its communities'."""
    if request.community is not None:
        return queryset.filter(community=request.community)
    return queryset.filter(community__in=tenant_selectors.communities_visible_to(request.user))


def access_spot_check_by_id(request: StreetOfficeRequest, pk: object) -> SpotCheck:
    """A spot check drawn by the staff member's street office(s)."""
    return access_object_by_id(
        SpotCheck.objects.select_related("community", "draw").filter(
            draw__street_office__in=tenant_selectors.street_offices_of(request.user)
        ),
        pk,
    )


def access_draw_by_id(request: StreetOfficeRequest, pk: object) -> SpotCheckDraw:
    """A spot-check draw of the staff member's street office(s)."""
    return access_object_by_id(
        SpotCheckDraw.objects.select_related("street_office", "drawn_by", "replaces").filter(
            street_office__in=tenant_selectors.street_offices_of(request.user)
        ),
        pk,
    )


def access_survey_by_id(request: StreetOfficeRequest, pk: object) -> Survey:
    """A survey of one of the staff member's communities."""
    return access_object_by_id(
        Survey.objects.select_related("community").filter(community__in=communities_in_reach(request)), pk
    )


def access_rectification_by_id(request: CommunityRequest | StreetOfficeRequest, pk: object) -> Rectification:
    """An order to the member's community, or to one of the staff member's communities."""
    return access_object_by_id(_addressed_to(Rectification.objects.select_related("community"), request), pk)


def access_assessment_by_id(request: CommunityRequest | StreetOfficeRequest, pk: object) -> Assessment:
    """An assessment of the member's community, or of one of the staff member's communities."""
    return access_object_by_id(
        _addressed_to(Assessment.objects.select_related("community", "template"), request), pk
    )


def access_street_briefing_by_id(request: StreetOfficeRequest, pk: object) -> StreetOfficeBriefing:
    """A briefing of the staff member's street office(s)."""
    return access_object_by_id(
        StreetOfficeBriefing.objects.select_related("street_office", "drafted_by", "approved_by").filter(
            street_office__in=tenant_selectors.street_offices_of(request.user)
        ),
        pk,
    )


def access_published_briefing_by_id(
    pk: object, *, street_office_id: int | None = None
) -> StreetOfficeBriefing:
    """A published briefing, for anyone (of one street office, on a community's site); no draft."""
    published = StreetOfficeBriefing.objects.select_related("street_office", "approved_by").filter(
        status=BriefingStatus.PUBLISHED
    )
    if street_office_id is not None:
        published = published.filter(street_office_id=street_office_id)
    return access_object_by_id(published, pk)


def access_complaint_by_id(request: StreetOfficeRequest, pk: object) -> Complaint:
    """A residents' complaint about one of the staff member's communities."""
    return access_object_by_id(
        Complaint.objects.select_related("community", "rectification", "answered_by").filter(
            community__in=communities_in_reach(request)
        ),
        pk,
    )
