from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from config.access import render_markdown

DOC = Path(settings.BASE_DIR) / "docs" / "ROLES.md"


class Command(BaseCommand):
    help = "把 config/access.py 的角色权限表写入 docs/ROLES.md。Render the role matrix into docs/ROLES.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="只检查文件是否最新,不写入 / only check")

    def handle(self, *args: object, **options: object) -> None:
        text = render_markdown()
        if options["check"]:
            if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
                raise CommandError(f"{DOC} 不是最新的,请运行 python manage.py roles_doc")
            self.stdout.write("docs/ROLES.md is current")
            return
        DOC.parent.mkdir(parents=True, exist_ok=True)
        DOC.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"wrote {DOC}"))
