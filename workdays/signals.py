"""The one thing the calendar tells the rest of the product: some years' working days have changed."""

from django.dispatch import Signal

# Sent after the transaction that changed the calendar commits, with ``years: set[int]``: the years
# whose working days may now differ. Open deadlines falling in or running through them are stale.
calendar_changed = Signal()
