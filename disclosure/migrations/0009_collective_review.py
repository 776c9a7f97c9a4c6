"""Collective review (000 第七条(二)): who wrote each version, the round of review an opinion belongs
to, and the approvals a round needs.

Versions still in the five steps take their creator as their author, except a re-publication the
supervision group ordered (its content is a copy of what was published; the handlers who change it
become its authors). What was published is sealed and needs none of this."""

import django.contrib.postgres.fields
from django.db import migrations, models

# spelled here, not imported: a migration builds the same database whenever it runs
IN_PROGRESS = ("draft", "returned", "submitted", "approved")


def authors_from_creators(apps, schema_editor):  # type: ignore[no-untyped-def]
    Disclosure = apps.get_model("disclosure", "Disclosure")
    in_progress = Disclosure.objects.filter(status__in=IN_PROGRESS, created_by__isnull=False).exclude(
        obligation__source="order"
    )
    for disclosure in in_progress.only("pk", "created_by_id"):
        Disclosure.objects.filter(pk=disclosure.pk).update(authors=[disclosure.created_by_id])


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure', '0008_quarterly_briefings'),
    ]

    operations = [
        migrations.AddField(
            model_name='disclosure',
            name='authors',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), blank=True, default=list, size=None, verbose_name='起草和修改人'),
        ),
        migrations.AddField(
            model_name='disclosure',
            name='review_round',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='审核轮次'),
        ),
        migrations.AddField(
            model_name='disclosure',
            name='reviews_needed',
            field=models.PositiveSmallIntegerField(default=1, verbose_name='审核通过所需同意人数'),
        ),
        migrations.AddField(
            model_name='reviewopinion',
            name='review_round',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='审核轮次'),
        ),
        migrations.RunPython(authors_from_creators, migrations.RunPython.noop),
    ]
