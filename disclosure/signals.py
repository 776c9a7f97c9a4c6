"""What the engine tells the layers above it. ``disclosure`` never imports them (STYLE: layering)."""

from django.dispatch import Signal

# Sent after commit when a community's obligations or publications changed, with ``community_id``.
# The street-office layer listens to refresh its summary tables.
disclosure_changed = Signal()
