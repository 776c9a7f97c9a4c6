"""What the community's staff may open of residents' feedback, by id (see ``tenants.access``)."""

from __future__ import annotations

from disclosure.feedback.models import Feedback
from tenants.access import CommunityRequest, access_object_by_id


def access_feedback_by_id(request: CommunityRequest, pk: object) -> Feedback:
    """A matter of this community, with what its detail page shows beside it: 404 for an unknown one."""
    return access_object_by_id(Feedback.objects.select_related("disclosure", "republication"), pk)
