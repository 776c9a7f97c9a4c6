"""A district (区) above street offices: the free-text 所属区县 of each street office becomes a row that
the street offices of one district share."""

import django.db.models.deletion
from django.db import migrations, models


def districts_from_names(apps, schema_editor):  # type: ignore[no-untyped-def]
    # the new foreign key is checked at once, so the column can be dropped in this same transaction
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    District = apps.get_model("tenants", "District")
    StreetOffice = apps.get_model("tenants", "StreetOffice")
    for office in StreetOffice.objects.exclude(district_name=""):
        office.district, _ = District.objects.get_or_create(name=office.district_name.strip())
        office.save(update_fields=["district"])


def names_from_districts(apps, schema_editor):  # type: ignore[no-untyped-def]
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    StreetOffice = apps.get_model("tenants", "StreetOffice")
    for office in StreetOffice.objects.exclude(district=None).select_related("district"):
        office.district_name = office.district.name
        office.save(update_fields=["district_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0005_street_office_review_approvals_needed"),
    ]

    operations = [
        migrations.CreateModel(
            name="District",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                ("name", models.CharField(max_length=100, unique=True, verbose_name="名称")),
            ],
            options={"verbose_name": "区县", "verbose_name_plural": "区县", "ordering": ["name"]},
        ),
        migrations.RenameField(model_name="streetoffice", old_name="district", new_name="district_name"),
        migrations.AddField(
            model_name="streetoffice",
            name="district",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="street_offices",
                to="tenants.district",
                verbose_name="所属区县",
            ),
        ),
        migrations.RunPython(districts_from_names, names_from_districts),
        migrations.RemoveField(model_name="streetoffice", name="district_name"),
    ]
