"""A fixed (长期) item renews: each renewal obligation names the publication whose display is running
out, and a confirmation that its content is unchanged is a row of its own, append-only and never
truncated like the ledger (the functions are 0002's and 0004's)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


GUARDS = """
CREATE TRIGGER disclosure_displayextension_append_only BEFORE UPDATE OR DELETE ON disclosure_displayextension
  FOR EACH ROW EXECUTE FUNCTION gongkai_append_only();
CREATE TRIGGER disclosure_displayextension_no_truncate BEFORE TRUNCATE ON disclosure_displayextension
  FOR EACH STATEMENT EXECUTE FUNCTION gongkai_no_truncate();
"""
GUARDS_REVERSE = """
DROP TRIGGER IF EXISTS disclosure_displayextension_append_only ON disclosure_displayextension;
DROP TRIGGER IF EXISTS disclosure_displayextension_no_truncate ON disclosure_displayextension;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0005_notification_topics"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="obligation",
            name="renews",
            field=models.ForeignKey(
                blank=True,
                help_text="固定公开(长期)事项:公示期将满、须复核续期的那一版",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="renewals",
                to="disclosure.disclosure",
                verbose_name="续期的公开内容",
            ),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("submit", "提交审核"),
                    ("opinion", "审核意见"),
                    ("sign", "签字"),
                    ("publish", "公布"),
                    ("correct", "更正"),
                    ("archive", "归档"),
                    ("waive", "免除"),
                    ("order", "责令重新公布"),
                    ("renew", "确认无变化续期"),
                ],
                max_length=20,
                verbose_name="事项",
            ),
        ),
        migrations.AlterField(
            model_name="reminder",
            name="kind",
            field=models.CharField(
                choices=[
                    ("due_soon", "到期前提醒"),
                    ("overdue", "逾期提醒"),
                    ("renewal_notice", "固定公开内容续期提前提醒"),
                ],
                max_length=20,
                verbose_name="类型",
            ),
        ),
        migrations.CreateModel(
            name="DisplayExtension",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                ("content_hash", models.CharField(max_length=64, verbose_name="确认的内容哈希")),
                ("previous_until", models.DateField(verbose_name="原公示截止日期")),
                ("display_until", models.DateField(verbose_name="续期后公示截止日期")),
                ("note", models.CharField(max_length=300, verbose_name="核对说明")),
                ("confirmed_by_name", models.CharField(max_length=50, verbose_name="确认人姓名")),
                (
                    "confirmed_by",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="确认人",
                    ),
                ),
                (
                    "disclosure",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="extensions",
                        to="disclosure.disclosure",
                        verbose_name="公开内容",
                    ),
                ),
                (
                    "obligation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="extension",
                        to="disclosure.obligation",
                        verbose_name="续期任务",
                    ),
                ),
            ],
            options={
                "verbose_name": "固定公开内容续期",
                "verbose_name_plural": "固定公开内容续期",
                "ordering": ["disclosure", "display_until"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("display_until__gt", models.F("previous_until"))),
                        name="disclosure_displayextension_extends_the_display",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("note", ""), _negated=True),
                        name="disclosure_displayextension_note_is_recorded",
                    ),
                ],
            },
        ),
        migrations.RunSQL(GUARDS, GUARDS_REVERSE),
    ]
