from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tenants.backup import community_backup, sha256_of
from tenants.errors import DomainError
from tenants.models import Community


class Command(BaseCommand):
    help = (
        "备份一个社区:数据库 schema 和媒体文件,连同清单打成一个归档。"
        "Back up one community's schema and media files into one signed archive."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("code", help="社区代码,例如 yincheng")
        parser.add_argument("--out", default=None, help="存放备份的目录;默认为数据目录下的 backups/")

    def handle(self, *args: object, **opts: str) -> None:
        community = Community.objects.select_related("street_office").filter(schema_name=opts["code"]).first()
        if community is None:
            raise CommandError(f"没有代码为“{opts['code']}”的社区。")
        out = Path(opts["out"]) if opts["out"] else Path(settings.DATA_DIR) / "backups"
        try:
            backup = community_backup(community=community, out_dir=out)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        size = backup.path.stat().st_size
        self.stdout.write(
            self.style.SUCCESS(f"已备份 {community.name}({community.schema_name}):{backup.path}")
        )
        self.stdout.write(f"大小 {size / 1024:.1f} KB,SHA-256 {sha256_of(backup.path)}")
