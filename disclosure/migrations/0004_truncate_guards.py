"""Row triggers (0002) do not fire on TRUNCATE: a statement-level trigger refuses it on every table
whose rows are append-only or may be locked — the ledger, signatures, review opinions, the audit trail
and the disclosures themselves — whatever role runs the statement."""

from django.db import migrations

from tenants import dbguards

TABLES = (
    "disclosure_ledgerentry",
    "disclosure_signature",
    "disclosure_reviewopinion",
    "disclosure_auditrecord",
    "disclosure_disclosure",
)

FORWARD = dbguards.NO_TRUNCATE_FUNCTION + dbguards.no_truncate_triggers(TABLES)

REVERSE = dbguards.no_truncate_triggers_drop(TABLES) + """
DROP FUNCTION IF EXISTS gongkai_no_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0003_order_action")]
    operations = [migrations.RunSQL(FORWARD, REVERSE)]
