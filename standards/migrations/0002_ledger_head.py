"""The public record of every community's ledger head: one row per append (written by
``disclosure.services.ledger.ledger_append`` in the entry's own transaction), beside the daily anchors.

PostgreSQL holds both tables append-only: UPDATE is refused, and DELETE and TRUNCATE are refused while
the community's schema (the ledger the rows vouch for) exists. Dropping a schema takes its owner, so
the application cannot shorten the public record of a ledger that is still there.

Communities that already have a ledger get their head history from their chain as it stands now."""

import django.db.models.deletion
from django.db import migrations, models

ROW_GUARD = """
CREATE OR REPLACE FUNCTION gongkai_ledger_record_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ledger_exists boolean;
BEGIN
  IF TG_OP = 'DELETE' THEN
    EXECUTE format(
      'SELECT EXISTS (SELECT 1 FROM %I.tenants_community c JOIN pg_namespace n ON n.nspname = c.schema_name'
      ' WHERE c.id = $1)', TG_TABLE_SCHEMA)
      INTO ledger_exists USING OLD.community_id;
    IF NOT ledger_exists THEN
      RETURN OLD;  -- the community's schema, and the ledger in it, is gone
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only while the community''s ledger exists', TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE OR REPLACE FUNCTION gongkai_ledger_record_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ledger_exists boolean;
BEGIN
  EXECUTE format(
    'SELECT EXISTS (SELECT 1 FROM %I.%I r JOIN %I.tenants_community c ON c.id = r.community_id'
    ' JOIN pg_namespace n ON n.nspname = c.schema_name)', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_TABLE_SCHEMA)
    INTO ledger_exists;
  IF ledger_exists THEN
    RAISE EXCEPTION '% cannot be truncated while a community''s ledger exists', TG_TABLE_NAME
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END $$;
"""

TABLES = ("standards_ledgeranchor", "standards_ledgerhead")

TRIGGERS = "\n".join(
    f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
    f"FOR EACH ROW EXECUTE FUNCTION gongkai_ledger_record_guard();\n"
    f"CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION gongkai_ledger_record_no_truncate();"
    for t in TABLES
)

REVERSE = "\n".join(
    f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};\nDROP TRIGGER IF EXISTS {t}_no_truncate ON {t};"
    for t in TABLES
) + """
DROP FUNCTION IF EXISTS gongkai_ledger_record_guard();
DROP FUNCTION IF EXISTS gongkai_ledger_record_no_truncate();
"""


def heads_from_existing_chains(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Each existing community's chain, as it stands, becomes its head history (one row per entry)."""
    Community = apps.get_model("tenants", "Community")
    with schema_editor.connection.cursor() as cursor:
        for pk, schema in Community.objects.values_list("pk", "schema_name"):
            cursor.execute("SELECT to_regclass(%s)", [f'"{schema}".disclosure_ledgerentry'])
            if cursor.fetchone()[0] is None:
                continue
            cursor.execute(
                "INSERT INTO standards_ledgerhead (community_id, seq, hash, appended_at) "
                f'SELECT %s, seq, hash, recorded_at FROM "{schema}".disclosure_ledgerentry ORDER BY seq '
                "ON CONFLICT (community_id, seq) DO NOTHING",
                [pk],
            )


class Migration(migrations.Migration):

    dependencies = [
        ('standards', '0001_initial'),
        ('tenants', '0003_street_office_require_two_factor'),
    ]

    operations = [
        migrations.CreateModel(
            name='LedgerHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.PositiveIntegerField(verbose_name='台帐序号')),
                ('hash', models.CharField(max_length=64, verbose_name='台帐链头哈希')),
                ('appended_at', models.DateTimeField(verbose_name='记录时间')),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ledger_heads', to='tenants.community', verbose_name='社区')),
            ],
            options={
                'verbose_name': '台帐链头',
                'verbose_name_plural': '台帐链头记录',
                'ordering': ['community', '-seq'],
                'constraints': [models.UniqueConstraint(fields=('community', 'seq'), name='standards_ledgerhead_one_per_seq')],
            },
        ),
        migrations.RunPython(heads_from_existing_chains, migrations.RunPython.noop),
        migrations.RunSQL(ROW_GUARD + TRIGGERS, REVERSE),
    ]
