"""The first spot-check draw of a period is final (issue 17, item 6): a redraw is a new row naming the
draw it replaces and the reason, and the database keeps every draw on the record.

Draws made before this rule had a free-text period; the ones written in the form the page asked for
(2026年11月, 2026年第四季度) get the period's label (2026-11, 2026Q4), so a new draw of the same period
is recognised. Where one period was drawn more than once, the later draws become redraws of the
earlier with a reason saying so, and the visits of a replaced draw that were never made are marked
redrawn."""

import re

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MONTH = re.compile(r"(\d{4})年(\d{1,2})月")
QUARTER = re.compile(r"(\d{4})年第([一二三四])季度")
QUARTERS = "一二三四"
EARLIER_REASON = "重抽规则实行前同一期的再次抽取(系统补记)"

GUARD = """
CREATE OR REPLACE FUNCTION gongkai_spot_check_draw_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'spot-check draw % is on the record and cannot be changed or deleted; a redraw is a new draw',
    OLD.id USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER inspection_spotcheckdraw_on_record BEFORE UPDATE OR DELETE ON inspection_spotcheckdraw
  FOR EACH ROW EXECUTE FUNCTION gongkai_spot_check_draw_guard();
"""
UNGUARD = """
DROP TRIGGER IF EXISTS inspection_spotcheckdraw_on_record ON inspection_spotcheckdraw;
DROP FUNCTION IF EXISTS gongkai_spot_check_draw_guard();
"""


def label_of(text):
    text = text.strip()
    if month := MONTH.fullmatch(text):
        if 1 <= int(month[2]) <= 12:
            return f"{month[1]}-{int(month[2]):02d}"
    if quarter := QUARTER.fullmatch(text):
        return f"{quarter[1]}Q{QUARTERS.index(quarter[2]) + 1}"
    return text


def earlier_draws_on_record(apps, schema_editor):
    SpotCheckDraw = apps.get_model("inspection", "SpotCheckDraw")
    SpotCheck = apps.get_model("inspection", "SpotCheck")
    # the new foreign key is deferred: checked now, so that no pending check blocks the ALTERs below
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    previous = {}
    for draw in SpotCheckDraw.objects.order_by("created_at", "pk"):
        draw.period = label_of(draw.period)
        key = (draw.street_office_id, draw.period)
        if key in previous:
            draw.replaces_id, draw.reason = previous[key].pk, EARLIER_REASON
            SpotCheck.objects.filter(draw=previous[key], status="planned").update(status="redrawn")
        draw.save(update_fields=["period", "replaces", "reason"])
        previous[key] = draw


class Migration(migrations.Migration):

    dependencies = [
        ('inspection', '0007_fixed_lapsed'),
        ('tenants', '0004_street_office_session_idle_minutes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='spotcheckdraw',
            name='reason',
            field=models.TextField(blank=True, max_length=500, verbose_name='重抽理由'),
        ),
        migrations.AddField(
            model_name='spotcheckdraw',
            name='replaces',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='replaced_by', to='inspection.spotcheckdraw', verbose_name='重抽替代的抽取'),
        ),
        migrations.AlterField(
            model_name='spotcheck',
            name='status',
            field=models.CharField(choices=[('planned', '待暗访'), ('completed', '已完成'), ('redrawn', '已重抽,不再暗访')], default='planned', max_length=20, verbose_name='状态'),
        ),
        migrations.RunPython(earlier_draws_on_record, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='spotcheckdraw',
            constraint=models.UniqueConstraint(condition=models.Q(('replaces__isnull', True)), fields=('street_office', 'period'), name='inspection_spotcheckdraw_first_draw_once_per_period'),
        ),
        migrations.AddConstraint(
            model_name='spotcheckdraw',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('reason', ''), ('replaces__isnull', True)), models.Q(('replaces__isnull', False), models.Q(('reason', ''), _negated=True)), _connector='OR'), name='inspection_spotcheckdraw_redraw_has_reason'),
        ),
        migrations.RunSQL(GUARD, UNGUARD),
    ]
