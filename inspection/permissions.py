"""Who may do what in the street office's work on its communities, by role.

Every action of the street office needs a role in the street office concerned (or a superuser):
``tenants.permissions.STREET_STAFF``; the sets below narrow it. Two actions belong to the community
under inspection and go by its community roles. The role matrix (``config/access.py``) reads these
sets; ``inspection/services.py`` is to read them too instead of spelling them inline (issue 14).
"""

from __future__ import annotations

from tenants.choices import CommunityRole as C
from tenants.choices import StreetOfficeRole as S

# 考核结果 and the yearly 综合评价 are approved by a street leader (000 第十九条).
APPROVERS = frozenset({S.LEADER})
# The scoring standard is revised by the street office's admin or a leader.
STANDARD_REVISERS = frozenset({S.ADMIN, S.LEADER})
# The community answers a rectification order: its two heads or the handler.
RECTIFICATION_ANSWERERS = frozenset({C.SECRETARY, C.DIRECTOR, C.HANDLER})
# The community's self-assessment is submitted by its two heads.
SELF_ASSESSORS = frozenset({C.SECRETARY, C.DIRECTOR})
