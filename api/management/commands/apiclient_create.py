from django.core.management.base import BaseCommand, CommandError

from api import services
from tenants.errors import DomainError
from tenants.models import District, StreetOffice


class Command(BaseCommand):
    help = "创建区级接口客户端并显示一次密钥。Create a district API client; its key is printed once."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--name", required=True)
        parser.add_argument("--street-office", action="append", dest="street_offices", default=[])
        parser.add_argument("--district", default="", help="区县名称:可查询该区县的所有街道")

    def handle(self, *args: object, **opts: object) -> None:
        codes = list(opts["street_offices"])  # type: ignore[call-overload]
        offices = list(StreetOffice.objects.filter(code__in=codes))
        missing = set(codes) - {o.code for o in offices}
        if missing:
            raise CommandError(f"没有这些街道:{'、'.join(sorted(missing))}")
        district = None
        if opts["district"]:
            district = District.objects.filter(name=str(opts["district"])).first()
            if district is None:
                raise CommandError(f"没有这个区县:{opts['district']}")
        try:
            client, key = services.apiclient_create(
                name=str(opts["name"]), street_offices=offices, district=district
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"已创建接口客户端 {client.name}。密钥只显示这一次,请妥善保存:"))
        self.stdout.write(key)
