from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tenants.backup import community_restore
from tenants.errors import DomainError
from tenants.models import StreetOffice
from tenants.sites import community_site_url


class Command(BaseCommand):
    help = (
        "把社区备份恢复为一个新社区(新代码、新 schema、新域名);目标已存在或备份损坏时拒绝,不留半成品。"
        "Restore a community archive into a fresh community under a new code."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("archive", help="community_backup 生成的 .tar.gz 文件")
        parser.add_argument("--code", required=True, help="新社区代码(schema 名和子域名),不能已被使用")
        parser.add_argument("--name", default=None, help="新社区名称;默认沿用备份中的名称")
        parser.add_argument("--street-office", default=None, help="所属街道代码;默认沿用备份中的街道")
        parser.add_argument(
            "--with-memberships", action="store_true", help="同时恢复工作人员的社区角色(按用户名匹配)"
        )

    def handle(self, *args: object, **opts: object) -> None:
        office = None
        if opts["street_office"]:
            office = StreetOffice.objects.filter(code=opts["street_office"]).first()
            if office is None:
                raise CommandError(f"没有代码为“{opts['street_office']}”的街道。")
        try:
            community = community_restore(
                archive=Path(str(opts["archive"])),
                code=str(opts["code"]),
                name=str(opts["name"]) if opts["name"] else None,
                street_office=office,
                with_memberships=bool(opts["with_memberships"]),
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已恢复为新社区 {community.name}({community.schema_name}):"
                f"{community_site_url(community.schema_name)} 。"
                f"请运行 verify_ledger {community.schema_name} 核验台帐。"
            )
        )
