from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tenants.utils import get_public_schema_name

from tenants import dbroles
from tenants.migrating import migrations_lacking, tenant_schemas_migrate
from tenants.models import Community
from tenants.services import template_schema_ensure


class Command(BaseCommand):
    help = (
        "迁移公共、各社区和模板 schema(只迁移缺少迁移的 schema,多个同时进行),并给运行角色授权。"
        "Migrate public, every community and the template schema (only the schemas that lack a "
        "migration, several at once); grant the runtime role its rows."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--executor",
            default="multiprocessing",
            choices=["standard", "multiprocessing"],
            help="django-tenants' executor for the communities to migrate (default: several processes)",
        )

    def handle(self, *args: object, **options: object) -> None:
        verbosity = int(options.get("verbosity", 1))  # type: ignore[call-overload]
        public = get_public_schema_name()
        if migrations_lacking([public]):
            call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
        template = settings.TENANT_BASE_SCHEMA
        communities = list(
            Community.objects.exclude(schema_name=public).values_list("schema_name", flat=True)
        )
        lacking = migrations_lacking([*communities, template])
        to_migrate = [schema for schema in communities if schema in lacking]
        if verbosity:
            self.stdout.write(
                f"需要迁移的社区 / communities to migrate: {len(to_migrate)} / {len(communities)}"
            )
        parallel = options["executor"] == "multiprocessing"
        tenant_schemas_migrate(to_migrate, verbosity=verbosity, parallel=parallel)
        if template in lacking:
            template_schema_ensure()
        # Every schema's rows to the runtime role, and by default privileges whatever is created later.
        granted = dbroles.runtime_grant()
        if granted and verbosity:
            self.stdout.write(f"运行角色已获授权 / runtime role granted: {len(granted)} schemas")
        self.stdout.write(self.style.SUCCESS("迁移完成 / migrations applied"))
