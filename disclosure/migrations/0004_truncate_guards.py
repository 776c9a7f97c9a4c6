"""Row triggers (0002) do not fire on TRUNCATE: a statement-level trigger refuses it on every table
whose rows are append-only or may be locked — the ledger, signatures, review opinions, the audit trail
and the disclosures themselves — whatever role runs the statement."""

from django.db import migrations

TABLES = (
    "disclosure_ledgerentry",
    "disclosure_signature",
    "disclosure_reviewopinion",
    "disclosure_auditrecord",
    "disclosure_disclosure",
)

FORWARD = """
CREATE OR REPLACE FUNCTION gongkai_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% cannot be truncated', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$;
""" + "\n".join(
    f"CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} FOR EACH STATEMENT EXECUTE FUNCTION gongkai_no_truncate();"
    for t in TABLES
)

REVERSE = "\n".join(f"DROP TRIGGER IF EXISTS {t}_no_truncate ON {t};" for t in TABLES) + """
DROP FUNCTION IF EXISTS gongkai_no_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0003_order_action")]
    operations = [migrations.RunSQL(FORWARD, REVERSE)]
