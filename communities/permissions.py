"""Who may maintain the community's profile and cadre board: the two heads (000 第十三条: they are the
first responsible persons for disclosure)."""

from django.utils.translation import gettext_lazy

from tenants.choices import CommunityRole

PROFILE_EDITORS = frozenset({CommunityRole.SECRETARY, CommunityRole.DIRECTOR})
PROFILE_REFUSED = gettext_lazy("只有党组织书记和居委会主任可以修改社区概况和干部监督台。")
