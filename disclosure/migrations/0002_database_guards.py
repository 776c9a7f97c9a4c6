"""Rules PostgreSQL holds itself: a published disclosure cannot be changed or deleted, and the
ledger, signatures, opinions and audit records are append-only — whatever the Python code does."""

from django.db import migrations

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

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION gongkai_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$;
""" + "\n".join(
    f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
    f"FOR EACH ROW EXECUTE FUNCTION gongkai_append_only();"
    for t in ("disclosure_ledgerentry", "disclosure_signature", "disclosure_reviewopinion", "disclosure_auditrecord")
)

REVERSE = """
DROP TRIGGER IF EXISTS disclosure_guard ON disclosure_disclosure;
DROP TRIGGER IF EXISTS disclosure_ledgerentry_append_only ON disclosure_ledgerentry;
DROP TRIGGER IF EXISTS disclosure_signature_append_only ON disclosure_signature;
DROP TRIGGER IF EXISTS disclosure_reviewopinion_append_only ON disclosure_reviewopinion;
DROP TRIGGER IF EXISTS disclosure_auditrecord_append_only ON disclosure_auditrecord;
DROP FUNCTION IF EXISTS gongkai_disclosure_guard();
DROP FUNCTION IF EXISTS gongkai_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0001_initial")]
    operations = [migrations.RunSQL(GUARD_DISCLOSURE + APPEND_ONLY, REVERSE)]
