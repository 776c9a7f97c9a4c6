from django.core.management import call_command
from django.core.management.base import BaseCommand

from tenants import dbroles
from tenants.services import template_schema_ensure


class Command(BaseCommand):
    help = (
        "迁移公共、各社区和模板 schema,并给运行角色授权。"
        "Migrate public, every community and the template schema; grant the runtime role its rows."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--executor", default="standard", choices=["standard", "multiprocessing"])

    def handle(self, *args: object, **options: object) -> None:
        verbosity = int(options.get("verbosity", 1))  # type: ignore[call-overload]
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
        call_command(
            "migrate_schemas",
            tenant=True,
            interactive=False,
            verbosity=verbosity,
            executor=options["executor"],
        )
        template_schema_ensure()
        # Every schema's rows to the runtime role, and by default privileges whatever is created later.
        granted = dbroles.runtime_grant()
        if granted and verbosity:
            self.stdout.write(f"运行角色已获授权 / runtime role granted: {len(granted)} schemas")
        self.stdout.write(self.style.SUCCESS("迁移完成 / migrations applied"))
