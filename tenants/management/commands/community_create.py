import time

from django.core.management.base import BaseCommand, CommandError

from tenants import services
from tenants.errors import DomainError
from tenants.models import StreetOffice
from tenants.sites import community_site_url


class Command(BaseCommand):
    help = "创建社区:数据库 schema(由模板克隆)、域名和概况。Create a community with its schema and domain."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--code", required=True, help="社区代码,同时是 schema 名和子域名,例如 yincheng")
        parser.add_argument("--name", required=True, help="社区名称,例如 银城社区")
        parser.add_argument("--street-office", required=True, help="所属街道代码,例如 yinzhou")
        parser.add_argument("--address", default="")

    def handle(self, *args: object, **opts: str) -> None:
        office = StreetOffice.objects.filter(code=opts["street_office"]).first()
        if office is None:
            raise CommandError(f"没有代码为“{opts['street_office']}”的街道。请先运行 street_office_create。")
        started = time.perf_counter()
        try:
            community = services.community_create(
                code=opts["code"], name=opts["name"], street_office=office, address=opts["address"]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"已创建社区 {community.name}:{community_site_url(community.schema_name)}({elapsed:.2f} 秒)"
            )
        )
