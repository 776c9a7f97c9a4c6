"""A street office and community of a test's own, committed (so other connections and processes see
them) and dropped afterwards. Published rows and ledger entries cannot be deleted, so the community's
schema goes as a whole; the users' per-object grants lived in it too."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.db import connection

from tenants import services
from tenants.choices import CommunityRole
from tenants.models import Community, StreetOffice, SubmissionToken, User
from tests.factories import UserFactory


@contextlib.contextmanager
def throwaway_community(
    code: str, *, with_mobiles: bool = False
) -> Iterator[tuple[Community, dict[str, Any]]]:
    """``code`` names the community, its street office (``<code>-so``) and its users (``<code>_<role>``)."""
    office = services.street_office_create(code=f"{code}-so", name=f"{code} 街道", district="示范县")
    community = services.community_create(code=code, name=f"{code} 社区", street_office=office)
    users: dict[str, Any] = {}
    try:
        for number, role in enumerate(CommunityRole):
            mobile = f"1380000{number:04d}" if with_mobiles else ""
            users[role.value] = UserFactory(username=f"{code}_{role.value}", mobile=mobile)
            services.membership_grant(user=users[role.value], community=community, role=role)
        yield community, users
    finally:
        connection.set_schema_to_public()  # type: ignore[attr-defined]
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{code}" CASCADE')
        Community.objects.filter(pk=community.pk).delete()
        StreetOffice.objects.filter(pk=office.pk).delete()
        SubmissionToken.objects.filter(user__username__startswith=f"{code}_").delete()
        # guardian's per-object tables were in the dropped schema: skip the ORM's cascade into them
        User.objects.filter(username__startswith=f"{code}_")._raw_delete(using="default")
