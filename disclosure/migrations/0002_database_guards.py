"""Rules PostgreSQL holds itself: a published disclosure cannot be changed or deleted, and the
ledger, signatures, opinions and audit records are append-only — whatever the Python code does.
The append-only guard is the one every audit table shares (``tenants.dbguards``)."""

from django.db import migrations

from tenants import dbguards

LOCKED = "('published', 'archived', 'superseded')"
CONTENT_COLUMNS = [
    "obligation_id", "category", "content_type", "audience", "title", "body", "data", "content_hash",
    "version", "supersedes_id", "correction_reason", "planned_publish_date", "short_notice_reason",
    "channels", "published_at", "display_until", "public_from", "created_by_id", "published_by_id",
]
CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in CONTENT_COLUMNS)

GUARD_DISCLOSURE = f"""
CREATE OR REPLACE FUNCTION gongkai_disclosure_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status IN {LOCKED} THEN
      RAISE EXCEPTION 'disclosure % is published and cannot be deleted', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status IN {LOCKED} THEN
    IF {CHANGED} THEN
      RAISE EXCEPTION 'disclosure % is published and cannot be changed; publish a correction', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
         (OLD.status = 'published' AND NEW.status IN ('archived', 'superseded'))
      OR (OLD.status = 'archived' AND NEW.status = 'superseded')) THEN
      RAISE EXCEPTION 'disclosure % cannot go from % to %', OLD.id, OLD.status, NEW.status
        USING ERRCODE = 'integrity_constraint_violation';
    END IF;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER disclosure_guard BEFORE UPDATE OR DELETE ON disclosure_disclosure
  FOR EACH ROW EXECUTE FUNCTION gongkai_disclosure_guard();
"""

APPEND_ONLY_TABLES = ("disclosure_ledgerentry", "disclosure_signature", "disclosure_reviewopinion", "disclosure_auditrecord")
APPEND_ONLY = dbguards.APPEND_ONLY_FUNCTION + dbguards.append_only_triggers(APPEND_ONLY_TABLES)

REVERSE = """
DROP TRIGGER IF EXISTS disclosure_guard ON disclosure_disclosure;
""" + dbguards.append_only_triggers_drop(APPEND_ONLY_TABLES) + """
DROP FUNCTION IF EXISTS gongkai_disclosure_guard();
DROP FUNCTION IF EXISTS gongkai_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]
    operations = [migrations.RunSQL(GUARD_DISCLOSURE + APPEND_ONLY, REVERSE)]
