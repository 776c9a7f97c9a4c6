"""Who may change the search's dictionary: a street office's admin, for its own street office."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from tenants.choices import StreetOfficeRole

# The words residents use for things (检索同义词) are the street office's vocabulary: its admin keeps it.
SYNONYM_EDITORS = frozenset({StreetOfficeRole.ADMIN})
SYNONYM_REFUSED = gettext_lazy("只有本街道的管理员可以修改检索同义词。")
